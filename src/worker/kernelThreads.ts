import type { KernelThreadHost } from '../ml/fused/kernelPool.ts';
import type { KernelThreadStart } from '../ml/fused/kernelThread.ts';

/** Threads beyond this many give MNIST-sized sections too little work each (and cost trial time). */
const MOST_THREADS = 8;

/**
 * The fused kernel's helper threads in the browser: module workers nested in the training worker,
 * sharing the run's `WebAssembly.Memory`. That needs cross-origin isolation (COOP + COEP
 * headers, which the dev and preview servers send): without it a shared memory cannot be posted
 * to a worker, so the kernel runs on one thread and Details says why.
 *
 * @param isolated `self.crossOriginIsolated` of the training worker.
 * @param cores `navigator.hardwareConcurrency`.
 */
export function browserKernelThreadHost(
  isolated: boolean,
  cores: number,
  spawnWorker: () => Worker,
): KernelThreadHost {
  const maxThreads = isolated ? Math.max(1, Math.min(MOST_THREADS, Math.floor(cores) || 1)) : 1;
  return {
    maxThreads,
    requestName: '?threads=',
    limitReason: isolated
      ? 'one thread: the browser reports one core'
      : 'one thread: the page is not cross-origin isolated (it needs the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers; see the README)',
    spawn() {
      const worker = spawnWorker();
      return {
        start: (message: KernelThreadStart) => worker.postMessage(message),
        terminate: () => worker.terminate(),
      };
    },
  };
}
