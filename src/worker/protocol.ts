import type { EpochAnalysis, MisclassifiedView, PcaLayerView } from '../core/analysisTypes.ts';
import type { BackendChoice, BackendName } from '../core/backends.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineChoice, EngineInfo } from '../core/engines.ts';
import type { ExtraTraining } from '../core/extraTraining.ts';
import type { GpuLimits } from '../core/gpuBufferLimits.ts';
import type { RangeTestResult } from '../core/lrFinder.ts';
import type { ThreadRequest } from '../core/kernelThreads.ts';
import type { Divergence } from '../core/divergence.ts';
import type { ModelWeights } from '../core/modelFile.ts';
import type { ParameterTensor } from '../core/modelParameters.ts';
import type { UnitDetail } from '../core/neuronInspector.ts';
import type { NormalizationStats } from '../core/normalization.ts';
import type {
  BatchReport,
  EpochReport,
  Evaluation,
  RunFinishedReport,
  RunStartReport,
  StepKind,
} from '../core/runReports.ts';
import type { UnitTopImagesAnswer, UnitTopImagesRequest } from './unitTopImagesMessages.ts';
import { topImagesTransferables } from './unitTopImagesMessages.ts';

export type {
  BackendChoice,
  BackendName,
  Divergence,
  EngineChoice,
  EngineInfo,
  ModelWeights,
  ParameterTensor,
};
export type { EpochAnalysis, MisclassifiedView, PcaLayerView };
export type { BatchReport, EpochReport, Evaluation, RunFinishedReport, RunStartReport, StepKind };

/**
 * The typed protocol between the page and the training worker. Both sides import these types;
 * every message carries the `runId` of the session it belongs to, so the page can drop events of
 * a run it has already abandoned. Typed arrays in events are transferred, not copied.
 *
 * Two kinds of exchange:
 * - **Streams**: a run's progress (`run-started`, `batch`, `epoch`, …, `run-finished`). The run
 *   reports are defined once in `core/runReports.ts`; each event is `{ type, runId } & Report`.
 * - **Requests**: a question with one answer ({@link WorkerRequest} → {@link AnswerTo}). Each
 *   carries a `requestId`, unique per worker session, and is answered by exactly one event with
 *   the same `requestId`: its answer, or an `error` carrying that `requestId`. A long request
 *   may report progress first: `request-progress` events naming it in `progressOf` (never in
 *   `requestId`, so they cannot be taken for its answer).
 */

