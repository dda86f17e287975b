import { effectiveBatchSize, type TrainingConfig } from '../core/config.ts';
import { appendExtraTraining, type ExtraTraining } from '../core/extraTraining.ts';
import { Fingerprint } from '../core/fingerprint.ts';
import type { LabelledImages } from '../core/idx.ts';
import { withLabelNoise } from '../core/labelNoise.ts';
import { parametersFingerprint } from '../core/modelParameters.ts';
import { normalizationStats, type NormalizationStats } from '../core/normalization.ts';
import type { RunFingerprints } from '../core/runReports.ts';
import type { SeededRandom } from '../core/random.ts';
import { runStreams } from '../core/runStreams.ts';
import { checkpointSpacing, WeightCheckpoints } from './checkpoints.ts';
import { allIndices, disposeSplit, splitIndices, toTensorSplit, type TensorSplit } from './dataset.ts';
import { EpochOrders } from './dataOrder.ts';
import { BestEpochWeights } from './epochEnd.ts';
import { createStepEngine, type StepEngine } from './engine.ts';
import { inProcessAnalyser, type EpochAnalyser } from './epochAnalyser.ts';
import { assignParameters, createMlp, disposeMlp, type Mlp } from './mlp.ts';
import { PendingPoints } from './pending.ts';
import { Predictor } from './predictor.ts';
import { RunProgress } from './runProgress.ts';
import type { LoopHooks, MnistData } from './runTypes.ts';

/** How a run's epochs divide into steps. */
export interface RunShape {
  /** Examples per step, from `effectiveBatchSize` and at most the training examples. */
  readonly batchSize: number;
  readonly batchesPerEpoch: number;
}

/** The batch size and steps per epoch of `config` over `trainingExamples` examples. */
export function runShape(config: TrainingConfig, trainingExamples: number): RunShape {
  const batchSize = Math.max(1, Math.min(effectiveBatchSize(config), trainingExamples));
  return { batchSize, batchesPerEpoch: Math.ceil(trainingExamples / batchSize) };
}

/**
 * The training file as this run trains on it: `train` itself, or with `config.data.labelNoise`
 * of the split's training labels replaced (`core/labelNoise.ts`). The noisy rows are drawn over
 * the complete split (plus `extraRows`, the rows of mixed-in drawings, see {@link trainingSplit}),
 * so a run on partly arrived data keeps the complete run's noisy labels; validation rows are never
 * among them. Every engine reads its labels from what this returns.
 */
export function trainingImages(
  config: TrainingConfig,
  train: LabelledImages,
  rng: SeededRandom,
  extraRows: Int32Array = NO_ROWS,
): LabelledImages {
  if (config.data.labelNoise === 0) return train;
  const rows = withRows(splitIndices(config).train, extraRows);
  return { ...train, labels: withLabelNoise(train.labels, rows, config.data.labelNoise, rng) };
}

const NO_ROWS = new Int32Array(0);

const withRows = (rows: Int32Array, extra: Int32Array): Int32Array => {
  if (extra.length === 0) return rows;
  const all = new Int32Array(rows.length + extra.length);
  all.set(rows);
  all.set(extra, rows.length);
  return all;
};

/** The file a run trains from and the rows of it in its training split (before shuffling). */
export interface TrainingSplit {
  /** The training file, with any mixed-in drawings appended (labels before label noise). */
  readonly file: LabelledImages;
  /** `[N + n·repeat]` rows of `file`: MNIST's training split, then the drawings' rows. */
  readonly rows: Int32Array;
  /** `[n·repeat]` the drawings' rows alone (empty without them). */
  readonly extraRows: Int32Array;
}

/**
 * The training split of `config` over `data`, with `extra` (My digits, from the `start` command)
 * appended as rows after MNIST's and added to the split, so the seeded epoch orders shuffle them
 * in, label noise draws over them too, and `trainingExamples` counts them.
 */
export function trainingSplit(
  config: TrainingConfig,
  data: MnistData,
  extra: ExtraTraining | undefined,
): TrainingSplit {
  const split = splitIndices(config, data.receivedShards).train;
  if (extra === undefined) return { file: data.train, rows: split, extraRows: NO_ROWS };
  const appended = appendExtraTraining(data.train, extra);
  return { file: appended.images, rows: withRows(split, appended.rows), extraRows: appended.rows };
}

