/// <reference lib="webworker" />
import { runKernelThread, type KernelThreadStart } from '../ml/fused/kernelThread.ts';

/**
 * A helper thread of the fused kernel, nested in the training worker (see `kernelThreads.ts`):
 * one start message (kernel module, the run's shared memory, thread index), then it runs its
 * share of every section until the run ends it, returning to its event loop only while idle.
 */

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener(
  'message',
  (event: MessageEvent<KernelThreadStart>) => {
    // Idle waits yield to the event loop, so the page's memory measurement reaches this worker too.
    void runKernelThread(event.data, 'yield').then(() => self.close());
  },
  { once: true },
);
