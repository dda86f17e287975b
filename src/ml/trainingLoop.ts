import type * as tf from '@tensorflow/tfjs-core';
import { configParameterCount, effectiveBatchSize, type TrainingConfig } from '../core/config.ts';
import { normalizationStats, type NormalizationStats } from '../core/normalization.ts';
import { describeDivergence } from '../core/divergence.ts';
import { Fingerprint } from '../core/fingerprint.ts';
import { parametersFingerprint } from '../core/modelParameters.ts';
import type { SeededRandom } from '../core/random.ts';
import { dataOrderFingerprint, runStreams } from '../core/runStreams.ts';
import { learningRateAt } from '../core/schedule.ts';
import { analyseEpoch, createAnalysisState, type AnalysisState } from './analysis.ts';
import { checkpointSpacing, WeightCheckpoints } from './checkpoints.ts';
import { allIndices, disposeSplit, splitIndices, toTensorSplit, type TensorSplit } from './dataset.ts';
import { createStepEngine, type StepEngine } from './engine.ts';
import { assertRunFits } from './memoryGuard.ts';
import { assignParameters, createMlp, disposeMlp, restoreMlp, snapshotMlp, type Mlp } from './mlp.ts';
import { PendingPoints } from './pending.ts';
import { Predictor } from './predictor.ts';
import type { BestEpoch, LoopHooks, MnistData, RunFingerprints, RunResult, StepKind } from './runTypes.ts';
import { evaluate, type Evaluation } from './step.ts';

export { splitIndices } from './dataset.ts';
export type {
  BatchReport,
  BestEpoch,
  EpochReport,
  InitialWeights,
  LoopHooks,
  MnistData,
  RunControl,
  RunResult,
  RunStartInfo,
  StepKind,
} from './runTypes.ts';
export type { Evaluation } from './step.ts';

/**
 * The epoch/batch loop, independent of where it runs: the worker and the Node CLI supply hooks
 * for reporting, pausing and yielding. Per-batch loss/accuracy stay on the backend and are read
 * in one batch per report, so the loop never waits on the device after each step.
 *
 * Randomness: `config.seed` splits into independent streams (see `core/runStreams.ts`) for the
 * initial weights, the epoch shuffles, dropout masks and augmentation, so turning one knob does
 * not change the others' draws: same seed ⇒ same data order for any model, and same initial
 * weights for any variant of the same architecture. Same seed + config + backend ⇒ same curves.
 */

interface RunResources {
  readonly model: Mlp;
  /** Runs the steps (fused kernel or TF.js ops); owns the optimizer and the training batches. */
  readonly engine: StepEngine;
  readonly validation: TensorSplit;
  readonly test: TensorSplit;
  /** `[N]` labels of the test split, for the error analysis. */
  readonly testLabels: Uint8Array;
  /** Carried between the epochs' analyses; only when `hooks.onAnalysis` is set. */
  readonly analysis: AnalysisState | null;
  readonly pending: PendingPoints;
  readonly normalization: NormalizationStats;
  readonly shuffleRng: SeededRandom;
  /** Initial weights and first-epoch data order, hashed (see `RunStartInfo.fingerprints`). */
  readonly fingerprints: RunFingerprints;
  /** Weights and running statistics of the best epoch so far. */
  best: { epoch: number; validationAccuracy: number; snapshot: tf.Tensor[] } | null;
  /** The last weights proven good, restored if the loss becomes NaN, ∞ or explodes. */
  readonly checkpoints: WeightCheckpoints;
  /** The epoch in progress (1-based) and the steps taken, for {@link Predictor} origins. */
  readonly progress: { epoch: number; step: number };
  /** Set once training is over: what `onModel`'s snapshot answers from then on. */
  finalModel: Predictor | null;
  /** The model's variables are gone; snapshots would read freed tensors. */
  disposed: boolean;
}

/**
 * Trains `config` on `data`, reporting through `hooks`; frees every tensor it made before
 * returning. With `hooks.initialWeights` the run continues from saved weights (and their input
 * normalisation) instead of a fresh draw; the optimizer still starts from scratch.
 */
