import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { LayerHealthView } from '../core/analysisTypes.ts';
import { MNIST_CLASSES } from '../core/idx.ts';
import { histogram, inactiveUnitShare, l2Norm, updateToWeightRatio } from '../core/layerHealth.ts';
import { forward, type Mlp } from './mlp.ts';

/**
 * The Layers view's per-epoch measurements, taken in the analysis (off the training thread, on
 * the epoch's weight snapshot), never in the training step: training speed is unchanged by
 * construction. The probe batch is the analysis's fixed class-balanced PCA rows of the test split.
 */

/**
 * Probe rows the gradients are taken on: an eighth of the 2,000 the activations are read on,
 * spread evenly over them. Enough for a norm read on a log scale; 500 took twice as long (≈ 55 ms of the
 * layer-health analysis's 85 ms on W1, Node wasm) and pushed the bench's training slow-down
 * past its 5% goal.
 */
export const GRADIENT_PROBE_ROWS = 250;

/** Every `step`-th of `rows` probe rows, up to `limit` (an even spread over a class-balanced probe). */
export function spreadRows(rows: number, limit = GRADIENT_PROBE_ROWS): Int32Array {
  const step = Math.max(1, Math.ceil(rows / limit));
  return Int32Array.from({ length: Math.ceil(rows / step) }, (_, i) => i * step);
}

export interface LayerHealthInputs {
  readonly model: Mlp;
  /** `[rows, 784]` the probe batch's inputs, normalised as for training. */
  readonly probe: tf.Tensor2D;
  /** `[rows]` the probe batch's labels, 0–9. */
  readonly probeLabels: Int32Array;
  /** The probe rows the gradients are taken on (a subset of the probe batch, to keep it cheap). */
  readonly gradientRows: Int32Array;
  /** Each hidden layer's outputs `[rows, units]` then the logits `[rows, 10]` on the probe batch. */
  readonly activations: readonly Float32Array[];
  /** Names of the hidden layers then the output layer. */
  readonly names: readonly string[];
  /**
   * Each kernel as read at the previously analysed epoch (input side first), replaced by this
   * epoch's; empty at the first. Epochs the analyser skipped make the ratio span several epochs.
   */
  readonly previousKernels: Float32Array[];
}

/**
 * ∂L/∂W of every dense kernel (hidden layers, then output; `[fanIn·fanOut]` row-major), L the mean
 * softmax cross-entropy of the probe batch in inference mode (no dropout, batch-norm running
 * statistics, no penalty).
 */
export async function kernelGradients(
  model: Mlp,
  probe: tf.Tensor2D,
  probeLabels: Int32Array,
): Promise<Float32Array[]> {
  const kernels = model.kernels;
  const gradients = tf.tidy(() => {
    const targets = tf.oneHot(tf.tensor1d(probeLabels, 'int32'), MNIST_CLASSES);
    const loss = (...weights: tf.Tensor[]) => {
      // `forward` reads the model's kernels: swap in the differentiated copies.
      const swapped: Mlp = {
        ...model,
        hidden: model.hidden.map((layer, i) => ({
          ...layer,
          dense: { ...layer.dense, kernel: weights[i] as tf.Variable<tf.Rank.R2> },
        })),
        output: { ...model.output, kernel: weights[kernels.length - 1] as tf.Variable<tf.Rank.R2> },
      };
      const { logits } = forward(swapped, probe, null);
      return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
    };
    return tf.grads(loss)(kernels.map((k) => tf.clone(k)));
  });
  try {
    return (await Promise.all(gradients.map((g) => g.data<'float32'>()))) as Float32Array[];
  } finally {
    tf.dispose(gradients);
  }
}

/** Every dense layer's health on the probe batch (see {@link LayerHealthView}). */
export async function measureLayerHealth(inputs: LayerHealthInputs): Promise<LayerHealthView[]> {
  const { model, probe, probeLabels, gradientRows, activations, names, previousKernels } = inputs;
  const subset = tf.tidy(() => tf.gather(probe, tf.tensor1d(gradientRows, 'int32')));
  let gradients: Float32Array[];
  try {
    gradients = await kernelGradients(
      model,
      subset,
      gradientRows.map((r) => probeLabels[r] ?? 0),
    );
  } finally {
    subset.dispose();
  }
  const kernelReads = model.kernels.map((k) => k.data<'float32'>());
  const kernels = (await Promise.all(kernelReads)) as Float32Array[];
  return kernels.map((kernel, i) => {
    const layer = model.hidden[i];
    const units = layer?.dense.kernel.shape[1] ?? MNIST_CLASSES;
    const outputs = activations[i] ?? new Float32Array(0);
    const view: LayerHealthView = {
      name: names[i] ?? `Layer ${i + 1}`,
      gradientNorm: l2Norm(gradients[i] ?? [NaN]),
      updateRatio: updateToWeightRatio(kernel, previousKernels[i] ?? null),
      weights: histogram(kernel),
      gradients: histogram(gradients[i] ?? []),
      activations: histogram(outputs),
      inactive: layer === undefined ? null : inactiveUnitShare(outputs, units, layer.activation),
    };
    previousKernels[i] = kernel;
    return view;
  });
}
