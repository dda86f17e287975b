import type { Point } from '../core/series.ts';
import type { RunFingerprints } from '../core/runRecord.ts';
import type {
  BackendInfo,
  EngineInfo,
  EpochAnalysis,
  PredictionSource,
  WorkerCommand,
  WorkerEvent,
} from '../worker/protocol.ts';

/**
 * The page's view of the worker, as a pure reducer: (state, action) → state. Events whose
 * `runId` is not the current one belong to an abandoned run and are dropped here.
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

export interface RunShape {
  readonly epochs: number;
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  readonly normalization: { readonly mean: number; readonly std: number };
  readonly trainingExamples: number;
  readonly validationExamples: number;
  readonly parameterCount: number;
  /** The engine running the steps and why (fused kernel or TF.js ops). */
  readonly engine: EngineInfo;
  /** Hashes of the initial weights and the first epoch's data order (fair comparisons). */
  readonly fingerprints: RunFingerprints;
}

/** The run's outcome as the worker reports it (final and best-epoch test results). */
export type RunResultView = Omit<Extract<WorkerEvent, { type: 'run-finished' }>, 'type' | 'runId'>;

/** Training images and their augmented copies, `[count, 784]` bytes each. */
export interface AugmentationPreview {
  readonly originals: Uint8Array;
  readonly augmented: Uint8Array;
  readonly labels: Uint8Array;
}

