import type { EpochAnalysis } from '../core/analysisTypes.ts';
import type { Divergence } from '../core/divergence.ts';
import type { EngineChoice, EngineInfo } from '../core/engines.ts';
import type { LabelledImages } from '../core/idx.ts';
import type { ParameterTensor } from '../core/modelParameters.ts';
import type { NormalizationStats } from '../core/normalization.ts';
import type { Predictor } from './predictor.ts';
import type { Evaluation } from './step.ts';

/**
 * The shapes the training loop exchanges with whoever drives it (the worker, the Node CLI,
 * tests). Re-exported from `trainingLoop.ts`, which is the module to import.
 */

export interface MnistData {
  /** The 60,000 official training images; the validation split is carved from these. */
  readonly train: LabelledImages;
  /** The 10,000 official test images, used only for the final evaluation. */
  readonly test: LabelledImages;
}

export interface RunStartInfo {
  readonly epochs: number;
  readonly batchesPerEpoch: number;
  /** Examples per optimisation step, from `effectiveBatchSize` (the last batch may be smaller). */
  readonly batchSize: number;
  readonly trainingExamples: number;
  readonly validationExamples: number;
  /** `configParameterCount(config)`: dense weights and biases plus batch-norm γ and β. */
  readonly parameterCount: number;
  /**
   * Inputs are `(x/255 − mean)/std`; for `standardize` computed from the training split only.
   * Needed to preprocess drawings and to save a model.
   */
  readonly normalization: NormalizationStats;
  /** The engine running the steps, and why. */
  readonly engine: EngineInfo;
  /** Hashes of the initial weights and of the first epoch's data order, for fair comparisons. */
  readonly fingerprints: RunFingerprints;
}

/** See `core/runRecord.ts`: equal hashes ⇒ identical initial weights / identical data order. */
export interface RunFingerprints {
  readonly initialWeights: string;
  readonly dataOrder: string;
}

export interface BatchReport {
  readonly epoch: number;
  readonly batchInEpoch: number;
  /** Global step (1-based) of each point. */
  readonly steps: Uint32Array;
  /** Data loss (no L1/L2 penalty) of each step's batch, in training mode. */
  readonly losses: Float32Array;
  readonly accuracies: Float32Array;
  /** Examples per second of training (excluding pauses and evaluation) since the last report. */
  readonly examplesPerSecond: number;
  /** Learning rate of the latest step in this report. */
  readonly learningRate: number;
  /** Training time so far in ms (excluding pauses and evaluation), at this report. */
  readonly trainingMs: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly step: number;
  /** Validation loss/accuracy in inference mode; null when there is no validation split. */
  readonly validation: Evaluation | null;
  /** Training time of the epoch in ms, excluding validation and pauses. */
  readonly epochMs: number;
  /** Training time of all epochs so far, this one included. */
  readonly trainingMs: number;
  /** Learning rate of the epoch's last step (schedule or user override). */
  readonly learningRate: number;
  /** Example-weighted mean of the epoch's training-mode batch data losses. */
  readonly trainLoss: number;
  /** Example-weighted mean of the epoch's training-mode batch accuracies. */
  readonly trainAccuracy: number;
}

export interface BestEpoch {
  /** The completed epoch (1-based) with the highest validation accuracy; the earliest on ties. */
  readonly epoch: number;
  readonly validationAccuracy: number;
  /** Test-set evaluation of that epoch's weights (and batch-norm running statistics). */
  readonly test: Evaluation;
}

