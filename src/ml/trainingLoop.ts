import * as tf from '@tensorflow/tfjs-core';
import {
  effectiveBatchSize,
  effectiveTrainingExamples,
  layerSizes,
  parameterCount,
  validationCount,
  type TrainingConfig,
} from '../core/config.ts';
import type { LabelledImages } from '../core/idx.ts';
import { SeededRandom } from '../core/random.ts';
import { allIndices, disposeSplit, toTensorSplit, type TensorSplit } from './dataset.ts';
import { createMlp, disposeMlp, type Mlp } from './mlp.ts';
import { evaluate, trainStep, type Evaluation } from './step.ts';

/**
 * The epoch/batch loop, independent of where it runs: the worker and the Node CLI supply hooks
 * for reporting, pausing and yielding. Per-batch loss/accuracy stay on the backend and are read
 * in one batch per report, so the loop never waits on the device after each step.
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
  readonly trainingExamples: number;
  readonly validationExamples: number;
  readonly parameterCount: number;
}

export interface BatchReport {
  readonly epoch: number;
  readonly batchInEpoch: number;
  /** Global step (1-based) of each point. */
  readonly steps: Uint32Array;
  readonly losses: Float32Array;
  readonly accuracies: Float32Array;
  /** Examples per second of training (excluding pauses and evaluation) since the last report. */
  readonly examplesPerSecond: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly step: number;
  readonly validation: Evaluation | null;
  /** Training time of the epoch in ms, excluding validation and pauses. */
  readonly epochMs: number;
}

export interface RunResult {
  readonly stopped: boolean;
  readonly test: Evaluation;
  /** Training time in ms, excluding evaluation and pauses. */
  readonly trainMs: number;
}

/** How the page (or CLI) steers a running loop. */
export interface RunControl {
  readonly stopRequested: boolean;
  readonly paused: boolean;
  /** Resolves when the run is resumed or stopped. */
  waitWhilePaused(): Promise<void>;
}

export interface LoopHooks {
  readonly control: RunControl;
  onStart(info: RunStartInfo): void;
  onBatches(report: BatchReport): void;
  onEpoch(report: EpochReport): void;
  onEvaluating(): void;
  onPaused(): void;
  onResumed(): void;
  /** Lets messages (pause, stop) in; called every `yieldEveryMs` of busy training. */
  yieldToEventLoop(): Promise<void>;
  now(): number;
  /** Minimum time between `onBatches` calls (default 100 ms, ~10 events/s). */
  readonly reportEveryMs?: number;
  readonly yieldEveryMs?: number;
}

/** Splits 60,000 training images into validation and training row indices, from the seed. */
export function splitIndices(config: TrainingConfig): { train: Int32Array; validation: Int32Array } {
  const order = new SeededRandom(config.seed ^ 0x5eed5).permutation(60_000);
  const validationSize = validationCount(config.data.validationFraction);
  const validation = order.slice(0, validationSize);
  const train = order.slice(validationSize, validationSize + effectiveTrainingExamples(config));
  return { train, validation };
}

/** Collects per-batch scalars on the backend and reads them back in one go. */
class PendingPoints {
  private steps: number[] = [];
  private losses: tf.Scalar[] = [];
  private accuracies: tf.Scalar[] = [];

  push(step: number, loss: tf.Scalar, accuracy: tf.Scalar): void {
    this.steps.push(step);
    this.losses.push(loss);
    this.accuracies.push(accuracy);
  }

  get size(): number {
    return this.steps.length;
  }

  async drain(): Promise<Pick<BatchReport, 'steps' | 'losses' | 'accuracies'>> {
    const steps = Uint32Array.from(this.steps);
    const stacked = tf.tidy(() => tf.stack([tf.stack(this.losses), tf.stack(this.accuracies)]));
    tf.dispose([...this.losses, ...this.accuracies]);
    this.steps = [];
    this.losses = [];
    this.accuracies = [];
    const values = (await stacked.data()) as Float32Array;
    stacked.dispose();
    const n = steps.length;
    return { steps, losses: values.slice(0, n), accuracies: values.slice(n, 2 * n) };
  }

  dispose(): void {
    tf.dispose([...this.losses, ...this.accuracies]);
    this.steps = [];
    this.losses = [];
    this.accuracies = [];
  }
}

