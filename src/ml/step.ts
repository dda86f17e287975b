import * as tf from '@tensorflow/tfjs-core';
// tfjs-core ships its gradient functions separately; training needs all of them registered.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { SeededRandom } from '../core/random.ts';
import type { Evaluation } from '../core/runReports.ts';
import type { BatchSource, TensorSplit } from './dataset.ts';
import { batchAccuracy, dataLoss, weightPenalty, type LossConfig } from './losses.ts';
import { forward, updateRunningStats, type BatchStats, type Mlp } from './mlp.ts';
import type { TrainOptimizer } from './optimizers.ts';

export type { Evaluation } from '../core/runReports.ts';

/**
 * The training step and evaluation, written against TF.js ops directly rather than Layers `fit`:
 * one gradient tape over the forward pass and loss, then one optimizer update. Nothing is read
 * back to the CPU here; callers batch the reads.
 */

export interface StepResult {
  /** Mean **data** loss of the batch (without the L1/L2 penalty), a scalar left on the backend. */
  readonly loss: tf.Scalar;
  /** Fraction of the batch classified correctly, a scalar left on the backend. */
  readonly accuracy: tf.Scalar;
  /**
   * With `measureNorms`: `[2L]` per dense kernel (hidden layers, then output) ‖∂J/∂W‖₂ of the
   * gradient the optimizer was given (batch-mean data loss plus the L1/L2 penalty), then
   * ‖ΔW‖₂/‖W_before‖₂ of the update; left on the backend, read with the loss.
   */
  readonly norms?: tf.Tensor1D;
}

/**
 * One optimisation step on the training-split `positions` of `source`: training-mode forward pass
 * (dropout masks from `dropoutRng`, batch norm on batch statistics), gradient of data loss +
 * weight penalty, optimizer update, then the batch-norm running statistics. Returns the loss and
 * accuracy as tensors the caller owns (and must dispose); every other tensor is freed.
 */
export function trainStep(
  model: Mlp,
  optimizer: TrainOptimizer,
  source: BatchSource,
  positions: Int32Array,
  loss: LossConfig,
  dropoutRng: SeededRandom,
  measureNorms = false,
): StepResult {
  return tf.tidy(() => {
    const { inputs, targets } = source.batch(positions);
    let accuracy: tf.Scalar | null = null;
    let data: tf.Scalar | null = null;
    let stats: readonly BatchStats[] = [];
    const { grads } = tf.variableGrads(() => {
      const pass = forward(model, inputs, dropoutRng);
      stats = pass.batchStats;
      for (const s of stats) {
        tf.keep(s.mean);
        tf.keep(s.variance);
      }
      accuracy = tf.keep(batchAccuracy(pass.logits, targets));
      data = tf.keep(dataLoss(pass.logits, targets, loss));
      const penalty = weightPenalty(model.kernels, loss);
      return penalty === null ? tf.clone(data) : tf.add(data, penalty);
    }, model.variables as tf.Variable[]);
    const before = measureNorms ? model.kernels.map((k) => tf.clone(k)) : [];
    const gradientNorms = before.map((_, i) => tf.norm(grads[model.kernels[i]?.name ?? ''] ?? tf.scalar(0)));
    optimizer.applyGradients(grads);
    updateRunningStats(model, stats, positions.length);
    tf.dispose(stats.flatMap((s) => [s.mean, s.variance]));
    const ratios = before.map((w, i) => tf.div(tf.norm(tf.sub(model.kernels[i] ?? w, w)), tf.norm(w)));
    return {
      loss: data as unknown as tf.Scalar,
      accuracy: accuracy as unknown as tf.Scalar,
      ...(measureNorms ? { norms: tf.stack([...gradientNorms, ...ratios]) as tf.Tensor1D } : {}),
    };
  });
}

/**
 * Loss and accuracy over a whole split in inference mode (no dropout, batch-norm running
 * statistics), in chunks so memory stays bounded; one read at the end.
 */
export async function evaluate(
  model: Mlp,
  split: TensorSplit,
  loss: LossConfig,
  chunkSize = 2000,
): Promise<Evaluation> {
  if (split.count === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  let totals = tf.zeros([2]);
  for (let start = 0; start < split.count; start += chunkSize) {
    const size = Math.min(chunkSize, split.count - start);
    const next = tf.tidy(() => {
      const inputs = tf.slice(split.xs, [start, 0], [size, -1]);
      const targets = tf.slice(split.ys, [start, 0], [size, -1]);
      const { logits } = forward(model, inputs, null);
      const lossSum = tf.mul(dataLoss(logits, targets, loss), size);
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
