/// <reference lib="webworker" />
import { WorkerAnalysisHost } from './analysisHost.ts';
import { bringUpBackend, describeDevice, softwareBackends } from './backends.ts';
import { engineTrialCache } from './engineTrialCache.ts';
import { browserKernelThreadHost } from './kernelThreads.ts';
import { fetchMnist } from './mnistFetch.ts';
import { transferablesOf, type WorkerCommand } from './protocol.ts';
import { WorkerSession } from './WorkerSession.ts';

/**
 * The training worker's entry: the only file that touches `self`. It wires one
 * {@link WorkerSession} (which owns data, backend, runs and models) to the page: commands in,
 * events out through the single `postMessage` below, typed arrays transferred, not copied. It
 * also starts the analysis worker (`analysis.worker.ts`), nested in this one, so it ends with it,
 * and gives runs the fused kernel's helper threads (`kernelThread.worker.ts`, nested too).
 */

declare const self: DedicatedWorkerGlobalScope;

/** A macrotask turn, so queued messages (pause, stop) are handled during busy training. */
const yieldToEventLoop = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

/** Nested workers are part of the worker standard; where they are missing, analyses run in process. */
const analysisHost =
  typeof Worker === 'function'
    ? new WorkerAnalysisHost(
        () => new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' }),
      )
    : undefined;

const kernelThreads = browserKernelThreadHost(
  self.crossOriginIsolated,
  navigator.hardwareConcurrency,
  () =>
    new Worker(new URL('./kernelThread.worker.ts', import.meta.url), {
      type: 'module',
      name: 'kernel-thread',
    }),
);

const session = new WorkerSession({
  post: (event) => self.postMessage(event, transferablesOf(event)),
  loadMnist: fetchMnist,
  bringUpBackend,
  yieldToEventLoop,
  now: () => performance.now(),
  ...(analysisHost ? { analysisHost } : {}),
  ...(typeof Worker === 'function' ? { kernelThreads } : {}),
  engineTrial: { cache: engineTrialCache(), describeDevice, softwareBackends },
});

self.addEventListener('message', (event: MessageEvent<WorkerCommand>) => {
  void session.receive(event.data);
});

self.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  event.preventDefault();
  session.reportUnexpected(event.reason);
});
