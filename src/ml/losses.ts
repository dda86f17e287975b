import * as tf from '@tensorflow/tfjs-core';
import { MNIST_CLASSES } from '../core/idx.ts';
import type { TrainingConfig } from '../core/config.ts';

/**
 * Data losses on logits `[B, 10]` against one-hot targets `[B, 10]`, each a batch mean (scalar),
 * plus the weight penalties. Matches the PyTorch losses of the reference notebooks.
 */

export type LossConfig = TrainingConfig['loss'];

/** `(1 − ε)·onehot + ε/10`, the smoothed targets of `loss.labelSmoothing`. `[B, 10]`. */
export function smoothTargets(targets: tf.Tensor2D, epsilon: number): tf.Tensor2D {
  if (epsilon <= 0) return targets;
  return tf.add(tf.mul(targets, 1 - epsilon), epsilon / MNIST_CLASSES);
}

/**
 * The data loss of `loss.kind`, a scalar batch mean:
 *
 * - `crossEntropy`: softmax cross-entropy against the smoothed targets (PyTorch
 *   `CrossEntropyLoss(label_smoothing=ε)`).
 * - `mse`: mean over all `B·10` elements of `(softmax(logits) − targets)²`, i.e. on softmax
 *   **probabilities**, not logits, matching the notebooks' `MSELoss(softmax(out), onehot)`
 *   experiment (label smoothing applies to these targets too).
 * - `hinge`: Weston–Watkins multi-class hinge as PyTorch `MultiMarginLoss` (margin 1, p 1):
 *   `Σ_{j≠y} max(0, 1 − x_y + x_j) / 10` per example, batch mean. Label smoothing does not apply.
 */
export function dataLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, loss: LossConfig): tf.Scalar {
  switch (loss.kind) {
    case 'crossEntropy':
      return tf.losses.softmaxCrossEntropy(targets, logits, undefined, loss.labelSmoothing) as tf.Scalar;
    case 'mse':
      return tf.mean(tf.squaredDifference(tf.softmax(logits), smoothTargets(targets, loss.labelSmoothing)));
    case 'hinge': {
      const correct = tf.sum(tf.mul(logits, targets), 1, true);
      const margins = tf.mul(tf.relu(tf.add(tf.sub(logits, correct), 1)), tf.sub(1, targets));
      return tf.div(tf.mean(tf.sum(margins, 1)), MNIST_CLASSES);
    }
  }
}

/**
 * `l2·Σw² + l1·Σ|w|` over the dense kernels (biases and batch-norm parameters are not
 * penalised), or null when both coefficients are 0. Added to the data loss for the gradient only.
 */
export function weightPenalty(kernels: readonly tf.Tensor2D[], loss: LossConfig): tf.Scalar | null {
  const terms: tf.Scalar[] = [];
  if (loss.l2 > 0) terms.push(tf.mul(tf.addN(kernels.map((k) => tf.sum(tf.square(k)))), loss.l2));
  if (loss.l1 > 0) terms.push(tf.mul(tf.addN(kernels.map((k) => tf.sum(tf.abs(k)))), loss.l1));
  if (terms.length === 0 || kernels.length === 0) return null;
  return terms.length === 1 ? (terms[0] as tf.Scalar) : tf.add(terms[0] as tf.Scalar, terms[1] as tf.Scalar);
}

/** Fraction of rows whose arg-max matches the one-hot target's (a scalar). */
export function batchAccuracy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(targets, 1)), 'float32'));
}