interface RunResources {
  model: Mlp;
  optimizer: tf.Optimizer;
  train: TensorSplit;
  validation: TensorSplit;
  test: TensorSplit;
  pending: PendingPoints;
}

/** Trains `config` on `data`, reporting through `hooks`; frees every tensor it made before returning. */
export async function runTraining(
  config: TrainingConfig,
  data: MnistData,
  hooks: LoopHooks,
): Promise<RunResult> {
  const reportEveryMs = hooks.reportEveryMs ?? 100;
  const yieldEveryMs = hooks.yieldEveryMs ?? 25;
  const rng = new SeededRandom(config.seed);
  const sizes = layerSizes(config);
  const indices = splitIndices(config);
  const resources: RunResources = {
    model: createMlp(
      sizes,
      config.model.hiddenLayers.map((l) => l.activation),
      rng,
    ),
    optimizer: tf.train.adam(config.optimizer.learningRate),
    train: toTensorSplit(data.train, indices.train),
    validation: toTensorSplit(data.train, indices.validation),
    test: toTensorSplit(data.test, allIndices(data.test.count)),
    pending: new PendingPoints(),
  };
  try {
    return await loop(config, resources, rng, hooks, sizes, reportEveryMs, yieldEveryMs);
  } finally {
    resources.pending.dispose();
    resources.optimizer.dispose();
    disposeMlp(resources.model);
    disposeSplit(resources.train);
    disposeSplit(resources.validation);
    disposeSplit(resources.test);
  }
}

async function loop(
  config: TrainingConfig,
  res: RunResources,
  rng: SeededRandom,
  hooks: LoopHooks,
  sizes: number[],
  reportEveryMs: number,
  yieldEveryMs: number,
): Promise<RunResult> {
  const { control } = hooks;
  const batchSize = Math.min(effectiveBatchSize(config), res.train.count);
  const batchesPerEpoch = Math.ceil(res.train.count / batchSize);
  hooks.onStart({
    epochs: config.training.epochs,
    batchesPerEpoch,
    trainingExamples: res.train.count,
    validationExamples: res.validation.count,
    parameterCount: parameterCount(sizes),
  });

  let step = 0;
  let trainMs = 0;
  let stopped = false;
  let windowStart = hooks.now();
  let windowExamples = 0;
  let lastYield = windowStart;

  const report = async (epoch: number, batchInEpoch: number) => {
    const now = hooks.now();
    const elapsed = Math.max(now - windowStart, 1e-3);
    const points = await res.pending.drain();
    hooks.onBatches({ epoch, batchInEpoch, ...points, examplesPerSecond: (windowExamples * 1000) / elapsed });
    windowStart = hooks.now();
    windowExamples = 0;
  };

  for (let epoch = 1; epoch <= config.training.epochs && !stopped; epoch++) {
    const order = rng.permutation(res.train.count);
    let epochMs = 0;
    let batchesDone = 0;
    let segmentStart = hooks.now();
    for (let b = 0; b < batchesPerEpoch; b++) {
      const batch = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, order.length));
      const { loss, accuracy } = trainStep(res.model, res.optimizer, res.train, batch);
      step++;
      batchesDone++;
      windowExamples += batch.length;
      res.pending.push(step, loss, accuracy);

      const now = hooks.now();
      if (now - windowStart >= reportEveryMs) await report(epoch, batchesDone);
      if (now - lastYield >= yieldEveryMs) {
        await hooks.yieldToEventLoop();
        lastYield = hooks.now();
      }
      if (control.paused && !control.stopRequested) {
        epochMs += hooks.now() - segmentStart;
        if (res.pending.size > 0) await report(epoch, batchesDone);
        hooks.onPaused();
        await control.waitWhilePaused();
        if (!control.stopRequested) hooks.onResumed();
        segmentStart = hooks.now();
        windowStart = segmentStart;
        windowExamples = 0;
      }
      if (control.stopRequested) {
        stopped = true;
        break;
      }
    }
    epochMs += hooks.now() - segmentStart;
    trainMs += epochMs;
    if (res.pending.size > 0) await report(epoch, batchesDone);
    if (stopped) break;
    const validation = res.validation.count > 0 ? await evaluate(res.model, res.validation) : null;
    hooks.onEpoch({ epoch, step, validation, epochMs });
    windowStart = hooks.now();
    windowExamples = 0;
  }

  hooks.onEvaluating();
  const test = await evaluate(res.model, res.test);
  return { stopped, test, trainMs };
}