/** Page → worker. */
export type WorkerCommand =
  /** Load MNIST and bring up a backend ahead of training, so Train starts at once. */
  | { readonly type: 'prepare'; readonly runId: string; readonly backend: BackendChoice }
  | {
      readonly type: 'start';
      readonly runId: string;
      readonly backend: BackendChoice;
      readonly config: TrainingConfig;
      /** Initialise and wait paused before the first batch (for Step / Step epoch from idle). */
      readonly startPaused?: boolean;
      /** Training engine; `auto` when absent (see `core/engines.ts`). */
      readonly engine?: EngineChoice;
      /** Fused-kernel threads (`?threads=`); `auto` (measured) when absent (see `core/kernelThreads.ts`). */
      readonly threads?: ThreadRequest;
      /** Wait after every step (ms) from the first one on; see `set-speed`. */
      readonly stepDelayMs?: number;
      /**
       * Run the per-epoch error analysis (`analysis` events) — on when absent. A comparison turns
       * it off: its runs share the CPU and show only curves.
       */
      readonly analysis?: boolean;
      /**
       * Layer health (on when absent): sampled steps' norms and, with the analysis, the epoch
       * probe. Only the bench turns it off, to time what layer health costs training.
       */
      readonly layerHealth?: boolean;
      /**
       * Continue from saved weights instead of a fresh draw: they must fit `config.model` exactly
       * (else an `error` event says which tensor does not), and their normalisation replaces the
       * config's. The optimizer starts afresh (its state is not saved).
       */
      readonly initialWeights?: {
        readonly parameters: readonly ParameterTensor[];
        readonly normalization: NormalizationStats;
      };
      /**
       * My digits to mix into the training split (page-level, never in the config: a shared link
       * cannot carry them). Transferred; checked by `extraTrainingProblem` (else an `error`).
       */
      readonly extraTraining?: ExtraTraining;
    }
  /**
   * A test and demo aid: make the GPU drop the WebGL backend's context, or destroy the WebGPU
   * backend's device, as a GPU reset would, to show what the page does then. Answered with `error`
   * when that backend is not up.
   */
  | { readonly type: 'simulate-fault'; readonly runId: string; readonly fault: GpuFault }
  /**
   * "Measure again" (Details): forget the engine choices `auto` measured and kept on this device
   * (`worker/engineTrialCache.ts`), so the next Train measures. No answer.
   */
  | { readonly type: 'forget-engine-choices'; readonly runId: string }
  | { readonly type: 'pause'; readonly runId: string }
  | { readonly type: 'resume'; readonly runId: string }
  | { readonly type: 'stop'; readonly runId: string }
  /** While paused: run one batch, or the rest of the current epoch, then pause again. */
  | { readonly type: 'step'; readonly runId: string; readonly mode: StepKind }
  /**
   * Slow training down so a class can watch each step: wait `stepDelayMs` after every step (0 =
   * full speed, at most 5,000). Each step is reported as it happens while slowed.
   */
  | { readonly type: 'set-speed'; readonly runId: string; readonly stepDelayMs: number }
  /** Override the schedule's learning rate from the next step on; null returns to the schedule. */
  | { readonly type: 'set-learning-rate'; readonly runId: string; readonly learningRate: number | null }
  /**
   * Classify one 28×28 image (bytes 0–255, white ink on black, already MNIST-preprocessed) with
   * the latest weights: the running model's (synced from the engine, also mid-training) or the
   * last finished run's. Answered with `prediction` (same `requestId`), or `prediction` with
   * `probabilities: null` when there is no model yet.
   */
  | {
      readonly type: 'predict';
      readonly runId: string;
      readonly requestId: number;
      /** `[784]` bytes. */
      readonly pixels: Uint8Array;
      /** Also answer with this hidden unit's incoming weights and contributions (the inspector). */
      readonly unit?: { readonly layer: number; readonly unit: number };
    }
  /**
   * Draw `count` training images and their augmented versions under `config.data`; with
   * `perClass`, the first `perClass` training-split images of each digit instead (class order).
   */
  | {
      readonly type: 'preview-augmentation';
      readonly runId: string;
      readonly requestId: number;
      readonly config: TrainingConfig;
      readonly count: number;
      readonly seed: number;
      readonly perClass?: number;
    }
  /**
   * Send out the weights the drawing pad would use: the running (or paused) run's latest, else
   * the last finished or loaded model's. Answered with `model-export` (same `requestId`).
   */
  | { readonly type: 'export-model'; readonly runId: string; readonly requestId: number }
  /**
   * Make saved weights the worker's model: checked against their config, evaluated on the 10,000
   * test images, then used for predictions until the next run ends. Answered with `model-loaded`.
   */
  | {
      readonly type: 'load-model';
      readonly runId: string;
      readonly requestId: number;
      /** Shown in messages only. */
      readonly name: string;
      readonly model: ModelWeights;
    }
  /**
   * The learning-rate range test on `config` (`ml/lrRangeTest.ts`): a fresh model from its seed,
   * never the worker's model, so a finished or loaded model stays as it is. Refused while a run
   * is under way; a `start` cancels it (its answer is then an `error`). Reports
   * `request-progress` per step; answered with `learning-rate-found`.
   */
  | {
      readonly type: 'find-learning-rate';
      readonly runId: string;
      readonly requestId: number;
      readonly backend: BackendChoice;
      readonly config: TrainingConfig;
    }
  /** The neuron inspector's top-activating test images of a unit (`unitTopImagesMessages.ts`). */
  | UnitTopImagesRequest;

/** The GPU faults `simulate-fault` can cause. */
export type GpuFault = 'webgl-context-loss' | 'webgpu-device-loss';

/** Where the weights of a prediction came from. */
export type PredictionSource = 'training' | 'finished' | 'loaded';

