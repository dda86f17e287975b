import type { Divergence } from './divergence.ts';
import type { EngineInfo } from './engines.ts';
import type { ThreadChoice } from './kernelThreads.ts';
import type { LayerStepNorms } from './layerStepNorms.ts';
import type { NormalizationStats } from './normalization.ts';

/**
 * The run reports: what a training run says about itself, defined once. The training loop
 * (`ml/trainingLoop.ts`) produces them, the worker forwards each as an event
 * `{ type, runId } & Report` (`worker/protocol.ts`), the page's reducer (`client/runState.ts`)
 * folds them into its state, and a finished run's record (`core/runRecord.ts`) keeps what it
 * needs of them. Pure types: no DOM, no TF.js, so every layer may import them.
 */

/** Loss and accuracy of a set of examples in inference mode. */
export interface Evaluation {
  /** Mean data loss (the configured `loss.kind`, label smoothing included; no L1/L2 penalty). */
  readonly loss: number;
  /** Fraction correct over the set, in [0, 1]. */
  readonly accuracy: number;
}

/**
 * Fingerprints that make fairness checkable rather than claimed: two runs with the same
 * `initialWeights` started from bit-identical weights; with the same `dataOrder` they saw the
 * training examples in the same order. 8 hex digits each (FNV-1a, 32 bits), hashed from what the
 * run actually used (the weights as drawn or loaded, the first epoch's order as the loop made it).
 */
export interface RunFingerprints {
  readonly initialWeights: string;
  readonly dataOrder: string;
}

/** A single step requested while paused: one batch, or the rest of the current epoch. */
export type StepKind = 'batch' | 'epoch';

/** Once per run, after set-up and before the first step: the run's shape. */
export interface RunStartReport {
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
  /**
   * Set when the run started before all 60,000 training images had arrived (a first visit on a
   * slow link, see `core/mnistShards.ts`): how many were in. Its training and validation
   * examples are the ones among them, so the page says it trained on those received so far.
   */
  readonly receivedImages?: number;
}

/**
 * The training steps since the previous report (throttled to ~10 reports/s; every step while
 * slowed down). Arrays are parallel, one entry per step, and their buffers are transferred.
 */
export interface BatchReport {
  /** Epoch (1-based) of the latest step in this report. */
  readonly epoch: number;
  /** Batches finished in that epoch. */
  readonly batchInEpoch: number;
  /** `[n]` global step (1-based) of each point. */
  readonly steps: Uint32Array;
  /** `[n]` training examples seen by the run once that step was done (the last batch may be short). */
  readonly examples: Float64Array;
  /** `[n]` training time in ms (excluding pauses and evaluation) once that step was done. */
  readonly trainingMs: Float64Array;
  /** `[n]` data loss (no L1/L2 penalty) of each step's batch, in training mode. */
  readonly losses: Float32Array;
  /** `[n]` fraction of each step's batch classified correctly, in [0, 1]. */
  readonly accuracies: Float32Array;
  /** Examples per second of training (excluding pauses and evaluation) since the last report. */
  readonly examplesPerSecond: number;
  /** Learning rate of the latest step in this report (schedule or user override). */
  readonly learningRate: number;
  /** `tf.memory().numTensors` where the run trains, as the points were read: flat when healthy. */
  readonly tensors: number;
  /**
   * The fused kernel's thread count, the rates it measured and why, once settled (absent while
   * measuring and for TF.js ops).
   */
  readonly threads?: ThreadChoice;
  /**
   * Per dense layer, the gradient norm and update ratio of the report's sampled steps (the first
   * step after the previous report); null when the engine does not measure them (fused WebGPU);
   * absent when no step of this report was sampled.
   */
  readonly layerNorms?: LayerStepNorms | null;
}

/** After each completed epoch's validation. */
export interface EpochReport {
  readonly epoch: number;
  /** Global steps taken so far. */
  readonly step: number;
  /** Training examples seen so far. */
  readonly examples: number;
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
  /**
   * What the end of this epoch cost the training thread before the next epoch could start (set by
   * the training loop; absent in hand-made reports). Compare with `epochMs`.
   */
  readonly endOfEpoch?: EpochEndTimings;
}

/**
 * The training thread's own time at the end of an epoch, on its clock. The per-epoch analysis
 * runs elsewhere (its own worker in the browser), so `analysisMs` is only the hand-over; the bench
 * holds it against the epoch's training time (issue 15: at most 10%).
 */
export interface EpochEndTimings {
  /** Syncing the engine's weights into the model, validation and the best-epoch copy, ms. */
  readonly validationMs: number;
  /** Reading the weights out and handing them to the analyser, ms; 0 without analysis. */
  readonly analysisMs: number;
}

/** The completed epoch with the best validation accuracy, and its weights on the test set. */
export interface BestEpoch {
  /** 1-based; the earliest on ties. */
  readonly epoch: number;
  readonly validationAccuracy: number;
  /** Test-set evaluation of that epoch's weights (and batch-norm running statistics). */
  readonly test: Evaluation;
}

/** How a run ended, once its test evaluations are done. */
export interface RunOutcome {
  /** The user stopped the run before its last epoch (a diverged run says so in `diverged` instead). */
  readonly stopped: boolean;
  /**
   * Set when a batch loss became NaN or ∞ or exploded (see `core/divergence.ts`): training stopped
   * at once, and every result here (and the model the drawing pad uses) is from the last weights
   * proven good, `diverged.restored`.
   */
  readonly diverged: Divergence | null;
  /** Training time in ms, excluding evaluation and pauses. */
  readonly trainMs: number;
  /** Test-set evaluation of the weights at the end of the run. */
  readonly finalTest: Evaluation;
  /** The best epoch by validation accuracy; null without validation or completed epochs. */
  readonly best: BestEpoch | null;
}

/** The outcome as the worker reports it, with the tensors left once the run freed its own. */
export interface RunFinishedReport extends RunOutcome {
  /** `tf.memory().numTensors` once the run freed its tensors: anything above 0 is a leak. */
  readonly tensorsAlive: number;
}
