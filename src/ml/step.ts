import * as tf from '@tensorflow/tfjs-core';
// tfjs-core ships its gradient functions separately; training needs all of them registered.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { forward, type Mlp } from './mlp.ts';
import type { TensorSplit } from './dataset.ts';

/**
 * The training step and evaluation, written against TF.js ops directly rather than Layers `fit`:
 * one gradient tape over the forward pass and loss, then one optimizer update. Nothing is read
 * back to the CPU here; callers batch the reads.
 */

export interface StepResult {
  /** Mean cross-entropy of the batch, a scalar left on the backend. */
  readonly loss: tf.Scalar;
  /** Fraction of the batch classified correctly, a scalar left on the backend. */
  readonly accuracy: tf.Scalar;
}

/** Mean softmax cross-entropy of `logits [B, 10]` against one-hot `targets [B, 10]`. */
function meanCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
}

/** Fraction of rows whose arg-max matches the one-hot target's. */
function batchAccuracy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(targets, 1)), 'float32'));
}

/**
 * One optimisation step on rows `batchIndices` of `split`. Returns the loss and accuracy as
 * tensors the caller owns (and must dispose); every other tensor is freed.
 */
export function trainStep(
  model: Mlp,
  optimizer: tf.Optimizer,
  split: TensorSplit,
  batchIndices: Int32Array,
): StepResult {
  return tf.tidy(() => {
    const rows = tf.tensor1d(batchIndices, 'int32');
    const inputs = tf.gather(split.xs, rows);
    const targets = tf.gather(split.ys, rows);
    let accuracy: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const logits = forward(model, inputs);
      accuracy = tf.keep(batchAccuracy(logits, targets));
      return meanCrossEntropy(logits, targets);
    }, model.variables as tf.Variable[]);
    optimizer.applyGradients(grads);
    return { loss: value, accuracy: accuracy as unknown as tf.Scalar };
  });
}

export interface Evaluation {
  /** Mean cross-entropy over the set. */
  readonly loss: number;
  /** Fraction correct over the set. */
  readonly accuracy: number;
}

/** Loss and accuracy over a whole split, in chunks so memory stays bounded; one read at the end. */
export async function evaluate(model: Mlp, split: TensorSplit, chunkSize = 2000): Promise<Evaluation> {
  if (split.count === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  let totals = tf.zeros([2]);
  for (let start = 0; start < split.count; start += chunkSize) {
    const size = Math.min(chunkSize, split.count - start);
    const next = tf.tidy(() => {
      const inputs = tf.slice(split.xs, [start, 0], [size, -1]);
      const targets = tf.slice(split.ys, [start, 0], [size, -1]);
      const logits = forward(model, inputs);
      const lossSum = tf.mul(meanCrossEntropy(logits, targets), size);
      const correct = tf.mul(batchAccuracy(logits, targets), size);
      return tf.add(totals, tf.stack([lossSum, correct]));
    });
    totals.dispose();
    totals = next;
  }
  const [lossSum = Number.NaN, correct = Number.NaN] = await totals.data();
  totals.dispose();
  return { loss: lossSum / split.count, accuracy: correct / split.count };
}
