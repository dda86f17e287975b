import type { Evaluation } from '../core/runReports.ts';
import type {
  AnswerTo,
  BackendInfo,
  WorkerAnswer,
  WorkerCommand,
  WorkerEvent,
  WorkerRequest,
} from '../worker/protocol.ts';
import { mixedInOf } from '../core/extraTraining.ts';
import { foldRunEvent, newRun, type LiveRun } from './liveRun.ts';

export type { LiveCurves, LiveRun, ReportedPoint, RunStart } from './liveRun.ts';

/**
 * The page's view of one training worker, as a pure reducer: (state, action) → state. Three
 * slices: the worker's set-up (data and backend, kept across runs), the run on screen (what it was
 * started with and everything it reported), and the one side request whose outcome outlives its
 * asker (the model last loaded). Events whose `runId` is not the current one belong to an
 * abandoned run and are dropped here. Answers to requests are paired with their request by
 * `TrainerSession.request()`, never here; they reach the reducer only as `answered` /
 * `unanswered` actions.
 */

export type Phase =
  | 'idle'
  | 'loading'
  | 'ready'
  | 'starting'
  | 'training'
  | 'paused'
  | 'evaluating'
  | 'finished'
  | 'stopped'
  | 'error';

/** The 10,000 test images the galleries draw: `images [10000, 784]` bytes, `labels [10000]`. */
export interface TestImages {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** MNIST as the worker loaded it (the `data-ready` event). */
export interface LoadedData {
  /** Training images in: fewer than 60,000 while the rest still streams in (a first visit). */
  readonly trainCount: number;
  readonly testCount: number;
  /** Fetch, gunzip and parse of the data announced (the first shard and the test set, later all), in ms. */
  readonly loadMs: number;
}

/** The worker's set-up: data and backend. Kept across runs and resets. */
export interface WorkerSetup {
  readonly dataProgress: { readonly loadedBytes: number; readonly totalBytes: number } | null;
  /** Null until MNIST is loaded: training, previews and predictions need it. */
  readonly data: LoadedData | null;
  /** Null until the backend is up; cleared when another backend is being prepared. */
  readonly backend: BackendInfo | null;
  /** Sent once per worker; kept across runs and resets. */
  readonly testImages: TestImages | null;
}

/** A saved model sent to the worker with `load-model`, and how loading it went. */
export interface LoadedModelView {
  /** The `load-model` request's id: a newer load's answer replaces this one, an older one's never. */
  readonly requestId: number;
  readonly name: string;
  /** `loading` until the worker answers; `loaded` means predictions now use it. */
  readonly status: 'loading' | 'loaded' | 'failed';
  /** Its evaluation on the 10,000 test images, once loaded. */
  readonly test: Evaluation | null;
  readonly error: string | null;
}

export interface RunState {
  /** The run (or preparation) whose events count; null before the first command. */
  readonly runId: string | null;
  readonly phase: Phase;
  readonly error: string | null;
  readonly worker: WorkerSetup;
  /** The run on screen: null before the first start, after a reset and after a new preparation. */
  readonly run: LiveRun | null;
  /**
   * The last model loaded into the worker (Models panel): kept across resets and backend changes
   * (the worker keeps it too), cleared when a run starts (the run's weights take over).
   */
  readonly loadedModel: LoadedModelView | null;
}

export const INITIAL_RUN_STATE: RunState = {
  runId: null,
  phase: 'idle',
  error: null,
  worker: { dataProgress: null, data: null, backend: null, testImages: null },
  run: null,
  loadedModel: null,
};

/** A request paired with its answer (both of the same request type). */
export type AnsweredRequest = {
  readonly [T in WorkerRequest['type']]: {
    readonly request: Extract<WorkerRequest, { type: T }>;
    readonly answer: AnswerTo<T>;
  };
}[WorkerRequest['type']];

/** The events a run streams (everything but the answers to requests and their progress). */
export type StreamEvent = Exclude<WorkerEvent, WorkerAnswer | { readonly type: 'request-progress' }>;

export type RunAction =
  | { readonly kind: 'sent'; readonly command: WorkerCommand }
  | { readonly kind: 'received'; readonly event: StreamEvent }
  /** A request's answer, paired with it by the session. */
  | ({ readonly kind: 'answered' } & AnsweredRequest)
  /** A request that will get no answer: the worker reported an error for it, or is gone. */
  | { readonly kind: 'unanswered'; readonly request: WorkerRequest; readonly message: string }
  /** Reset: forget the run (its late events become stale) and show a fresh, untrained state. */
  | { readonly kind: 'reset'; readonly runId: string };

/** Forgets the run on screen, keeping the worker's set-up and the loaded model. */
function freshRun(state: RunState, runId: string, phase: Phase): RunState {
  return { ...state, runId, phase, error: null, run: null };
}

function onCommand(state: RunState, command: WorkerCommand): RunState {
  switch (command.type) {
    case 'prepare':
      return { ...freshRun(state, command.runId, 'loading'), worker: { ...state.worker, backend: null } };
    case 'start':
      return {
        ...freshRun(state, command.runId, 'starting'),
        run: newRun({
          config: command.config,
          backend: command.backend,
          engine: command.engine ?? 'auto',
          ...(command.extraTraining ? { mixedIn: mixedInOf(command.extraTraining) } : {}),
        }),
        loadedModel: null,
      };
    case 'load-model': {
      const { requestId, name } = command;
      return { ...state, loadedModel: { requestId, name, status: 'loading', test: null, error: null } };
    }
    case 'pause':
    case 'resume':
    case 'stop':
    case 'step':
    case 'simulate-fault':
    case 'forget-engine-choices':
    case 'set-speed':
    case 'set-learning-rate':
    case 'predict':
    case 'export-model':
    case 'preview-augmentation':
    case 'find-learning-rate':
    case 'unit-top-images':
      return state;
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/** The loaded model once `requestId`'s load is over; unchanged when a newer load (or a run) replaced it. */
function settleLoad(
  state: RunState,
  requestId: number,
  outcome: { readonly test: Evaluation | null; readonly error: string | null },
): RunState {
  const pending = state.loadedModel;
  if (pending === null || pending.requestId !== requestId) return state;
  const loaded = outcome.test !== null && outcome.error === null;
  return { ...state, loadedModel: { ...pending, status: loaded ? 'loaded' : 'failed', ...outcome } };
}

const loadedData = (event: Extract<StreamEvent, { type: 'data-ready' }>): LoadedData => ({
  trainCount: event.trainCount,
  testCount: event.testCount,
  loadMs: event.loadMs,
});

function onEvent(state: RunState, event: StreamEvent): RunState {
  switch (event.type) {
    case 'data-progress': {
      const dataProgress = { loadedBytes: event.loadedBytes, totalBytes: event.totalBytes };
      return { ...state, worker: { ...state.worker, dataProgress } };
    }
    case 'data-ready': {
      return {
        ...state,
        worker: { ...state.worker, data: loadedData(event) },
        phase: state.phase === 'loading' ? 'ready' : state.phase,
      };
    }
    case 'backend-ready':
      return { ...state, worker: { ...state.worker, backend: event.backend } };
    case 'measuring-engines':
      return { ...state, run: state.run && { ...state.run, measuringEngines: true } };
    case 'test-images':
      return {
        ...state,
        worker: { ...state.worker, testImages: { images: event.images, labels: event.labels } },
      };
    case 'paused':
      return { ...state, phase: 'paused' };
    case 'resumed':
      return { ...state, phase: 'training' };
    case 'evaluating':
      return { ...state, phase: 'evaluating' };
    case 'run-started':
      return {
        ...state,
        phase: state.phase === 'paused' ? 'paused' : 'training',
        run: state.run && foldRunEvent(state.run, event),
      };
    case 'run-finished':
      return {
        ...state,
        // A diverged run ended early too: it reads as stopped, with `result.diverged` saying why.
        phase: event.stopped || event.diverged !== null ? 'stopped' : 'finished',
        run: state.run && foldRunEvent(state.run, event),
      };
    case 'batch':
    case 'epoch':
    case 'analysis':
    case 'analysis-failed':
      // Analyses trail their epochs: folded whatever the phase, also after run-finished.
      return { ...state, run: state.run && foldRunEvent(state.run, event) };
    case 'error':
      return { ...state, phase: 'error', error: event.message };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function runReducer(state: RunState, action: RunAction): RunState {
  switch (action.kind) {
    case 'reset':
      return freshRun(state, action.runId, state.worker.data !== null ? 'ready' : 'loading');
    case 'sent':
      return onCommand(state, action.command);
    case 'answered':
      // Only a load changes what the page shows for every view; other answers go to their askers.
      return action.request.type === 'load-model' && action.answer.type === 'model-loaded'
        ? settleLoad(state, action.request.requestId, action.answer)
        : state;
    case 'unanswered':
      return action.request.type === 'load-model'
        ? settleLoad(state, action.request.requestId, { test: null, error: action.message })
        : state;
    case 'received': {
      const { event } = action;
      if (event.runId === state.runId || event.type === 'test-images') return onEvent(state, event);
      // Facts about the worker's data come tagged with whichever command was latest (the test
      // images once; more training images as they stream in, even after a Reset): kept, and
      // nothing else changes.
      if (event.type === 'data-ready')
        return { ...state, worker: { ...state.worker, data: loadedData(event) } };
      return state;
    }
    default: {
      const unknown: never = action;
      return unknown;
    }
  }
}

/** Whether a run is under way (starting, training, paused or being evaluated). */
export function isRunActive(phase: Phase): boolean {
  return phase === 'starting' || phase === 'training' || phase === 'paused' || phase === 'evaluating';
}

/** Whether the Train button should start a new run now. */
export function canStartTraining(state: RunState): boolean {
  return !isRunActive(state.phase);
}

/** Whether there is a run or its results on screen for Reset to forget. */
export function hasRunToForget(state: RunState): boolean {
  const run = state.run;
  if (isRunActive(state.phase)) return true;
  return run !== null && (run.shape !== null || run.result !== null || run.curves.trainLoss.length > 0);
}
