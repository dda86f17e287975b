import type { BackendChoice } from '../core/backends.ts';
import type { ExtraTraining } from '../core/extraTraining.ts';
import type { StepKind } from '../core/runReports.ts';
import type {
  AnswerTo,
  WorkerAnswer,
  WorkerCommand,
  WorkerEvent,
  WorkerRequest,
} from '../worker/protocol.ts';
import { INITIAL_RUN_STATE, runReducer, type RunAction, type RunStart, type RunState } from './runState.ts';
import { TrainerClient } from './TrainerClient.ts';

type StartCommand = Extract<WorkerCommand, { type: 'start' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A question as its asker writes it; the session adds the run and request ids. */
export type Question = DistributiveOmit<WorkerRequest, 'runId' | 'requestId'>;

/** Training images and their augmented copies (`[count, 784]` bytes each), as a preview answers. */
export type AugmentationPreview = Pick<
  AnswerTo<'preview-augmentation'>,
  'originals' | 'augmented' | 'labels'
>;

/** The model's answer for one drawn digit: `[10]` probabilities (null without a model) and their source. */
export type PredictionView = Omit<AnswerTo<'predict'>, 'type' | 'runId' | 'requestId'>;

/** What a run needs beyond what its state records ({@link RunStart}). */
export interface TrainOptions {
  /**
   * Continue from saved weights (a loaded model's) instead of a fresh draw; they must fit
   * `config.model`, and the optimizer starts afresh.
   */
  readonly initialWeights?: StartCommand['initialWeights'];
  /** Run the per-epoch error analysis (on when absent); a comparison turns it off. */
  readonly analysis?: boolean;
  /** With the analysis on: measure layer health too (on when absent); the bench turns it off. */
  readonly layerHealth?: boolean;
  /** My digits to mix into the training split (the Data panel's option; Train view only). */
  readonly extraTraining?: ExtraTraining;
}

/** Hears a long request's progress (`request-progress`): `done` of `total` units. */
export type ProgressListener = (done: number, total: number) => void;

interface PendingRequest {
  readonly request: WorkerRequest;
  readonly onProgress: ProgressListener | undefined;
  readonly resolve: (answer: WorkerAnswer) => void;
  readonly reject: (error: Error) => void;
}

/**
 * One training worker as the page sees it, framework-free: it owns the {@link TrainerClient},
 * folds every command and stream event through the pure reducer (`runState.ts`) into a snapshot
 * (`subscribe` / `getSnapshot`, for `useSyncExternalStore` or any other reader), sends the run
 * commands, and answers questions with {@link TrainerSession.request}, the one way to ask the
 * worker something. The Train view, each variant of a comparison and the bench page each use one.
 */
export class TrainerSession {
  private readonly client: TrainerClient;
  private state: RunState = INITIAL_RUN_STATE;
  private readonly listeners = new Set<() => void>();
  private readonly pending = new Map<number, PendingRequest>();
  private lastRequestId = 0;
  /** Wait after every step (ms), for the current run and the next ones. */
  private stepDelayMs: number;

  constructor(createWorker: () => Worker, options: { readonly stepDelayMs?: number } = {}) {
    this.client = new TrainerClient(createWorker);
    this.stepDelayMs = options.stepDelayMs ?? 0;
    this.client.subscribe((event) => this.receive(event));
  }

  /** The state now; the same object until something changes it. */
  getSnapshot = (): RunState => this.state;

  /** Calls `listener` after every change of the snapshot; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Load MNIST and bring up `backend` ahead of training (also after a backend change). */
  prepare(backend: BackendChoice): void {
    this.send({ type: 'prepare', runId: this.client.newRunId(), backend });
  }

  /**
   * Start a new run (stopping any other); the state records `start`. Returns the run's id, which
   * its events carry.
   */
  train(start: RunStart, options: TrainOptions = {}): string {
    const runId = this.client.newRunId();
    this.send(this.startCommand(runId, start, options));
    return runId;
  }

  /**
   * One batch, or the rest of the epoch. While paused it steps the current run; otherwise it
   * starts a run of `start` paused (fresh weights) and steps that.
   */
  step(kind: StepKind, start: RunStart, options: TrainOptions = {}): void {
    const { runId, phase } = this.state;
    if (runId !== null && phase === 'paused') {
      this.send({ type: 'step', runId, mode: kind });
      return;
    }
    const fresh = this.client.newRunId();
    this.send({ ...this.startCommand(fresh, start, options), startPaused: true });
    this.send({ type: 'step', runId: fresh, mode: kind });
  }

  pause(): void {
    this.toCurrentRun((runId) => ({ type: 'pause', runId }));
  }

  resume(): void {
    this.toCurrentRun((runId) => ({ type: 'resume', runId }));
  }

  /** End the run now; it is still tested (`evaluating`, then `run-finished` with `stopped`). */
  stop(): void {
    this.toCurrentRun((runId) => ({ type: 'stop', runId }));
  }

  /** Stop any run and forget it: charts clear, and its late events are dropped as stale. */
  reset(): void {
    this.stop();
    this.dispatch({ kind: 'reset', runId: this.client.newRunId() });
  }

  /** Wait `stepDelayMs` after every step (0 = full speed), in this run and the next ones. */
  setSpeed(stepDelayMs: number): void {
    this.stepDelayMs = stepDelayMs;
    this.toCurrentRun((runId) => ({ type: 'set-speed', runId, stepDelayMs }));
  }

  /** Override the learning rate from the next step on; null hands it back to the schedule. */
  setLearningRate(learningRate: number | null): void {
    this.toCurrentRun((runId) => ({ type: 'set-learning-rate', runId, learningRate }));
  }

  /**
   * "Measure again": the worker forgets the engine choices `auto` measured and kept on this
   * device, so the next Train measures the engines afresh.
   */
  forgetEngineChoices(): void {
    this.toCurrentRun((runId) => ({ type: 'forget-engine-choices', runId }));
  }

  /**
   * Ask the worker a question and get its one answer: the event with the same `requestId`. Rejects
   * with the worker's message when it answers with an `error` for this request, or when the
   * worker is gone (crashed, lost its GPU context, or this session was disposed) before answering.
   * Questions are side requests: they never change the run, and survive runs and resets.
   * `onProgress` hears the progress a long one reports (`find-learning-rate`) before its answer.
   */
  request = <Q extends Question>(
    question: Q,
    onProgress?: ProgressListener,
  ): Promise<AnswerTo<Q['type']>> => {
    this.lastRequestId += 1;
    const requestId = this.lastRequestId;
    // Tagged with the current run, as TrainerClient reports a crash under the last id it sent.
    const runId = this.state.runId ?? this.client.newRunId();
    const request = { ...question, runId, requestId } as WorkerRequest;
    const answer = new Promise<WorkerAnswer>((resolve, reject) => {
      this.pending.set(requestId, { request, onProgress, resolve, reject });
    });
    this.send(request);
    return answer as Promise<AnswerTo<Q['type']>>;
  };

  /**
   * Ends the worker (and its copy of MNIST); questions waiting for an answer are rejected. The
   * state stays, and a later command starts a fresh worker.
   */
  dispose(): void {
    this.client.terminate();
    this.rejectAll('The training worker was closed.');
  }

  private startCommand(runId: string, start: RunStart, options: TrainOptions): StartCommand {
    const { initialWeights, analysis, layerHealth, extraTraining } = options;
    return {
      type: 'start',
      runId,
      config: start.config,
      backend: start.backend,
      engine: start.engine,
      ...(start.threads === undefined ? {} : { threads: start.threads }),
      stepDelayMs: this.stepDelayMs,
      ...(initialWeights ? { initialWeights } : {}),
      ...(analysis === undefined ? {} : { analysis }),
      ...(layerHealth === undefined ? {} : { layerHealth }),
      ...(extraTraining ? { extraTraining } : {}),
    };
  }

  private toCurrentRun(command: (runId: string) => WorkerCommand): void {
    const runId = this.state.runId;
    if (runId !== null) this.send(command(runId));
  }

  private send(command: WorkerCommand): void {
    this.dispatch({ kind: 'sent', command });
    this.client.send(command);
  }

  private receive(event: WorkerEvent): void {
    if (event.type === 'error') {
      if (event.requestId !== undefined) {
        this.fail(event.requestId, event.message);
        return;
      }
      this.dispatch({ kind: 'received', event });
      // The worker is gone: it will answer nothing it was asked.
      if (event.fatal === true) this.rejectAll(event.message);
      return;
    }
    if (event.type === 'request-progress')
      this.pending.get(event.progressOf)?.onProgress?.(event.done, event.total);
    else if ('requestId' in event) this.answer(event);
    else this.dispatch({ kind: 'received', event });
  }

  private answer(answer: WorkerAnswer): void {
    const pending = this.pending.get(answer.requestId);
    if (pending === undefined) return;
    this.pending.delete(answer.requestId);
    // The worker answers each request with its own answer type (protocol `AnswerTypes`).
    this.dispatch({ kind: 'answered', request: pending.request, answer } as RunAction);
    pending.resolve(answer);
  }

  private fail(requestId: number, message: string): void {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return;
    this.pending.delete(requestId);
    this.dispatch({ kind: 'unanswered', request: pending.request, message });
    pending.reject(new Error(message));
  }

  private rejectAll(message: string): void {
    for (const requestId of [...this.pending.keys()]) this.fail(requestId, message);
  }

  private dispatch(action: RunAction): void {
    const next = runReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
