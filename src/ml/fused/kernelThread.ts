import type { TrainingConfig } from '../../core/config.ts';
import { fusedLayout } from '../../core/fusedLayout.ts';
import type { KernelExports } from '../../core/kernelBindings.ts';
import type { NormalizationStats } from '../../core/normalization.ts';
import { runSection, stepPlan } from './fusedSections.ts';
import { instantiateKernel, type KernelMemoryHandle, type KernelModule } from './kernel.ts';
import {
  Command,
  Control,
  controlWords,
  readArguments,
  runBlocks,
  sectionIndex,
  SPINS_BEFORE_SLEEP,
  waitWhile,
} from './threadControl.ts';

/**
 * The helper side of the fused kernel's thread pool: a worker (browser) or worker thread (Node)
 * that instantiates the kernel on the run's shared memory and runs its share of each section
 * thread 0 starts, until told to exit. It never needs its event loop after the start message.
 */

/** The one message a helper receives, right after it is spawned. */
export interface KernelThreadStart {
  readonly type: 'start';
  readonly module: KernelModule;
  /** The run's shared `WebAssembly.Memory`. */
  readonly memory: KernelMemoryHandle;
  /** What thread 0 built its layout and plan from (so both are the same). */
  readonly config: TrainingConfig;
  readonly maxBatch: number;
  readonly residentImages: number;
  readonly normalization: NormalizationStats;
  readonly augmenting: boolean;
  /** 1 … threads−1 (thread 0 is the engine itself). */
  readonly thread: number;
}

/**
 * How an idle helper waits for the next section, once it has spun a while: `block` sleeps on the
 * futex (`Atomics.wait`: Node's worker threads); `yield` waits with `Atomics.waitAsync`, so the
 * worker's event loop runs meanwhile (browsers: the page's memory measurement and devtools post
 * tasks to every worker and wait for them to run).
 */
export type IdleWait = 'block' | 'yield';

interface WaitAsyncResult {
  readonly async: boolean;
  readonly value: Promise<string> | string;
}
/** `Atomics.waitAsync` (ES2024; not in this project's TypeScript library), where it exists. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync?: (words: Int32Array, index: number, value: number, timeoutMs: number) => WaitAsyncResult;
  }
).waitAsync;

/** The generation after `seen`: spins, then waits as `idle` says. */
async function nextGeneration(words: Int32Array, seen: number, idle: IdleWait): Promise<number> {
  if (idle === 'block' || waitAsync === undefined) return waitWhile(words, Control.Generation, seen);
  for (let spin = 0; spin < SPINS_BEFORE_SLEEP; spin++) {
    const now = Atomics.load(words, Control.Generation);
    if (now !== seen) return now;
  }
  for (;;) {
    const waiting = waitAsync(words, Control.Generation, seen, 1000);
    if (waiting.async) await waiting.value;
    const now = Atomics.load(words, Control.Generation);
    if (now !== seen) return now;
  }
}

/** Runs one helper until thread 0 sends `Command.Exit`; resolves then (the host may close). */
export async function runKernelThread(start: KernelThreadStart, idle: IdleWait = 'block'): Promise<void> {
  const k: KernelExports = instantiateKernel(start.module, start.memory);
  const layout = fusedLayout(start.config, start.maxBatch, start.residentImages);
  const plan = stepPlan(start.config, layout, start.normalization, start.augmenting);
  const words = controlWords(k.memory.buffer, layout.control);
  let seen = Atomics.load(words, Control.Generation);
  Atomics.add(words, Control.Ready, 1);
  Atomics.notify(words, Control.Ready);
  for (;;) {
    seen = await nextGeneration(words, seen, idle);
    const command = Atomics.load(words, Control.Command);
    if (command === Command.Exit) return;
    if (start.thread >= Atomics.load(words, Control.Threads)) continue;
    const claim = Atomics.load(words, Control.Claim);
    const args = readArguments(k.memory.buffer, layout.control);
    runBlocks(words, seen, (claim >>> 10) & 0x3ff, (block, blocks) =>
      runSection(k, plan, sectionIndex(command), args, block, blocks),
    );
  }
}