export interface BackendInfo {
  readonly name: BackendName;
  /** Whether the page is cross-origin isolated (needed for WASM threads). */
  readonly crossOriginIsolated: boolean;
  /** WASM worker threads in use; 1 for other backends. */
  readonly threads: number;
  /** Why other backends were skipped on the way to this one (auto mode), or other notes. */
  readonly notes: readonly string[];
  /**
   * The `webgpu` device's caps on one buffer, so the page's memory check refuses a run whose
   * biggest buffer the device cannot make or bind; absent on other backends.
   */
  readonly gpuLimits?: GpuLimits;
}

/** Worker → page. */
export type WorkerEvent =
  | {
      readonly type: 'data-progress';
      readonly runId: string;
      readonly loadedBytes: number;
      readonly totalBytes: number;
    }
  | {
      readonly type: 'data-ready';
      readonly runId: string;
      readonly trainCount: number;
      readonly testCount: number;
      readonly loadMs: number;
    }
  | { readonly type: 'backend-ready'; readonly runId: string; readonly backend: BackendInfo }
  /**
   * An `auto` run is timing the engines before its first step (`core/engineTrial.ts`; at most
   * about 12 s, a tenth of the run); `run-started` follows with the rates in its `engine`.
   */
  | { readonly type: 'measuring-engines'; readonly runId: string }
  | RunEvent<'run-started', RunStartReport>
  | RunEvent<'batch', BatchReport>
  | RunEvent<'epoch', EpochReport>
  | { readonly type: 'paused'; readonly runId: string }
  | { readonly type: 'resumed'; readonly runId: string }
  | { readonly type: 'evaluating'; readonly runId: string }
  | RunEvent<'run-finished', RunFinishedReport>
  | {
      readonly type: 'augmentation-preview';
      readonly runId: string;
      readonly requestId: number;
      /** `[count, 784]` bytes each; `augmented[i]` is `originals[i]` transformed. */
      readonly originals: Uint8Array;
      readonly augmented: Uint8Array;
      readonly labels: Uint8Array;
    }
  /** The 10,000 test images, once per worker, for the galleries the page draws. */
  | {
      readonly type: 'test-images';
      readonly runId: string;
      /** `[10000, 784]` bytes. */
      readonly images: Uint8Array;
      readonly labels: Uint8Array;
    }
  | {
      readonly type: 'prediction';
      readonly runId: string;
      readonly requestId: number;
      /** `[10]` softmax probabilities, or null when no model has been trained yet. */
      readonly probabilities: Float32Array | null;
      /** Per hidden layer its `[units]` outputs, then the `[10]` logits; null without a model. */
      readonly activations?: readonly Float32Array[] | null;
      /** `[784]` gradient of the top logit per input byte (the pad's saliency); null without a model. */
      readonly saliency?: Float32Array | null;
      /** The requested `unit`'s detail; null when none was asked for or it does not exist. */
      readonly unit?: UnitDetail | null;
      /** Which weights answered, the epoch they are from, and how long the worker took. */
      readonly source: PredictionSource | null;
      readonly epoch: number | null;
      readonly ms: number;
    }
  /**
   * An epoch's error analysis, computed off the training thread: it may come after later epochs'
   * events and after `run-finished`; epochs whose analysis was overtaken by a newer one never come.
   */
  | { readonly type: 'analysis'; readonly runId: string; readonly analysis: EpochAnalysis }
  /** An epoch's analysis failed; training goes on, and later epochs are still analysed. */
  | {
      readonly type: 'analysis-failed';
      readonly runId: string;
      readonly epoch: number;
      readonly message: string;
    }
  /** The answer to `export-model`: the weights (buffers transferred), or why there are none. */
  | {
      readonly type: 'model-export';
      readonly runId: string;
      readonly requestId: number;
      /** Null when there is no model yet, or reading it failed (`error` says which). */
      readonly model:
        | (ModelWeights & {
            /** The weights on the test images when known (a finished or loaded model), else null. */
            readonly testAccuracy: number | null;
          })
        | null;
      readonly error: string | null;
    }
  /** The answer to `load-model`: its test evaluation, or why it could not be loaded. */
  | {
      readonly type: 'model-loaded';
      readonly runId: string;
      readonly requestId: number;
      /** Null when loading failed (`error` says why); the worker's model is then unchanged. */
      readonly test: Evaluation | null;
      readonly error: string | null;
      /** Worker time for checking, evaluating and installing the model. */
      readonly ms: number;
    }
  /** The answer to `find-learning-rate`: the sweep, why it stopped and the suggested rate. */
  | {
      readonly type: 'learning-rate-found';
      readonly runId: string;
      readonly requestId: number;
      readonly result: RangeTestResult;
    }
  | UnitTopImagesAnswer
  /** How far a long request (`progressOf`, its `requestId`) has got: `done` of `total` units. */
  | {
      readonly type: 'request-progress';
      readonly runId: string;
      readonly progressOf: number;
      readonly done: number;
      readonly total: number;
    }
  | {
      readonly type: 'error';
      readonly runId: string;
      /** Set when the error answers a request (see {@link WorkerRequest}); absent for run errors. */
      readonly requestId?: number;
      readonly message: string;
      /** The worker cannot go on (its GPU context is gone): the page replaces it with a fresh one. */
      readonly fatal?: boolean;
    };

