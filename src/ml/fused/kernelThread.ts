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

/** Runs one helper until thread 0 sends `Command.Exit`; returns then (the host may close). */
export function runKernelThread(start: KernelThreadStart): void {
  const k: KernelExports = instantiateKernel(start.module, start.memory);
  const layout = fusedLayout(start.config, start.maxBatch, start.residentImages);
  const plan = stepPlan(start.config, layout, start.normalization, start.augmenting);
  const words = controlWords(k.memory.buffer, layout.control);
  let seen = Atomics.load(words, Control.Generation);
  Atomics.add(words, Control.Ready, 1);
  Atomics.notify(words, Control.Ready);
  for (;;) {
    seen = waitWhile(words, Control.Generation, seen);
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
