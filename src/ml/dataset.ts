import * as tf from '@tensorflow/tfjs-core';
import type { LabelledImages } from '../core/idx.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../core/idx.ts';

/**
 * A split of MNIST resident on the backend as two tensors, so a batch is one `gather` instead of
 * an upload. Pixels are scaled to [0, 1] once here.
 */
export interface TensorSplit {
  /** `[N, 784]` float32 in [0, 1]. */
  readonly xs: tf.Tensor2D;
  /** `[N, 10]` one-hot float32. */
  readonly ys: tf.Tensor2D;
  readonly count: number;
}

/** Uploads the images at `indices` (rows of `source`) as a {@link TensorSplit}. */
export function toTensorSplit(source: LabelledImages, indices: ArrayLike<number>): TensorSplit {
  const count = indices.length;
  const pixels = new Float32Array(count * MNIST_PIXELS);
  const labels = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    const from = (indices[row] ?? 0) * MNIST_PIXELS;
    const to = row * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) pixels[to + p] = (source.pixels[from + p] ?? 0) / 255;
    labels[row] = source.labels[indices[row] ?? 0] ?? 0;
  }
  const xs = tf.tensor2d(pixels, [count, MNIST_PIXELS]);
  const ys = tf.tidy(
    () => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), MNIST_CLASSES), 'float32') as tf.Tensor2D,
  );
  return { xs, ys, count };
}

export function disposeSplit(split: TensorSplit): void {
  split.xs.dispose();
  split.ys.dispose();
}

/** `0, 1, …, n−1`, for using a whole set in its file order. */
export function allIndices(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