export type WorkerEventType = WorkerEvent['type'];

/** A stream event: one of the run reports of `core/runReports.ts`, tagged with its run. */
export type RunEvent<Type extends string, Report> = { readonly type: Type; readonly runId: string } & Report;

/** The commands that ask a question and get exactly one answer (matched by `requestId`). */
export type WorkerRequest = Extract<WorkerCommand, { type: keyof AnswerTypes }>;

/** Which event answers each request type. */
export interface AnswerTypes {
  readonly predict: 'prediction';
  readonly 'export-model': 'model-export';
  readonly 'load-model': 'model-loaded';
  readonly 'preview-augmentation': 'augmentation-preview';
  readonly 'find-learning-rate': 'learning-rate-found';
  readonly 'unit-top-images': 'unit-top-images';
}

/** The answer event of a request of type `T`. */
export type AnswerTo<T extends WorkerRequest['type']> = Extract<WorkerEvent, { type: AnswerTypes[T] }>;

/** Every answer event (they all carry `requestId`). */
export type WorkerAnswer = AnswerTo<WorkerRequest['type']>;

export const ANSWER_TYPES: AnswerTypes = {
  predict: 'prediction',
  'export-model': 'model-export',
  'load-model': 'model-loaded',
  'preview-augmentation': 'augmentation-preview',
  'find-learning-rate': 'learning-rate-found',
  'unit-top-images': 'unit-top-images',
};

/** Typed arrays in an event that can be transferred instead of copied. */
export function transferablesOf(event: WorkerEvent): Transferable[] {
  if (event.type === 'augmentation-preview') {
    return [event.originals.buffer, event.augmented.buffer, event.labels.buffer] as Transferable[];
  }
  if (event.type === 'prediction') {
    const { probabilities, activations, saliency, unit } = event;
    return [
      ...(probabilities ? [probabilities.buffer] : []),
      ...(saliency ? [saliency.buffer] : []),
      ...(activations ?? []).map((a) => a.buffer),
      ...(unit ? [unit.incoming.buffer, unit.contributions.buffer] : []),
    ] as Transferable[];
  }
  if (event.type === 'unit-top-images') return topImagesTransferables(event);
  if (event.type === 'test-images') return [event.images.buffer, event.labels.buffer] as Transferable[];
  if (event.type === 'model-export') {
    return (event.model?.parameters ?? []).map((p) => p.data.buffer) as Transferable[];
  }
  if (event.type === 'analysis') return analysisTransferables(event.analysis);
  if (event.type !== 'batch') return [];
  const { steps, examples, trainingMs, losses, accuracies } = event;
  return [
    steps.buffer,
    examples.buffer,
    trainingMs.buffer,
    losses.buffer,
    accuracies.buffer,
  ] as Transferable[];
}

/** The typed arrays of an analysis, transferred wherever it is posted (here and by the analysis worker). */
export function analysisTransferables(analysis: EpochAnalysis): Transferable[] {
  const { predicted, confidence, confusion, pca, weights } = analysis;
  return [
    predicted.buffer,
    confidence.buffer,
    confusion.buffer,
    pca.rows.buffer,
    ...pca.layers.map((layer) => layer.projection.buffer),
    ...(weights ? [weights.values.buffer] : []),
  ] as Transferable[];
}
