import type { WorkerCommand, WorkerEvent } from '../worker/protocol.ts';

type Listener = (message: { data?: WorkerEvent; message?: string; preventDefault?: () => void }) => void;

/**
 * Stands in for the training worker in tests of the page side (`TrainerSession`,
 * `ComparisonRunner`): records the commands posted to it, and the test plays its events, or
 * crashes it as an uncaught error in a real worker would.
 */
export class FakeTrainerWorker {
  readonly posted: WorkerCommand[] = [];
  terminated = false;
  private readonly listeners = new Map<string, Listener[]>();

  postMessage(command: WorkerCommand): void {
    this.posted.push(command);
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** The worker posts `event`. */
  emit(event: WorkerEvent): void {
    for (const listener of this.listeners.get('message') ?? []) listener({ data: event });
  }

  /** An uncaught error ends the worker (the page sees an `error` event on the Worker object). */
  crash(message: string): void {
    for (const listener of this.listeners.get('error') ?? []) listener({ message, preventDefault: () => {} });
  }

  /** The run id of the first command: the run a comparison variant's worker was started for. */
  get runId(): string {
    return this.posted[0]?.runId ?? '';
  }

  /** The last command posted of `type`. */
  last<T extends WorkerCommand['type']>(type: T): Extract<WorkerCommand, { type: T }> {
    const found = this.posted.findLast((command) => command.type === type);
    if (found === undefined) throw new Error(`No ${type} command was posted`);
    return found as Extract<WorkerCommand, { type: T }>;
  }
}

/** A `createWorker` for the page side that keeps every fake worker it makes, newest last. */
export function fakeWorkerFactory(): { readonly workers: FakeTrainerWorker[]; create: () => Worker } {
  const workers: FakeTrainerWorker[] = [];
  return {
    workers,
    create: () => {
      const worker = new FakeTrainerWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    },
  };
}
