import type { KernelThreadStart } from './kernelThread.ts';
import { claimWord, Command, Control, runBlocks, type SectionCommand, waitWhile } from './threadControl.ts';

/**
 * Thread 0's side of the fused kernel's thread pool. The helpers (spawned once per run through
 * the {@link KernelThreadHost} the environment provides: nested module workers in the browser,
 * worker threads in Node) share the run's `WebAssembly.Memory`; a section starts when thread 0
 * bumps the generation word of the control block (`threadControl.ts`); every thread, thread 0
 * included, then claims blocks of it until none is left, and the section ends when every block
 * is finished. A section costs an atomic round trip (microseconds while helpers spin; a futex
 * wake when they have fallen asleep, e.g. between epochs), and a helper the system pauses
 * costs at most the block it holds.
 *
 * Until every helper has started (reported through the `Ready` word, not a message, so thread 0
 * never has to yield to its event loop for them) the engine trains on thread 0 alone; results
 * are the same either way.
 */

/** One spawned helper, as the engine sees it. */
export interface KernelThreadPort {
  /** Sends the helper its start message (module, shared memory, run inputs, thread index). */
  start(message: KernelThreadStart): void;
  /** Ends the helper at once (after Exit, or when it stopped answering). */
  terminate(): void;
}

/** Where helper threads come from, and how many the kernel may use here. */
export interface KernelThreadHost {
  /** Threads the kernel may run on, thread 0 included: the machine's cores, or 1. */
  readonly maxThreads: number;
  /** Why `maxThreads` is 1, in words (shown in Details), when it is. */
  readonly limitReason: string;
  /** How a user forces the count here, for the reason text: `?threads=` (page), `--threads ` (CLI). */
  readonly requestName: string;
  spawn(): KernelThreadPort;
}

/** How long thread 0 waits for a section's helpers before calling the pool broken. */
const SECTION_TIMEOUT_MS = 30_000;

export class KernelThreadPool {
  private readonly ports: KernelThreadPort[] = [];
  private disposed = false;

  /**
   * @param words the control block (Int32 view of the shared memory at `layout.control`).
   * @param start what every helper gets, less its thread index.
   * @param helpers how many helpers to spawn (threads − 1).
   */
  constructor(
    host: KernelThreadHost,
    private readonly words: Int32Array,
    start: Omit<KernelThreadStart, 'thread' | 'type'>,
    helpers: number,
  ) {
    for (let thread = 1; thread <= helpers; thread++) {
      const port = host.spawn();
      this.ports.push(port);
      port.start({ ...start, type: 'start', thread });
    }
  }

  /** Whether every helper has started (only then can sections use more than one thread). */
  get allReady(): boolean {
    return Atomics.load(this.words, Control.Ready) >= this.ports.length;
  }

  /**
   * Runs one section in `blocks` blocks on up to `threads` threads: publishes it, claims and runs
   * blocks on this thread like every helper (`runBlock(block, blocks)` computes block `block` of
   * `blocks`), then waits until every block is finished. A paused helper delays the section by
   * at most the block it holds. Call only when {@link allReady}.
   */
  run(
    command: SectionCommand,
    threads: number,
    blocks: number,
    runBlock: (block: number, blocks: number) => void,
  ): void {
    const words = this.words;
    const generation = (Atomics.load(words, Control.Generation) + 1) | 0;
    Atomics.store(words, Control.Command, command);
    Atomics.store(words, Control.Threads, threads);
    Atomics.store(words, Control.Finished, 0);
    Atomics.store(words, Control.Claim, claimWord(generation, blocks));
    Atomics.store(words, Control.Generation, generation);
    Atomics.notify(words, Control.Generation);
    runBlocks(words, generation, blocks, runBlock);
    const started = Date.now();
    let finished = Atomics.load(words, Control.Finished);
    while (finished < blocks) {
      finished = waitWhile(words, Control.Finished, finished, () => {
        if (Date.now() - started > SECTION_TIMEOUT_MS) throw new Error('a kernel thread stopped answering');
      });
    }
    if (Atomics.load(words, Control.Failed) !== 0)
      throw new Error('a kernel thread failed during a training step');
  }

  /** Tells the helpers to exit and ends their workers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.words, Control.Command, Command.Exit);
    Atomics.add(this.words, Control.Generation, 1);
    Atomics.notify(this.words, Control.Generation);
    for (const port of this.ports) port.terminate();
  }
}
