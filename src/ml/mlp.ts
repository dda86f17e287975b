import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from '../core/batchNorm.ts';
import { layerSizes, type Activation, type Initializer, type TrainingConfig } from '../core/config.ts';
import type { Fingerprint } from '../core/fingerprint.ts';
import { checkParameters, type ModelLayout, type ParameterTensor } from '../core/modelParameters.ts';
import type { SeededRandom } from '../core/random.ts';
import { activate, isFusable } from './activations.ts';

/**
 * A multi-layer perceptron held as plain TF.js variables, so the training step is ours (not
 * Layers `fit`) and can be made faster kernel by kernel. Weights come from the run's seeded PRNG
 * in JavaScript, so the same seed gives the same network on every backend.
 *
 * Hidden layer i: dense → [batch norm] → activation → [dropout]; the output layer is dense with
 * linear logits (softmax lives in the loss). No hidden layers = softmax regression.
 */

/** PyTorch `BatchNorm1d` defaults, defined with the fused kernel's use in `core/batchNorm.ts`. */
export { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM };

export interface DenseLayer {
  /** `[fanIn, fanOut]`. */
  readonly kernel: tf.Variable<tf.Rank.R2>;
  /** `[fanOut]`. */
  readonly bias: tf.Variable<tf.Rank.R1>;
}

export interface BatchNormLayer {
  /** Trainable scale γ `[units]`, initially 1. */
  readonly gamma: tf.Variable<tf.Rank.R1>;
  /** Trainable shift β `[units]`, initially 0. */
  readonly beta: tf.Variable<tf.Rank.R1>;
  /** Running mean `[units]` (not trainable), used in inference mode. */
  readonly runningMean: tf.Variable<tf.Rank.R1>;
  /** Running unbiased variance `[units]` (not trainable), used in inference mode. */
  readonly runningVar: tf.Variable<tf.Rank.R1>;
}

export interface HiddenLayer {
  readonly dense: DenseLayer;
  readonly batchNorm: BatchNormLayer | null;
  readonly activation: Activation;
  /** Inverted-dropout rate after the activation, training only. */
  readonly dropout: number;
}

export interface Mlp {
  readonly hidden: readonly HiddenLayer[];
  /** Linear output layer: logits `[B, 10]`. */
  readonly output: DenseLayer;
  /** Dropout rate on the `[B, 784]` input, training only. */
  readonly inputDropout: number;
  /** Every trainable variable: kernels, biases, γ and β. */
  readonly variables: readonly tf.Variable[];
  /** Dense kernels only: what L1/L2 and AdamW's weight decay act on. */
  readonly kernels: readonly tf.Variable<tf.Rank.R2>[];
  /** The full state (trainable variables plus batch-norm running statistics), in a fixed order. */
  readonly state: readonly tf.Variable[];
}

/**
 * Standard deviation of the initial kernel: He `√(2/fanIn)` (for ReLU-like layers), Glorot
 * `√(2/(fanIn + fanOut))`, a fixed 0.01, or PyTorch's U(±1/√fanIn), whose std is `1/√(3·fanIn)`.
 * The same rule is used for every layer.
 */
export function initStd(init: Initializer, fanIn: number, fanOut: number): number {
  switch (init) {
    case 'he':
      return Math.sqrt(2 / fanIn);
    case 'glorot':
      return Math.sqrt(2 / (fanIn + fanOut));
    case 'smallNormal':
      return 0.01;
    case 'pytorch':
      return 1 / Math.sqrt(3 * fanIn);
  }
}

/**
 * PyTorch `nn.Linear`'s default bound 1/√fanIn: `kaiming_uniform_(a = √5)` gives kernels
 * U(±√(6/((1 + a²)·fanIn))) = U(±1/√fanIn), and the bias is drawn from the same range.
 */
export function pytorchInitBound(fanIn: number): number {
  return 1 / Math.sqrt(fanIn);
}

/** `count` values from `rng`: U(±bound) for `pytorch`, else normal with {@link initStd}. */
function drawValues(count: number, init: Initializer, fanIn: number, fanOut: number, rng: SeededRandom) {
  const values = new Float32Array(count);
  if (init === 'pytorch') {
    const bound = pytorchInitBound(fanIn);
    for (let i = 0; i < count; i++) values[i] = (2 * rng.nextFloat() - 1) * bound;
  } else {
    const std = initStd(init, fanIn, fanOut);
    for (let i = 0; i < count; i++) values[i] = rng.nextNormal() * std;
  }
  return values;
}

/**
 * One dense layer's initial kernel `[fanIn, fanOut]` (row-major) and bias `[fanOut]`, the kernel
 * drawn first. Biases are drawn only by `pytorch` (the others start them at 0), and only then
 * enter the fingerprint, so the other schemes' fingerprints are what they always were.
 */
