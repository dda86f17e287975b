import * as tf from '@tensorflow/tfjs-core';
import { augmentImage, augmentationEnabled, type AugmentationOptions } from '../core/augment.ts';
import {
  availableTrainingExamples,
  effectiveTrainingExamples,
  MNIST_TRAIN_COUNT,
  validationCount,
  type TrainingConfig,
} from '../core/config.ts';
import type { LabelledImages } from '../core/idx.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../core/idx.ts';
import { normalizationTable, normalizeInto, type NormalizationStats } from '../core/normalization.ts';
import { isRowReceived, type ReceivedShards } from '../core/mnistShards.ts';
import { SeededRandom } from '../core/random.ts';

/**
 * Getting MNIST rows onto the backend: resident splits for evaluation and the fast training path
 * (one `gather` per batch), and CPU-built batches when augmentation is on.
 */

/** A split resident on the backend, normalised once. */
export interface TensorSplit {
  /** `[N, 784]` float32, `(x/255 − mean)/std`. */
  readonly xs: tf.Tensor2D;
  /** `[N, 10]` one-hot float32. */
  readonly ys: tf.Tensor2D;
  readonly count: number;
}

function oneHot(labels: Int32Array): tf.Tensor2D {
  return tf.tidy(
    () => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), MNIST_CLASSES), 'float32') as tf.Tensor2D,
  );
}

/** Uploads the images at `indices` (rows of `source`) as a {@link TensorSplit} normalised by `stats`. */
export function toTensorSplit(
  source: LabelledImages,
  indices: ArrayLike<number>,
  stats: NormalizationStats = { mean: 0, std: 1 },
): TensorSplit {
  const count = indices.length;
  const table = normalizationTable(stats);
  const pixels = new Float32Array(count * MNIST_PIXELS);
  const labels = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    const index = indices[row] ?? 0;
    normalizeInto(source.pixels, index * MNIST_PIXELS, pixels, row * MNIST_PIXELS, MNIST_PIXELS, table);
    labels[row] = source.labels[index] ?? 0;
  }
  return { xs: tf.tensor2d(pixels, [count, MNIST_PIXELS]), ys: oneHot(labels), count };
}

export function disposeSplit(split: TensorSplit): void {
  split.xs.dispose();
  split.ys.dispose();
}

/** `0, 1, …, n−1`, for using a whole set in its file order. */
export function allIndices(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * Rows of the 60,000 training images for validation and training. `random`: a permutation seeded
 * by `config.seed`, validation first (so it does not depend on `trainingExamples`); `first`:
 * train on rows `0 … (1−f)·60000 − 1` in file order and validate on the rest. Either way
 * `trainingExamples` then keeps the first that many of the training part. With `received` (the
 * images still arriving, see `core/mnistShards.ts`) each part keeps only the rows already in, in
 * the same order: a subset of the complete data's split, every row on the same side of it.
 */
export function splitIndices(
  config: TrainingConfig,
  received?: ReceivedShards,
): { train: Int32Array; validation: Int32Array } {
  const split = completeSplit(config);
  if (received === undefined) return split;
  const keep = (rows: Int32Array) => rows.filter((row) => isRowReceived(row, received));
  return { train: keep(split.train), validation: keep(split.validation) };
}

function completeSplit(config: TrainingConfig): { train: Int32Array; validation: Int32Array } {
  const validationSize = validationCount(config.data.validationFraction);
  const trainSize = effectiveTrainingExamples(config);
  if (config.data.splitMethod === 'first') {
    const available = availableTrainingExamples(config.data.validationFraction);
    return {
      train: allIndices(trainSize),
      validation: Int32Array.from({ length: validationSize }, (_, i) => available + i),
    };
  }
  const order = new SeededRandom(config.seed ^ 0x5eed5).permutation(MNIST_TRAIN_COUNT);
  return {
    validation: order.slice(0, validationSize),
    train: order.slice(validationSize, validationSize + trainSize),
  };
}

/** One training batch: `inputs [B, 784]` normalised, `targets [B, 10]` one-hot. */
export interface Batch {
  readonly inputs: tf.Tensor2D;
  readonly targets: tf.Tensor2D;
}

/** Where training batches come from; `batch` is called inside the step's `tf.tidy`. */
export interface BatchSource {
  readonly count: number;
  /** Builds the batch of training-split positions `positions` (0 … count−1). */
  batch(positions: Int32Array): Batch;
  dispose(): void;
}

/** Fast path: the training split lives on the backend and a batch is two `gather`s. */
class ResidentBatches implements BatchSource {
  constructor(private readonly split: TensorSplit) {}

  get count(): number {
    return this.split.count;
  }

  batch(positions: Int32Array): Batch {
    const rows = tf.tensor1d(positions, 'int32');
    return { inputs: tf.gather(this.split.xs, rows), targets: tf.gather(this.split.ys, rows) };
  }

  dispose(): void {
    disposeSplit(this.split);
  }
}

/**
 * Augmenting path: each batch is augmented from the uint8 images on the CPU, normalised and
 * uploaded as `[B, 784]`. Work per batch is O(B·784), independent of the dataset size.
 */
class AugmentedBatches implements BatchSource {
  private readonly table: Float32Array;
  private readonly scratch = new Uint8Array(MNIST_PIXELS);

  constructor(
    private readonly source: LabelledImages,
    private readonly indices: Int32Array,
    stats: NormalizationStats,
    private readonly options: AugmentationOptions,
    private readonly rng: SeededRandom,
  ) {
    this.table = normalizationTable(stats);
  }

  get count(): number {
    return this.indices.length;
  }

  batch(positions: Int32Array): Batch {
    const size = positions.length;
    const pixels = new Float32Array(size * MNIST_PIXELS);
    const labels = new Int32Array(size);
    for (let row = 0; row < size; row++) {
      const index = this.indices[positions[row] ?? 0] ?? 0;
      augmentImage(this.source.pixels, index * MNIST_PIXELS, this.scratch, 0, this.options, this.rng);
      normalizeInto(this.scratch, 0, pixels, row * MNIST_PIXELS, MNIST_PIXELS, this.table);
      labels[row] = this.source.labels[index] ?? 0;
    }
    return { inputs: tf.tensor2d(pixels, [size, MNIST_PIXELS]), targets: oneHot(labels) };
  }

  dispose(): void {}
}

/**
 * The training batches for a run: CPU-augmented when any of `data.rotationDegrees`,
 * `cropPadding`, `shiftPixels` is on (drawing from `rng`), otherwise resident on the backend.
 */
export function createBatchSource(
  config: TrainingConfig,
  source: LabelledImages,
  indices: Int32Array,
  stats: NormalizationStats,
  rng: SeededRandom,
): BatchSource {
  if (augmentationEnabled(config.data)) {
    return new AugmentedBatches(source, indices, stats, config.data, rng);
  }
  return new ResidentBatches(toTensorSplit(source, indices, stats));
}