/** The 10,000 test images the galleries draw: `images [10000, 784]` bytes, `labels [10000]`. */
export interface TestImages {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** The model's answer for the drawn digit (see the `prediction` event). */
export interface PredictionView {
  readonly requestId: number;
  /** `[10]` probabilities, or null when there was no model to ask. */
  readonly probabilities: Float32Array | null;
  readonly source: PredictionSource | null;
  readonly epoch: number | null;
  /** Worker-side time for the forward pass. */
  readonly ms: number;
}

/** A saved model sent to the worker with `load-model`, and how loading it went. */
export interface LoadedModelView {
  readonly requestId: number;
  readonly name: string;
  /** `loading` until the worker answers; `loaded` means predictions now use it. */
  readonly status: 'loading' | 'loaded' | 'failed';
  /** Its evaluation on the 10,000 test images, once loaded. */
  readonly test: { readonly loss: number; readonly accuracy: number } | null;
  readonly error: string | null;
}

/** Which kind of preview an `augmentation-preview` event answers, in the order they were asked. */
export type PreviewKind = 'sample' | 'perClass';

export interface RunState {
  readonly runId: string | null;
  readonly phase: Phase;
  readonly dataProgress: { readonly loadedBytes: number; readonly totalBytes: number } | null;
  readonly dataReady: boolean;
  readonly backend: BackendInfo | null;
  readonly run: RunShape | null;
  readonly epoch: number;
  readonly batchInEpoch: number;
  readonly examplesPerSecond: number;
  /** Learning rate in use (schedule or override), from the latest report; null before training. */
  readonly learningRate: number | null;
  /** Series against epochs (x = step / batchesPerEpoch), one training point per batch. */
  readonly trainLoss: readonly Point[];
  readonly trainAccuracy: readonly Point[];
  readonly validationLoss: readonly Point[];
  readonly validationAccuracy: readonly Point[];
  readonly epochMs: readonly number[];
  /**
   * Training time so far (y, ms, excluding pauses and evaluation) against epochs (x), one point
   * per report: maps any curve point to the clock (see `runCurves.ts`).
   */
  readonly trainingTime: readonly Point[];
  readonly result: RunResultView | null;
  /**
   * `tf.memory().numTensors` in the worker: sampled with each batch report while training (flat
   * in a healthy run), then the count after the run freed its tensors (0 = nothing leaked).
   */
  readonly tensorsAlive: number | null;
  readonly augmentationPreview: AugmentationPreview | null;
  /** The first few training images of each digit, class order, and their augmented copies. */
  readonly datasetPreview: AugmentationPreview | null;
  /**
   * Previews asked for and not yet answered, oldest first: the worker answers commands in order
   * with the same event type, so this says whether an answer belongs to the Data panel's sample
   * or to the per-class dataset grid.
   */
  readonly pendingPreviews: readonly PreviewKind[];
  /** Sent once per worker; kept across runs and resets. */
  readonly testImages: TestImages | null;
  /** One analysis per epoch of the current run, in epoch order (an epoch analysed twice keeps the latest). */
  readonly analyses: readonly EpochAnalysis[];
  /**
   * The newest answer to a `predict` request (answers older than the one shown are dropped), and
   * the id of the newest request sent: the prediction is pending while they differ. Predictions
   * are side requests, not runs: they never change `runId` and survive runs and resets.
   */
  readonly prediction: PredictionView | null;
  readonly predictionRequested: number | null;
  /**
   * The last model loaded into the worker (Models panel): kept across resets and backend changes
   * (the worker keeps it too), cleared when a run starts (the run's weights take over).
   */
  readonly loadedModel: LoadedModelView | null;
  readonly error: string | null;
}

export const INITIAL_RUN_STATE: RunState = {
  runId: null,
  phase: 'idle',
  dataProgress: null,
  dataReady: false,
  backend: null,
  run: null,
  epoch: 0,
  batchInEpoch: 0,
  examplesPerSecond: 0,
  learningRate: null,
  trainLoss: [],
  trainAccuracy: [],
  validationLoss: [],
  validationAccuracy: [],
  epochMs: [],
  trainingTime: [],
  result: null,
  tensorsAlive: null,
  augmentationPreview: null,
  datasetPreview: null,
  pendingPreviews: [],
  testImages: null,
  analyses: [],
  prediction: null,
  predictionRequested: null,
  loadedModel: null,
  error: null,
};

export type RunAction =
  | { readonly kind: 'sent'; readonly command: WorkerCommand }
  | { readonly kind: 'received'; readonly event: WorkerEvent }
  /** Reset: forget the run (its late events become stale) and show a fresh, untrained state. */
  | { readonly kind: 'reset'; readonly runId: string };

/** Clears everything that belongs to one training run, keeping data and backend status. */
function freshRun(state: RunState, runId: string, phase: Phase): RunState {
  return {
    ...INITIAL_RUN_STATE,
    runId,
    phase,
    dataProgress: state.dataProgress,
    dataReady: state.dataReady,
    backend: state.backend,
    augmentationPreview: state.augmentationPreview,
    datasetPreview: state.datasetPreview,
    pendingPreviews: state.pendingPreviews,
    testImages: state.testImages,
    prediction: state.prediction,
    predictionRequested: state.predictionRequested,
    loadedModel: state.loadedModel,
  };
}

function onCommand(state: RunState, command: WorkerCommand): RunState {
  switch (command.type) {
    case 'prepare':
      return { ...freshRun(state, command.runId, 'loading'), backend: null };
    case 'start':
      return { ...freshRun(state, command.runId, 'starting'), loadedModel: null };
    case 'pause':
    case 'resume':
    case 'stop':
    case 'step':
    case 'simulate-fault':
    case 'set-speed':
    case 'set-learning-rate':
    case 'export-model':
      return state;
    case 'load-model':
      return {
        ...state,
        loadedModel: {
          requestId: command.requestId,
          name: command.name,
          status: 'loading',
          test: null,
          error: null,
        },
      };
    case 'predict':
      return { ...state, predictionRequested: command.requestId };
    case 'preview-augmentation':
      return {
        ...state,
        pendingPreviews: [...state.pendingPreviews, command.perClass === undefined ? 'sample' : 'perClass'],
      };
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function appendSeries(series: readonly Point[], xs: ArrayLike<number>, ys: ArrayLike<number>, scale: number) {
  const added: Point[] = [];
  for (let i = 0; i < xs.length; i++) added.push({ x: (xs[i] ?? 0) * scale, y: ys[i] ?? Number.NaN });
  return series.concat(added);
}

/** `analyses` with `analysis` in epoch order, replacing an earlier analysis of the same epoch. */
function withAnalysis(analyses: readonly EpochAnalysis[], analysis: EpochAnalysis): EpochAnalysis[] {
  const kept = analyses.filter((a) => a.epoch !== analysis.epoch);
  const at = kept.findIndex((a) => a.epoch > analysis.epoch);
  if (at < 0) return [...kept, analysis];
  return [...kept.slice(0, at), analysis, ...kept.slice(at)];
}

function onEvent(state: RunState, event: WorkerEvent): RunState {
  switch (event.type) {
    case 'data-progress':
      return { ...state, dataProgress: { loadedBytes: event.loadedBytes, totalBytes: event.totalBytes } };
    case 'data-ready':
      return {
        ...state,
        dataReady: true,
        phase: state.phase === 'loading' ? 'ready' : state.phase,
      };
    case 'backend-ready':
      return { ...state, backend: event.backend };
    case 'run-started': {
      const { epochs, batchesPerEpoch, batchSize, trainingExamples, validationExamples, parameterCount } =
        event;
      return {
        ...state,
        phase: state.phase === 'paused' ? 'paused' : 'training',
        run: {
          epochs,
          batchesPerEpoch,
          batchSize,
          normalization: event.normalization,
          trainingExamples,
          validationExamples,
          parameterCount,
          engine: event.engine,
          fingerprints: event.fingerprints,
        },
        epoch: 1,
      };
    }
    case 'batch': {
      const scale = 1 / (state.run?.batchesPerEpoch ?? 1);
      const { steps, losses, accuracies } = event.points;
      const lastStep = steps[steps.length - 1];
      return {
        ...state,
        epoch: event.epoch,
        batchInEpoch: event.batchInEpoch,
        examplesPerSecond: event.examplesPerSecond,
        learningRate: event.learningRate ?? state.learningRate,
        tensorsAlive: event.tensors ?? state.tensorsAlive,
        trainLoss: appendSeries(state.trainLoss, steps, losses, scale),
        trainAccuracy: appendSeries(state.trainAccuracy, steps, accuracies, scale),
        trainingTime:
          lastStep === undefined
            ? state.trainingTime
            : [...state.trainingTime, { x: lastStep * scale, y: event.trainingMs }],
      };
    }
    case 'epoch': {
      const x = event.epoch;
      return {
        ...state,
        epochMs: [...state.epochMs, event.epochMs],
        trainingTime: [...state.trainingTime, { x, y: event.trainingMs }],
        learningRate: event.learningRate,
        validationLoss:
          event.validationLoss === null
            ? state.validationLoss
            : [...state.validationLoss, { x, y: event.validationLoss }],
        validationAccuracy:
          event.validationAccuracy === null
            ? state.validationAccuracy
            : [...state.validationAccuracy, { x, y: event.validationAccuracy }],
      };
    }
    case 'paused':
      return { ...state, phase: 'paused' };
    case 'resumed':
      return { ...state, phase: 'training' };
    case 'evaluating':
      return { ...state, phase: 'evaluating' };
    case 'run-finished':
      return {
        ...state,
        // A diverged run ended early too: it reads as stopped, with `result.diverged` saying why.
        phase: event.stopped || event.diverged !== null ? 'stopped' : 'finished',
        tensorsAlive: event.tensorsAlive,
        result: {
          stopped: event.stopped,
          diverged: event.diverged,
          finalTest: event.finalTest,
          best: event.best,
          trainMs: event.trainMs,
          tensorsAlive: event.tensorsAlive,
        },
      };
    case 'augmentation-preview': {
      const [kind = 'sample', ...pendingPreviews] = state.pendingPreviews;
      const preview = { originals: event.originals, augmented: event.augmented, labels: event.labels };
      return kind === 'perClass'
        ? { ...state, pendingPreviews, datasetPreview: preview }
        : { ...state, pendingPreviews, augmentationPreview: preview };
    }
    case 'test-images':
      return { ...state, testImages: { images: event.images, labels: event.labels } };
    case 'prediction': {
      if (state.prediction !== null && event.requestId <= state.prediction.requestId) return state;
      const { requestId, probabilities, source, epoch, ms } = event;
      return { ...state, prediction: { requestId, probabilities, source, epoch, ms } };
    }
    case 'analysis':
      return { ...state, analyses: withAnalysis(state.analyses, event.analysis) };
    case 'model-export':
      return state;
    case 'model-loaded': {
      const pending = state.loadedModel;
      if (pending === null || pending.requestId !== event.requestId) return state;
      const loaded = event.test !== null && event.error === null;
      return {
        ...state,
        loadedModel: {
          ...pending,
          status: loaded ? 'loaded' : 'failed',
          test: event.test,
          error: event.error,
        },
      };
    }
    case 'error':
      // A crashed worker answers nothing it was asked before: forget the previews in flight.
      return {
        ...state,
        phase: 'error',
        error: event.message,
        pendingPreviews: [],
        loadedModel:
          state.loadedModel?.status === 'loading'
            ? { ...state.loadedModel, status: 'failed', error: event.message }
            : state.loadedModel,
      };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function runReducer(state: RunState, action: RunAction): RunState {
  if (action.kind === 'reset') {
    return { ...freshRun(state, action.runId, state.dataReady ? 'ready' : 'loading') };
  }
  if (action.kind === 'sent') return onCommand(state, action.command);
  // Previews, predictions, model exports and loads, and the test images are not tied to a run:
  // accept them whatever run is current (the test images come once per worker, tagged with
  // whichever preparation loaded the data; predictions and loads are matched by request id).
  const type = action.event.type;
  if (
    type === 'augmentation-preview' ||
    type === 'test-images' ||
    type === 'prediction' ||
    type === 'model-export' ||
    type === 'model-loaded'
  ) {
    return onEvent(state, action.event);
  }
  if (action.event.runId !== state.runId) return state;
  return onEvent(state, action.event);
}

/** Whether the Train button should start a new run now. */
export function canStartTraining(state: RunState): boolean {
  return !['starting', 'training', 'paused', 'evaluating'].includes(state.phase);
}