function createDense(
  fanIn: number,
  fanOut: number,
  init: Initializer,
  rng: SeededRandom,
  fingerprint: Fingerprint | undefined,
): DenseLayer {
  const values = drawValues(fanIn * fanOut, init, fanIn, fanOut, rng);
  fingerprint?.addInt(fanIn).addInt(fanOut).addArray(values);
  const biases = init === 'pytorch' ? drawValues(fanOut, init, fanIn, fanOut, rng) : new Float32Array(fanOut);
  if (init === 'pytorch') fingerprint?.addArray(biases);
  // Inside tidy, so the initial-value tensors are freed once the variables hold their data.
  const [kernel, bias] = tf.tidy(() => [
    tf.variable(tf.tensor2d(values, [fanIn, fanOut])),
    tf.variable(tf.tensor1d(biases)),
  ]) as [tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>];
  return { kernel, bias };
}

function createBatchNorm(units: number): BatchNormLayer {
  return tf.tidy(() => ({
    gamma: tf.variable(tf.ones([units]) as tf.Tensor1D),
    beta: tf.variable(tf.zeros([units]) as tf.Tensor1D),
    runningMean: tf.variable(tf.zeros([units]) as tf.Tensor1D, false),
    runningVar: tf.variable(tf.ones([units]) as tf.Tensor1D, false),
  }));
}

/**
 * Builds the network `config.model` describes, e.g. 784-128-64-10, drawing kernels from `rng`.
 * With `fingerprint`, every initial kernel (and its shape) is mixed into it as it is drawn, so a
 * comparison can check that two runs started from the same weights without reading tensors back.
 * (Biases start at 0 except under `pytorch`, which mixes them in too; batch norm starts at γ = 1,
 * β = 0.)
 */
export function createMlp(model: TrainingConfig['model'], rng: SeededRandom, fingerprint?: Fingerprint): Mlp {
  const sizes = layerSizes({ model } as TrainingConfig);
  const hidden: HiddenLayer[] = model.hiddenLayers.map((layer, i) => ({
    dense: createDense(sizes[i] ?? 0, layer.units, model.init, rng, fingerprint),
    batchNorm: layer.batchNorm ? createBatchNorm(layer.units) : null,
    activation: layer.activation,
    dropout: layer.dropout,
  }));
  const output = createDense(
    sizes[sizes.length - 2] ?? 0,
    sizes[sizes.length - 1] ?? 0,
    model.init,
    rng,
    fingerprint,
  );
  const dense = [...hidden.map((h) => h.dense), output];
  const norms = hidden.flatMap((h) => (h.batchNorm ? [h.batchNorm] : []));
  const variables = [...dense.flatMap((d) => [d.kernel, d.bias]), ...norms.flatMap((n) => [n.gamma, n.beta])];
  const running = norms.flatMap((n) => [n.runningMean, n.runningVar]);
  return {
    hidden,
    output,
    inputDropout: model.inputDropout,
    variables,
    kernels: dense.map((d) => d.kernel),
    state: [...variables, ...running],
  };
}