/** Everything one run holds, made by {@link createRunResources} and freed by {@link disposeRunResources}. */
export interface RunResources {
  readonly model: Mlp;
  /** Runs the steps (fused kernel or TF.js ops); owns the optimizer and the training batches. */
  readonly engine: StepEngine;
  readonly shape: RunShape;
  readonly validation: TensorSplit;
  /** The validation split's rows of the training file (the fused engine evaluates them itself). */
  readonly validationRows: Int32Array;
  readonly test: TensorSplit;
  /** `[N]` labels of the test split, for the error analysis. */
  readonly testLabels: Uint8Array;
  /** Takes each epoch's weights for the error analysis; null when no analysis is asked for. */
  readonly analyser: EpochAnalyser | null;
  /** The run made `analyser` (in process, for `hooks.onAnalysis`), so it finishes and frees it. */
  readonly ownsAnalyser: boolean;
  /** Steps taken but not reported yet (their losses may still be on the backend). */
  readonly pending: PendingPoints;
  readonly normalization: NormalizationStats;
  /** Each epoch's visiting order; the first one is what `fingerprints.dataOrder` hashed. */
  readonly orders: EpochOrders;
  /** Initial weights and first-epoch data order, hashed (see `RunStartReport.fingerprints`). */
  readonly fingerprints: RunFingerprints;
  /** Weights and running statistics of the best epoch so far. */
  readonly best: BestEpochWeights;
  /** The last weights proven good, restored if the loss becomes NaN, ∞ or explodes. */
  readonly checkpoints: WeightCheckpoints;
  readonly progress: RunProgress;
  /** Set once training is over: what `onModel`'s snapshot answers from then on. */
  finalModel: Predictor | null;
  /** The model's variables are gone; snapshots would read freed tensors. */
  disposed: boolean;
}

/**
 * Sets a run up: splits, normalisation, the model (drawn from the seed's init stream, or the
 * saved `hooks.initialWeights`), the engine, the resident validation and test splits, the epoch
 * orders and the fingerprints. Randomness comes from `config.seed`'s per-concern streams
 * (`core/runStreams.ts`), so turning one knob does not change the others' draws.
 */
export function createRunResources(config: TrainingConfig, data: MnistData, hooks: LoopHooks): RunResources {
  const streams = runStreams(config.seed);
  const indices = splitIndices(config, data.receivedShards);
  const training = trainingSplit(config, data, hooks.extraTraining);
  const start = hooks.initialWeights ?? null;
  const normalization =
    start?.normalization ??
    normalizationStats(config.data.normalization, training.file.pixels, training.rows);
  const drawn = new Fingerprint();
  const model = createMlp(config.model, streams.init, drawn);
  // Before the engine exists, so the fused kernel copies these weights into its memory.
  if (start !== null) {
    try {
      assignParameters(model, start.parameters);
    } catch (error) {
      disposeMlp(model);
      throw error;
    }
  }
  const initialWeights = start === null ? drawn.hex() : parametersFingerprint(start.parameters);
  const shape = runShape(config, training.rows.length);
  const engine = createStepEngine(
    {
      config,
      model,
      images: trainingImages(config, training.file, streams.labelNoise, training.extraRows),
      trainIndices: training.rows,
      normalization,
      augmentRng: streams.augment,
      dropoutRng: streams.dropout,
      maxBatch: shape.batchSize,
      ...(hooks.threads ? { threading: hooks.threads } : {}),
    },
    hooks.engine,
  );
  const orders = new EpochOrders(streams.shuffle, training.rows);
  const { onAnalysis, onAnalysisFailed } = hooks;
  const ownAnalyser =
    hooks.analyser === undefined && onAnalysis !== undefined
      ? inProcessAnalyser(
          'in-process',
          config.model,
          data.test,
          {
            deliver: (analysis) => void onAnalysis(analysis),
            fail: (epoch, message) => onAnalysisFailed?.(epoch, message),
          },
          () => hooks.now(),
        )
      : null;
  return {
    model,
    engine,
    shape,
    validation: toTensorSplit(data.train, indices.validation, normalization),
    validationRows: indices.validation,
    test: toTensorSplit(data.test, allIndices(data.test.count), normalization),
    testLabels: data.test.labels,
    analyser: hooks.analyser ?? ownAnalyser,
    ownsAnalyser: hooks.analyser === undefined && ownAnalyser !== null,
    pending: new PendingPoints(),
    normalization,
    orders,
    fingerprints: { initialWeights, dataOrder: orders.fingerprint },
    best: new BestEpochWeights(model),
    checkpoints: new WeightCheckpoints(
      model,
      () => engine.syncModel(),
      checkpointSpacing(shape.batchesPerEpoch),
    ),
    progress: new RunProgress(),
    finalModel: null,
    disposed: false,
  };
}

/** Frees every tensor the run made; its model snapshots answer with an error from then on. */
export function disposeRunResources(run: RunResources): void {
  run.disposed = true;
  run.pending.dispose();
  run.engine.dispose();
  disposeMlp(run.model);
  disposeSplit(run.validation);
  disposeSplit(run.test);
  run.best.dispose();
  run.checkpoints.dispose();
  if (run.ownsAnalyser) run.analyser?.dispose();
}

/**
 * The function `onModel` hands out: syncs the engine and copies the variables into a
 * {@link Predictor}, cached until the next step, so repeated requests between steps read once.
 */
export function modelSnapshots(run: RunResources): () => Promise<Predictor> {
  let cached: { epoch: number; step: number; predictor: Promise<Predictor> } | null = null;
  return () => {
    if (run.finalModel !== null) return Promise.resolve(run.finalModel);
    if (run.disposed) return Promise.reject(new Error('The run has ended; its model is gone'));
    const origin = run.progress.origin();
    if (cached === null || cached.step !== origin.step || cached.epoch !== origin.epoch) {
      run.engine.syncModel();
      cached = { ...origin, predictor: Predictor.fromMlp(run.model, run.normalization, origin) };
    }
    return cached.predictor;
  };
}