export interface RunResult {
  /** The user stopped the run before its last epoch (a diverged run says so in `diverged` instead). */
  readonly stopped: boolean;
  /**
   * Set when a batch loss became NaN or ∞ or exploded (see `core/divergence.ts`): training stopped
   * at once, and the model holds the last weights proven good (see `checkpoints.ts`), which every
   * result here (tests, final model) uses.
   */
  readonly diverged: Divergence | null;
  /** Training time in ms, excluding evaluation and pauses. */
  readonly trainMs: number;
  /** Test-set evaluation of the weights at the end of the run. */
  readonly finalTest: Evaluation;
  /** @deprecated Same as {@link RunResult.finalTest}; kept for callers of the v1 API. */
  readonly test: Evaluation;
  /** The best epoch by validation accuracy; null without validation or completed epochs. */
  readonly best: BestEpoch | null;
  /** The input normalisation the run used (see {@link RunStartInfo.normalization}). */
  readonly normalization: NormalizationStats;
  /**
   * A frozen copy of the weights as the run ended (final, not best-epoch; stopped runs too),
   * holding no tensors, so it outlives the run: the worker answers drawings with it afterwards.
   */
  readonly finalModel: Predictor;
}

/** Saved weights a run continues from (see `core/modelFile.ts`). */
export interface InitialWeights {
  /** `parameterLayout(config.model)` order; must fit the run's config exactly. */
  readonly parameters: readonly ParameterTensor[];
  /** The normalisation the weights were trained with, used instead of the config's. */
  readonly normalization: NormalizationStats;
}

/** A single-step request while paused: one batch, or the rest of the current epoch. */
export type StepKind = 'batch' | 'epoch';

/** How the page (or CLI) steers a running loop. */
export interface RunControl {
  readonly stopRequested: boolean;
  readonly paused: boolean;
  /** Resolves when the run is resumed or stopped, or a step is requested. */
  waitWhilePaused(): Promise<void>;
  /** Returns and clears a pending {@link StepKind} request (optional for simple controls). */
  takeStepRequest?(): StepKind | null;
  /** A learning rate that replaces the schedule from the next step on; null/absent = schedule. */
  readonly learningRateOverride?: number | null;
  /** Wait after every step, in ms, so a class can watch each one (0/absent = full speed). */
  readonly stepDelayMs?: number;
  /** Waits out `stepDelayMs`, returning early on pause or stop. */
  waitStepDelay?(): Promise<void>;
}

export interface LoopHooks {
  readonly control: RunControl;
  onStart(info: RunStartInfo): void;
  onBatches(report: BatchReport): void;
  onEpoch(report: EpochReport): void;
  onEvaluating(): void;
  onPaused(): void;
  onResumed(): void;
  /**
   * Called once, right after `onStart`, with a function that returns a {@link Predictor} of the
   * latest weights (the engine synced first; reused while no step has run since). Safe to call
   * whenever the loop has yielded (message handlers), including paused and during evaluation;
   * once training is over it returns {@link RunResult.finalModel}. It holds no tensors.
   */
  onModel?(snapshot: () => Promise<Predictor>): void;
  /** A step requested while paused starts; `onPaused` follows when it is done. */
  onStepStarted?(kind: StepKind): void;
  /**
   * The error analysis of each epoch's weights on the test split (see `analysis.ts`), after the
   * epoch's validation and `onEpoch`, before the next epoch starts. Only computed when present
   * (the CLI leaves it out); awaited, so the next epoch waits for it.
   */
  onAnalysis?(analysis: EpochAnalysis): void | Promise<void>;
  /** Lets messages (pause, stop) in; called every `yieldEveryMs` of busy training. */
  yieldToEventLoop(): Promise<void>;
  now(): number;
  /** Minimum time between `onBatches` calls (default 100 ms, ~10 events/s). */
  readonly reportEveryMs?: number;
  readonly yieldEveryMs?: number;
  /** Which engine to train with (default `auto`, see `chooseEngine`). */
  readonly engine?: EngineChoice;
  /**
   * Continue from these weights instead of drawing fresh ones. The initial-weights fingerprint
   * then hashes them (`parametersFingerprint`); the optimizer state (moments) starts at zero and
   * the schedule at epoch 1, since neither is saved.
   */
  readonly initialWeights?: InitialWeights;
}