/** Batch mean and biased variance of one batch-norm layer, `[units]` each, from a training pass. */
export interface BatchStats {
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

export interface ForwardResult {
  /** `[B, 10]`. */
  readonly logits: tf.Tensor2D;
  /**
   * Each hidden layer's output `[B, units]` as the next layer reads it (after batch norm, the
   * activation and, in training, dropout): what the per-epoch analysis projects with PCA.
   */
  readonly hidden: readonly tf.Tensor2D[];
  /** One entry per batch-norm layer, in order; empty in inference mode. */
  readonly batchStats: readonly BatchStats[];
}

/**
 * Inverted dropout: zeroes each element with probability `rate` and scales survivors by
 * `1/(1 − rate)`, so inference needs no rescaling. The mask comes from `rng` (not TF.js's
 * unseeded default generator), so it is reproducible and identical on every backend.
 */
function dropout(x: tf.Tensor2D, rate: number, rng: SeededRandom): tf.Tensor2D {
  if (rate <= 0) return x;
  const keep = 1 - rate;
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() < keep ? 1 / keep : 0;
  return tf.mul(x, tf.tensor2d(mask, x.shape));
}

function batchNorm(z: tf.Tensor2D, bn: BatchNormLayer, stats: BatchStats[] | null): tf.Tensor2D {
  let mean: tf.Tensor1D = bn.runningMean;
  let variance: tf.Tensor1D = bn.runningVar;
  if (stats !== null) {
    const moments = tf.moments(z, 0);
    mean = moments.mean as tf.Tensor1D;
    variance = moments.variance as tf.Tensor1D;
    stats.push({ mean, variance });
  }
  const normalised = tf.mul(tf.sub(z, mean), tf.rsqrt(tf.add(variance, BATCH_NORM_EPSILON)));
  return tf.add(tf.mul(normalised, bn.gamma), bn.beta);
}

/**
 * The one forward pass `inputs [B, 784]` → logits `[B, 10]`, for training, evaluation and the
 * per-epoch analysis. With `dropoutRng` non-null it is a training pass: dropout on, batch norm on
 * batch statistics (returned in `batchStats` for {@link updateRunningStats}); with null it is
 * inference: no dropout, running statistics. Call inside `tf.tidy` or a gradient scope.
 */
export function forward(model: Mlp, inputs: tf.Tensor2D, dropoutRng: SeededRandom | null): ForwardResult {
  const training = dropoutRng !== null;
  const batchStats: BatchStats[] | null = training ? [] : null;
  const hidden: tf.Tensor2D[] = [];
  let h = training ? dropout(inputs, model.inputDropout, dropoutRng) : inputs;
  for (const layer of model.hidden) {
    const { kernel, bias } = layer.dense;
    if (layer.batchNorm === null && isFusable(layer.activation)) {
      h = tf.fused.matMul({ a: h, b: kernel, bias, activation: layer.activation }) as tf.Tensor2D;
    } else {
      const z = tf.fused.matMul({ a: h, b: kernel, bias }) as tf.Tensor2D;
      h = activate(layer.batchNorm ? batchNorm(z, layer.batchNorm, batchStats) : z, layer.activation);
    }
    if (training) h = dropout(h, layer.dropout, dropoutRng);
    hidden.push(h);
  }
  const logits = tf.fused.matMul({ a: h, b: model.output.kernel, bias: model.output.bias }) as tf.Tensor2D;
  return { logits, hidden, batchStats: batchStats ?? [] };
}

/**
 * Moves each batch-norm layer's running statistics towards the batch's, as PyTorch does:
 * `running = 0.9·running + 0.1·batch`, with the variance made unbiased (× B/(B − 1); for B = 1,
 * where PyTorch refuses, the biased value is used). Must not run inside a gradient scope.
 */
export function updateRunningStats(model: Mlp, stats: readonly BatchStats[], batchSize: number): void {
  const norms = model.hidden.flatMap((h) => (h.batchNorm ? [h.batchNorm] : []));
  const correction = batchSize > 1 ? batchSize / (batchSize - 1) : 1;
  const m = BATCH_NORM_MOMENTUM;
  tf.tidy(() => {
    norms.forEach((bn, i) => {
      const batch = stats[i];
      if (batch === undefined) return;
      bn.runningMean.assign(tf.add(tf.mul(bn.runningMean, 1 - m), tf.mul(batch.mean, m)));
      bn.runningVar.assign(tf.add(tf.mul(bn.runningVar, 1 - m), tf.mul(batch.variance, m * correction)));
    });
  });
}

/** Copies of {@link Mlp.state}, e.g. the weights of the best epoch; the caller disposes them. */
export function snapshotMlp(model: Mlp): tf.Tensor[] {
  return model.state.map((v) => tf.keep(tf.clone(v)));
}

/** Writes a {@link snapshotMlp} back into the model's variables. */
export function restoreMlp(model: Mlp, snapshot: readonly tf.Tensor[]): void {
  model.state.forEach((v, i) => {
    const saved = snapshot[i];
    if (saved !== undefined) v.assign(saved);
  });
}

/** The widths and batch-norm flags that decide the model's state shapes (see `core/modelParameters.ts`). */
export function mlpLayout(model: Mlp): ModelLayout {
  return {
    hiddenLayers: model.hidden.map((h) => ({
      units: h.dense.bias.shape[0],
      batchNorm: h.batchNorm !== null,
    })),
  };
}

/**
 * Writes saved weights (in `parameterLayout` order, which is {@link Mlp.state}'s) into the model's
 * variables, e.g. to continue training from a saved model or to evaluate one. Throws with the
 * first mismatch (name, shape, length, non-finite value) before changing anything.
 */
export function assignParameters(model: Mlp, parameters: readonly ParameterTensor[]): void {
  const problem = checkParameters(mlpLayout(model), parameters);
  if (problem !== null) throw new Error(problem);
  tf.tidy(() => {
    model.state.forEach((variable, i) => {
      const saved = parameters[i];
      if (saved !== undefined) variable.assign(tf.tensor(saved.data, variable.shape, 'float32'));
    });
  });
}

export function disposeMlp(model: Mlp): void {
  for (const variable of model.state) variable.dispose();
}
