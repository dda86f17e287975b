/// <reference lib="webworker" />
import { runKernelThread, type KernelThreadStart } from '../ml/fused/kernelThread.ts';

/**
 * A helper thread of the fused kernel, nested in the training worker (see `kernelThreads.ts`):
 * one start message (kernel module, the run's shared memory, thread index), then it runs its
 * share of every section until the run ends it. It never returns to its event loop meanwhile.
 */

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener(
  'message',
  (event: MessageEvent<KernelThreadStart>) => {
    runKernelThread(event.data);
    self.close();
  },
  { once: true },
);
