import type { StepArguments } from './fusedSections.ts';

/**
 * The thread pool's control block: a few words in the kernel's shared memory (at
 * `FusedLayout.control`, `THREAD_CONTROL_BYTES` long) through which thread 0 starts a section on
 * the helpers and waits for it to finish, with `Atomics` only — no messages, so a section costs a
 * few microseconds while helpers spin, and one futex wake when they sleep.
 *
 * A section is cut into blocks that threads *claim* one at a time (the claim word), so a thread
 * the operating system has paused (the page, the analysis worker and other programs share the
 * cores) holds up at most the one block it is in, never the others' share: whoever is running
 * takes the rest. The result does not depend on who computes a block (every output element is
 * computed with the same instructions in the same order), so claiming keeps the bits identical.
 *
 * Int32 words: the generation (bumped to start a section), the command, the claim word
 * (generation, block count and next block, packed so a late thread can never claim a block of a
 * section it did not see start), how many blocks are finished, how many threads take part, the
 * batch size, how many helpers are ready, and a failure flag; then f64 step arguments at byte 32.
 */
export const Control = {
  Generation: 0,
  Command: 1,
  Claim: 2,
  Finished: 3,
  Threads: 4,
  Batch: 5,
  Ready: 6,
  Failed: 7,
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

/** The most blocks a section may have (10 bits of the claim word). */
export const MAX_BLOCKS = 1023;

/** The claim word of generation `generation`'s section of `blocks` blocks, before any claim. */
export function claimWord(generation: number, blocks: number): number {
  return ((generation & 0xfff) << 20) | (blocks << 10) | 0;
}

/**
 * Claims the next block of generation `generation`'s section: its index, or -1 when its blocks
 * are all taken or a newer section has started.
 */
export function claimBlock(words: Int32Array, generation: number): number {
  for (;;) {
    const word = Atomics.load(words, Control.Claim);
    if (word >>> 20 !== (generation & 0xfff)) return -1;
    const next = word & 0x3ff;
    if (next >= ((word >>> 10) & 0x3ff)) return -1;
    if (Atomics.compareExchange(words, Control.Claim, word, word + 1) === word) return next;
  }
}

/**
 * Claims and runs blocks of generation `generation`'s section until none is left, counting each
 * finished one (and notifying thread 0 at the last). Errors mark the pool failed; the block still
 * counts, so thread 0 never waits for it forever.
 */
export function runBlocks(
  words: Int32Array,
  generation: number,
  blocks: number,
  runBlock: (block: number, blocks: number) => void,
): void {
  for (let block = claimBlock(words, generation); block >= 0; block = claimBlock(words, generation)) {
    try {
      runBlock(block, blocks);
    } catch {
      Atomics.store(words, Control.Failed, 1);
    }
    if (Atomics.add(words, Control.Finished, 1) + 1 === blocks) Atomics.notify(words, Control.Finished);
  }
}

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
