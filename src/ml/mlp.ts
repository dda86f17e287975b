import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../core/config.ts';
import type { SeededRandom } from '../core/random.ts';

/**
 * A multi-layer perceptron held as plain TF.js variables, so the training step is ours (not
 * Layers `fit`) and can be made faster kernel by kernel. Weights are drawn from the run's seeded
 * PRNG in JavaScript, so the same seed gives the same network on every backend.
 */

export interface DenseLayer {
  /** `[fanIn, fanOut]`. */
  readonly kernel: tf.Variable<tf.Rank.R2>;
  /** `[fanOut]`. */
  readonly bias: tf.Variable<tf.Rank.R1>;
  readonly activation: Activation;
}

export interface Mlp {
  readonly layers: readonly DenseLayer[];
  /** Every trainable variable, kernels and biases in layer order. */
  readonly variables: readonly tf.Variable[];
}

/**
 * He-normal for ReLU layers (keeps activation variance at depth), Glorot-normal otherwise and for
 * the output layer. Returns `[fanIn * fanOut]` row-major.
 */
function initialKernel(fanIn: number, fanOut: number, activation: Activation, rng: SeededRandom) {
  const std = activation === 'relu' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
  const values = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < values.length; i++) values[i] = rng.nextNormal() * std;
  return values;
}

/**
 * Builds `sizes.length − 1` dense layers: `activations[i]` after hidden layer i, and a linear
 * output (logits; softmax lives in the loss). `sizes` is e.g. `[784, 128, 64, 10]`.
 */
export function createMlp(
  sizes: readonly number[],
  activations: readonly Activation[],
  rng: SeededRandom,
): Mlp {
  const layers: DenseLayer[] = [];
  for (let i = 1; i < sizes.length; i++) {
    const fanIn = sizes[i - 1] ?? 0;
    const fanOut = sizes[i] ?? 0;
    const isOutput = i === sizes.length - 1;
    const activation: Activation = isOutput ? 'linear' : (activations[i - 1] ?? 'relu');
    const kernelValues = initialKernel(fanIn, fanOut, isOutput ? 'linear' : activation, rng);
    // Inside tidy, so the initial-value tensors are freed once the variables hold their data.
    const [kernel, bias] = tf.tidy(() => [
      tf.variable(tf.tensor2d(kernelValues, [fanIn, fanOut])),
      tf.variable(tf.zeros([fanOut])),
    ]) as [tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>];
    layers.push({ kernel, bias, activation });
  }
  return { layers, variables: layers.flatMap((layer) => [layer.kernel, layer.bias]) };
}

/** Activations TF.js can fuse into the matMul kernel (one kernel call instead of three). */
const FUSABLE: ReadonlySet<Activation> = new Set<Activation>(['relu', 'sigmoid', 'linear']);

/** Forward pass: `inputs [B, 784]` → logits `[B, 10]`. Call inside `tf.tidy` or a gradient scope. */
export function forward(model: Mlp, inputs: tf.Tensor2D): tf.Tensor2D {
  let h = inputs;
  for (const layer of model.layers) {
    if (FUSABLE.has(layer.activation)) {
      h = tf.fused.matMul({
        a: h,
        b: layer.kernel,
        bias: layer.bias,
        activation: layer.activation as tf.fused.Activation,
      }) as tf.Tensor2D;
    } else {
      h = tf.tanh(tf.add(tf.matMul(h, layer.kernel), layer.bias)) as tf.Tensor2D;
    }
  }
  return h;
}

export function disposeMlp(model: Mlp): void {
  for (const variable of model.variables) variable.dispose();
}
