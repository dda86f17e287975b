/// <reference lib="webworker" />
import { bringUpBackend } from './backends.ts';
import { fetchMnist } from './mnistFetch.ts';
import { transferablesOf, type WorkerCommand } from './protocol.ts';
import { WorkerSession } from './WorkerSession.ts';

/**
 * The training worker's entry: the only file that touches `self`. It wires one
 * {@link WorkerSession} (which owns data, backend, runs and models) to the page: commands in,
 * events out through the single `postMessage` below, typed arrays transferred, not copied.
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

const session = new WorkerSession({
  post: (event) => self.postMessage(event, transferablesOf(event)),
  loadMnist: fetchMnist,
  bringUpBackend,
  yieldToEventLoop,
  now: () => performance.now(),
});

self.addEventListener('message', (event: MessageEvent<WorkerCommand>) => {
  void session.receive(event.data);
});

self.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  event.preventDefault();
  session.reportUnexpected(event.reason);
});