export async function runTraining(
  config: TrainingConfig,
  data: MnistData,
  hooks: LoopHooks,
): Promise<RunResult> {
  // Before allocating anything: a config too big for memory gets a message, not a crash.
  assertRunFits(config, hooks.engine);
  const streams = runStreams(config.seed);
  const indices = splitIndices(config);
  const start = hooks.initialWeights ?? null;
  const normalization =
    start?.normalization ?? normalizationStats(config.data.normalization, data.train.pixels, indices.train);
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
  const maxBatch = Math.max(1, Math.min(effectiveBatchSize(config), indices.train.length));
  const engine = createStepEngine(
    {
      config,
      model,
      images: data.train,
      trainIndices: indices.train,
      normalization,
      augmentRng: streams.augment,
      dropoutRng: streams.dropout,
      maxBatch,
    },
    hooks.engine,
  );
  const resources: RunResources = {
    model,
    engine,
    validation: toTensorSplit(data.train, indices.validation, normalization),
    test: toTensorSplit(data.test, allIndices(data.test.count), normalization),
    testLabels: data.test.labels,
    analysis: hooks.onAnalysis ? createAnalysisState() : null,
    pending: new PendingPoints(),
    normalization,
    shuffleRng: streams.shuffle,
    fingerprints: {
      initialWeights,
      dataOrder: dataOrderFingerprint(config.seed, indices.train),
    },
    best: null,
    checkpoints: new WeightCheckpoints(
      model,
      () => engine.syncModel(),
      checkpointSpacing(Math.ceil(indices.train.length / maxBatch)),
    ),
    progress: { epoch: 1, step: 0 },
    finalModel: null,
    disposed: false,
  };
  try {
    return await loop(config, resources, hooks);
  } finally {
    const res = resources;
    res.disposed = true;
    res.pending.dispose();
    res.engine.dispose();
    disposeMlp(res.model);
    disposeSplit(res.validation);
    disposeSplit(res.test);
    if (res.best) for (const t of res.best.snapshot) t.dispose();
    res.checkpoints.dispose();
  }
}

