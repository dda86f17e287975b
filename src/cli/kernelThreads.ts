import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { KernelThreadHost } from '../ml/fused/kernelPool.ts';
import type { KernelThreadStart } from '../ml/fused/kernelThread.ts';

/**
 * The fused kernel's helper threads in Node (the CLI, the bench's Node runs, Vitest): one
 * `worker_threads` Worker per helper, running src/cli/kernelThreadEntry.ts through the same tsx
 * loader as the CLI. Node always has SharedArrayBuffer, so threads are limited only by the cores.
 * (Node 20 does not apply `--import tsx` in a worker's `execArgv` to the worker's own entry, so a
 * two-line bootstrap registers tsx's loader, then imports the entry.)
 *
 * @param maxThreads threads including the caller's (default: the cores Node may use).
 */
/** tsx's ESM register API (its `import` export; `require.resolve` would give the CommonJS one). */
const TSX_API = new URL(
  'dist/esm/api/index.mjs',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json')),
).href;
const ENTRY = new URL('./kernelThreadEntry.ts', import.meta.url).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(ENTRY)}); });`;

export function nodeKernelThreadHost(maxThreads: number = availableParallelism()): KernelThreadHost {
  return {
    maxThreads: Math.max(1, maxThreads),
    limitReason: 'one thread: this machine has one core',
    requestName: '--threads ',
    spawn() {
      const worker = new Worker(BOOTSTRAP, { eval: true });
      // A helper that fails to start leaves the engine on one thread (the tuner stops waiting).
      worker.on('error', (error) => console.error('a kernel helper thread failed:', error));
      return {
        start: (message: KernelThreadStart) => worker.postMessage(message),
        terminate: () => void worker.terminate(),
      };
    },
  };
}
