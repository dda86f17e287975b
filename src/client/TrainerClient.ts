import type { WorkerCommand, WorkerEvent } from '../worker/protocol.ts';

/**
 * Main-thread owner of the training worker: the one place that calls `postMessage` on this side.
 * Worker crashes and undecodable messages are turned into protocol `error` events (a crash's is
 * `fatal`: the worker is gone and answers nothing it was asked), so the page has a single stream
 * to handle; the next command after a crash, or after {@link TrainerClient.terminate}, starts a
 * fresh worker. `TrainerSession` is its one user.
 */
export class TrainerClient {
  private worker: Worker | null = null;
  private readonly listeners = new Set<(event: WorkerEvent) => void>();
  private lastRunId = '';
  private counter = 0;

  constructor(private readonly createWorker: () => Worker) {}

  /** A new id for a run or preparation; events tagged with older ids are stale. */
  newRunId(): string {
    this.counter += 1;
    return `run-${Date.now().toString(36)}-${this.counter}`;
  }

  send(command: WorkerCommand): void {
    this.lastRunId = command.runId;
    this.ensureWorker().postMessage(command);
  }

  subscribe(listener: (event: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the worker now (and with it its copy of MNIST); the next command starts a fresh one. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private emit(event: WorkerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = this.createWorker();
    worker.addEventListener('message', (message: MessageEvent<WorkerEvent>) => {
      this.emit(message.data);
      // A worker that lost its backend for good is replaced: the next command starts a fresh one.
      if (message.data.type === 'error' && message.data.fatal === true) {
        worker.terminate();
        if (this.worker === worker) this.worker = null;
      }
    });
    worker.addEventListener('messageerror', () =>
      this.emit({
        type: 'error',
        runId: this.lastRunId,
        message: 'A message from the training worker could not be read',
      }),
    );
    worker.addEventListener('error', (event: ErrorEvent) => {
      event.preventDefault();
      worker.terminate();
      if (this.worker === worker) this.worker = null;
      this.emit({
        type: 'error',
        runId: this.lastRunId,
        fatal: true,
        message: `The training worker crashed: ${event.message || 'unknown error'}. Press Train to start again.`,
      });
    });
    this.worker = worker;
    return worker;
  }
}

/** The worker entry, bundled by Vite as a module worker. */
export function createTrainerWorker(): Worker {
  return new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'trainer',
  });
}
