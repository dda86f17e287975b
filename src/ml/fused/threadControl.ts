import type { StepArguments } from './fusedSections.ts';

/**
 * The thread pool's control block: a few words in the kernel's shared memory (at
 * `FusedLayout.control`, `THREAD_CONTROL_BYTES` long) through which thread 0 starts a section on
 * the helpers and waits for them, with `Atomics` only — no messages, so a section costs a few
 * microseconds while helpers spin, and one futex wake when they sleep.
 *
 * Int32 words: the generation (bumped to start a section), the command, how many helpers have
 * finished it, how many threads take part, the batch size, how many helpers are ready, and a
 * failure flag; then f64 step arguments at byte 32.
 */
export const Control = {
  Generation: 0,
  Command: 1,
  Done: 2,
  Threads: 3,
  Batch: 4,
  Ready: 5,
  Failed: 6,
} as const;
export type ControlWord = (typeof Control)[keyof typeof Control];

/** What a command asks a helper to do: exit, or run a section of the plan ({@link sectionCommand}). */
export const Command = { Exit: 0 } as const;
/** Runs section `command − 1` of the step plan (`StepPlan.sections`, the same on every thread). */
export type SectionCommand = number;

/** The command that runs section `index` of the step plan. */
export function sectionCommand(index: number): SectionCommand {
  return index + 1;
}

/** The step-plan section a (non-Exit) command runs. */
export function sectionIndex(command: SectionCommand): number {
  return command - 1;
}

/** Byte offset of the f64 step arguments inside the control block. */
const ARGUMENTS_BYTE = 32;

/** Spins (atomic loads) before a waiting thread falls asleep on the futex. */
export const SPINS_BEFORE_SLEEP = 20000;

/** Int32 view of the control block at byte `control` of `buffer`. */
export function controlWords(buffer: ArrayBufferLike, control: number): Int32Array {
  return new Int32Array(buffer, control, 8);
}

/** Writes the step's arguments (thread 0, before bumping the generation). */
export function writeArguments(buffer: ArrayBufferLike, control: number, args: StepArguments): void {
  const words = controlWords(buffer, control);
  words[Control.Batch] = args.batch;
  const floats = new Float64Array(buffer, control + ARGUMENTS_BYTE, 3);
  floats[0] = args.learningRate;
  floats[1] = args.c1;
  floats[2] = args.c2;
}

/** Reads the step's arguments (helpers, after seeing the generation change). */
export function readArguments(buffer: ArrayBufferLike, control: number): StepArguments {
  const words = controlWords(buffer, control);
  const floats = new Float64Array(buffer, control + ARGUMENTS_BYTE, 3);
  return {
    batch: words[Control.Batch] ?? 0,
    learningRate: floats[0] ?? 0,
    c1: floats[1] ?? 1,
    c2: floats[2] ?? 1,
  };
}

/**
 * Waits until `words[index]` is no longer `value`: spins first (a section is often only tens of
 * microseconds away), then sleeps on the futex, waking every `sliceMs` to call `check`
 * (which throws to give up). Returns the new value.
 */
export function waitWhile(
  words: Int32Array,
  index: ControlWord,
  value: number,
  check: () => void = () => {},
  sliceMs = 1000,
): number {
  for (let spin = 0; spin < SPINS_BEFORE_SLEEP; spin++) {
    const now = Atomics.load(words, index);
    if (now !== value) return now;
  }
  for (;;) {
    Atomics.wait(words, index, value, sliceMs);
    const now = Atomics.load(words, index);
    if (now !== value) return now;
    check();
  }
}