async function loop(config: TrainingConfig, res: RunResources, hooks: LoopHooks): Promise<RunResult> {
  const { control } = hooks;
  const reportEveryMs = hooks.reportEveryMs ?? 100;
  const yieldEveryMs = hooks.yieldEveryMs ?? 25;
  const count = res.engine.count;
  const batchSize = Math.max(1, Math.min(effectiveBatchSize(config), count));
  const batchesPerEpoch = Math.ceil(count / batchSize);
  hooks.onStart({
    epochs: config.training.epochs,
    batchesPerEpoch,
    batchSize,
    trainingExamples: count,
    validationExamples: res.validation.count,
    parameterCount: configParameterCount(config),
    normalization: res.normalization,
    engine: res.engine.info,
    fingerprints: res.fingerprints,
  });
  hooks.onModel?.(modelSnapshots(res));

  let step = 0;
  /** Training time of the completed epochs, and of the epoch in progress (ms). */
  let trainMs = 0;
  let epochMs = 0;
  let stopped = false;
  let learningRate = Number.NaN;
  let stepMode: StepKind | null = null;
  let changedSinceBest = true;
  let windowStart = hooks.now();
  let windowExamples = 0;
  let lastYield = windowStart;
  let epochTotals = { examples: 0, loss: 0, correct: 0 };
  /** The first NaN, ∞ or exploded batch loss read back: training stops there (see `checkpoints.ts`). */
  // (Typed by assertion: it is set inside `report`, which TypeScript's narrowing cannot see.)
  let divergedAt = null as { step: number; epoch: number; value: number; learningRate: number } | null;

  const report = async (epoch: number, batchInEpoch: number) => {
    const now = hooks.now();
    const elapsed = Math.max(now - windowStart, 1e-3);
    const { sizes, ...points } = await res.pending.drain();
    const bad = divergedAt === null ? res.checkpoints.check(points.steps, points.losses) : null;
    if (bad !== null) divergedAt = { ...bad, epoch, learningRate };
    sizes.forEach((size, i) => {
      epochTotals.examples += size;
      epochTotals.loss += size * (points.losses[i] ?? 0);
      epochTotals.correct += size * (points.accuracies[i] ?? 0);
    });
    const examplesPerSecond = (windowExamples * 1000) / elapsed;
    hooks.onBatches({
      epoch,
      batchInEpoch,
      ...points,
      examplesPerSecond,
      learningRate,
      trainingMs: trainMs + epochMs,
    });
    windowStart = hooks.now();
    windowExamples = 0;
  };

  /** Milliseconds `work` took. */
  const timed = async (work: () => Promise<void>): Promise<number> => {
    const start = hooks.now();
    await work();
    return hooks.now() - start;
  };

  /** True from the start of a requested step until the next `onPaused`/`onResumed`. */
  let stepping = false;

  /** Waits out a pause before the next batch; returns false when the run is stopped. */
  const gate = async (epoch: number, batchInEpoch: number): Promise<boolean> => {
    if (stepMode === 'epoch') return !control.stopRequested;
    if (stepMode === 'batch') stepMode = null;
    let announced = false;
    while (control.paused && !control.stopRequested) {
      if (!announced) {
        if (res.pending.size > 0) await report(epoch, batchInEpoch);
        if (divergedAt !== null) return false; // diverged just before the pause: end, don't wait
        // Paused weights are current in the model, for anything that reads them meanwhile.
        res.engine.syncModel();
        hooks.onPaused();
        announced = true;
      }
      await control.waitWhilePaused();
      const request = control.takeStepRequest?.() ?? null;
      if (request !== null && !control.stopRequested) {
        stepMode = request;
        hooks.onStepStarted?.(request);
        break;
      }
    }
    if (control.stopRequested) return false;
    // Resumed after a pause, or while a step ran: say so once.
    if (stepMode === null && (announced || stepping)) hooks.onResumed();
    stepping = stepMode !== null;
    if (announced) {
      windowStart = hooks.now();
      windowExamples = 0;
    }
    return true;
  };

  for (let epoch = 1; epoch <= config.training.epochs && !stopped; epoch++) {
    res.progress.epoch = epoch;
    const order = res.shuffleRng.permutation(count);
    epochTotals = { examples: 0, loss: 0, correct: 0 };
    epochMs = 0;
    let batchesDone = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      if (!(await gate(epoch, batchesDone)) || divergedAt !== null) {
        stopped = true;
        break;
      }
      const segmentStart = hooks.now();
      const batch = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, count));
      learningRate = control.learningRateOverride ?? learningRateAt(config, epoch, b / batchesPerEpoch);
      const { loss, accuracy } = res.engine.step(batch, learningRate);
      changedSinceBest = true;
      step++;
      res.progress.step = step;
      batchesDone++;
      windowExamples += batch.length;
      res.pending.push(step, batch.length, loss, accuracy);
      res.checkpoints.afterStep(step, epoch);

      const now = hooks.now();
      epochMs += now - segmentStart;
      if ((control.stepDelayMs ?? 0) > 0 && control.waitStepDelay) {
        // Slowed down for watching: show this step at once, then wait (not counted as training).
        epochMs += await timed(() => report(epoch, batchesDone));
        if (divergedAt !== null) break;
        await control.waitStepDelay();
        windowStart = hooks.now();
        lastYield = windowStart;
        if (control.stopRequested) {
          stopped = true;
          break;
        }
        continue;
      }
      // The read-back waits for the backend to finish the queued steps (on GPU backends most
      // of the work), so it counts as training time.
      // A fused step's loss is a number already: a bad one is reported (and stops the run) at once.
      const bad = typeof loss === 'number' && res.checkpoints.isBad(loss);
      if (bad || now - windowStart >= reportEveryMs) epochMs += await timed(() => report(epoch, batchesDone));
      if (divergedAt !== null) break;
      if (now - lastYield >= yieldEveryMs) {
        await hooks.yieldToEventLoop();
        lastYield = hooks.now();
      }
      if (control.stopRequested) {
        stopped = true;
        break;
      }
    }
    if (res.pending.size > 0) epochMs += await timed(() => report(epoch, batchesDone));
    const thisEpochMs = epochMs;
    trainMs += epochMs;
    epochMs = 0;
    if (stopped || divergedAt !== null) break;
    res.engine.syncModel();
    const validation =
      res.validation.count > 0 ? await evaluate(res.model, res.validation, config.loss) : null;
    if (validation !== null && (res.best === null || validation.accuracy > res.best.validationAccuracy)) {
      if (res.best) for (const t of res.best.snapshot) t.dispose();
      res.best = { epoch, validationAccuracy: validation.accuracy, snapshot: snapshotMlp(res.model) };
      changedSinceBest = false;
    }
    const seen = Math.max(epochTotals.examples, 1);
    hooks.onEpoch({
      epoch,
      step,
      validation,
      epochMs: thisEpochMs,
      trainingMs: trainMs,
      learningRate,
      trainLoss: epochTotals.loss / seen,
      trainAccuracy: epochTotals.correct / seen,
    });
    if (res.analysis !== null && hooks.onAnalysis) {
      const analysis = await analyseEpoch({
        epoch,
        model: res.model,
        test: res.test,
        labels: res.testLabels,
        state: res.analysis,
        now: () => hooks.now(),
      });
      await hooks.onAnalysis(analysis);
    }
    if (stepMode === 'epoch') stepMode = null;
    windowStart = hooks.now();
    windowExamples = 0;
  }

  hooks.onEvaluating();
  res.engine.syncModel();
  // After the sync, which would write the engine's (non-finite) weights over the restored ones.
  const diverged =
    divergedAt === null
      ? null
      : describeDivergence({
          ...divergedAt,
          firstLoss: res.checkpoints.firstLoss,
          optimizer: config.optimizer.kind,
          restored: res.checkpoints.restore(),
        });
  if (diverged !== null) changedSinceBest = true;
  // Before evaluateBest, which may load the best epoch's weights into the model.
  const finalModel = await Predictor.fromMlp(res.model, res.normalization, { ...res.progress });
  res.finalModel = finalModel;
  const finalTest = await evaluate(res.model, res.test, config.loss);
  const best = await evaluateBest(res, finalTest, changedSinceBest, config);
  return {
    stopped: stopped && diverged === null,
    diverged,
    trainMs,
    finalTest,
    test: finalTest,
    best,
    normalization: res.normalization,
    finalModel,
  };
}

/**
 * The function `onModel` hands out: syncs the engine and copies the variables into a
 * {@link Predictor}, cached until the next step, so repeated requests between steps read once.
 */
function modelSnapshots(res: RunResources): () => Promise<Predictor> {
  let cached: { epoch: number; step: number; predictor: Promise<Predictor> } | null = null;
  return () => {
    if (res.finalModel !== null) return Promise.resolve(res.finalModel);
    if (res.disposed) return Promise.reject(new Error('The run has ended; its model is gone'));
    const { epoch, step } = res.progress;
    if (cached === null || cached.step !== step || cached.epoch !== epoch) {
      res.engine.syncModel();
      cached = { epoch, step, predictor: Predictor.fromMlp(res.model, res.normalization, { epoch, step }) };
    }
    return cached.predictor;
  };
}

/** Test evaluation of the best epoch's weights (reusing `finalTest` when they are the final ones). */
async function evaluateBest(
  res: RunResources,
  finalTest: Evaluation,
  changedSinceBest: boolean,
  config: TrainingConfig,
): Promise<BestEpoch | null> {
  if (res.best === null) return null;
  const { epoch, validationAccuracy, snapshot } = res.best;
  if (!changedSinceBest) return { epoch, validationAccuracy, test: finalTest };
  restoreMlp(res.model, snapshot);
  return { epoch, validationAccuracy, test: await evaluate(res.model, res.test, config.loss) };
}
