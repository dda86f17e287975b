import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../core/config.ts';
import { MNIST_PIXELS } from '../core/idx.ts';
import { parameterLayout, type ParameterTensor } from '../core/modelParameters.ts';
import type { UnitDetail } from '../core/neuronInspector.ts';
import { normalizationTable, type NormalizationStats } from '../core/normalization.ts';
import { BATCH_NORM_EPSILON, mlpLayout, type Mlp } from './mlp.ts';

/**
 * Classifies single images (the page's drawing pad) with a frozen copy of a model's weights, in
 * plain JavaScript: one image is ~100k multiply-adds, well under a millisecond, and a copy in
 * typed arrays neither waits on the backend nor holds tensors, so it outlives the run's model.
 * Inference mode only: no dropout, batch norm on its running statistics — the same maths as
 * `forward(model, x, null)` in `mlp.ts`, which the unit test checks it against.
 */

/** One dense layer (plus its batch norm and activation), weights copied out of the model. */
interface FrozenLayer {
  readonly fanIn: number;
  readonly fanOut: number;
  /** `[fanIn, fanOut]`, row-major (as the TF.js kernel variable). */
  readonly kernel: Float32Array;
  /** `[fanOut]`. */
  readonly bias: Float32Array;
  /** Inference batch norm folded to `z·scale + shift`, `[fanOut]` each; null without. */
  readonly batchNorm: { readonly scale: Float32Array; readonly shift: Float32Array } | null;
  readonly activation: Activation;
}

/** Where a predictor's weights are in the run: the epoch (1-based, in progress or last) and step. */
export interface PredictorOrigin {
  readonly epoch: number;
  /** Optimisation steps taken so far (0 before the first batch). */
  readonly step: number;
}

/** What {@link Predictor.inspect} returns for one image. */
export interface PredictorInspection {
  /** `[10]` softmax probabilities. */
  readonly probabilities: Float32Array;
  /** Per hidden layer its `[units]` outputs, then the `[10]` logits. */
  readonly activations: Float32Array[];
}

/** GELU tanh approximation constant √(2/π), as in `activations.ts`. */
const GELU_C = Math.sqrt(2 / Math.PI);
/** TF.js's SELU constants (`tf.selu`). */
const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473766;

/** Scalar twin of `activate` in `activations.ts`. */
function activateScalar(x: number, activation: Activation): number {
  switch (activation) {
    case 'relu':
      return x > 0 ? x : 0;
    case 'leakyRelu':
      return x > 0 ? x : 0.01 * x;
    case 'elu':
      return x > 0 ? x : Math.expm1(x);
    case 'gelu':
      return 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
    case 'selu':
      return x > 0 ? SELU_SCALE * x : SELU_SCALE_ALPHA * Math.expm1(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'linear':
      return x;
  }
}

/** d activate(x)/dx at `x` (the pre-activation), for the saliency's backward pass. */
function activationSlope(x: number, activation: Activation): number {
  switch (activation) {
    case 'relu':
      return x > 0 ? 1 : 0;
    case 'leakyRelu':
      return x > 0 ? 1 : 0.01;
    case 'elu':
      return x > 0 ? 1 : Math.exp(x);
    case 'gelu': {
      const t = Math.tanh(GELU_C * (x + 0.044715 * x * x * x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x);
    }
    case 'selu':
      return x > 0 ? SELU_SCALE : SELU_SCALE_ALPHA * Math.exp(x);
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s);
    }
    case 'tanh': {
      const t = Math.tanh(x);
      return 1 - t * t;
    }
    case 'linear':
      return 1;
  }
}

/** Softmax of `logits`, shifted by the maximum so `exp` cannot overflow. */
function softmax(logits: Float64Array): Float32Array {
  let max = -Infinity;
  for (const z of logits) max = Math.max(max, z);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((s, e) => s + e, 0);
  return Float32Array.from(exps, (e) => e / sum);
}

/** Unit `j` of `layer` from its dense output `value`: batch norm (if any), then the activation. */
function finishUnit(layer: FrozenLayer, j: number, value: number): number {
  const { batchNorm } = layer;
  const normed = batchNorm === null ? value : value * (batchNorm.scale[j] ?? 1) + (batchNorm.shift[j] ?? 0);
  return activateScalar(normed, layer.activation);
}

export class Predictor {
  /** Byte → normalised input, from the run's statistics. `[256]`. */
  private readonly table: Float32Array;
  /** {@link backgroundOutput}, computed on first use. */
  private background: Float64Array | null = null;

  private constructor(
    private readonly layers: readonly FrozenLayer[],
    /** The run's `(x/255 − mean)/std` constants, as training used them. */
    readonly normalization: NormalizationStats,
    readonly origin: PredictorOrigin,
    /**
     * The raw state in `Mlp.state` order (batch norm unfolded), for saving the model. Shares
     * arrays with the frozen layers: copy before transferring or changing them.
     */
    readonly parameters: readonly ParameterTensor[],
  ) {
    this.table = normalizationTable(normalization);
  }

  /**
   * Copies `model`'s current weights and running statistics ({@link Mlp.state}). The variables are
   * cloned at once (a snapshot of this moment, whatever training does next) and read back
   * asynchronously — a synchronous read breaks the WebGPU backend — then the clones are freed, so
   * no tensor is left.
   */
  static async fromMlp(
    model: Mlp,
    normalization: NormalizationStats,
    origin: PredictorOrigin,
  ): Promise<Predictor> {
    const clones = model.state.map((v) => tf.clone(v));
    let values: Float32Array[];
    try {
      values = (await Promise.all(clones.map((c) => c.data()))).map((v) => Float32Array.from(v));
    } finally {
      tf.dispose(clones);
    }
    const byVariable = new Map<tf.Tensor, Float32Array>();
    model.state.forEach((variable, i) => byVariable.set(variable, values[i] ?? new Float32Array(0)));
    const read = (variable: tf.Tensor): Float32Array => {
      const value = byVariable.get(variable);
      if (value === undefined || value.length !== variable.size)
        throw new Error('Predictor: weights out of order');
      return value;
    };
    // Names and shapes from the layout, checked against the variables they were read from.
    const parameters = parameterLayout(mlpLayout(model)).map(({ name, shape }, i) => {
      const variable = model.state[i];
      if (variable === undefined || variable.shape.join() !== shape.join()) {
        throw new Error(`Predictor: ${name} does not match the model's state`);
      }
      return { name, shape, data: read(variable) };
    });
    const layers: FrozenLayer[] = model.hidden.map((layer) => {
      const [fanIn = 0, fanOut = 0] = layer.dense.kernel.shape;
      let batchNorm: FrozenLayer['batchNorm'] = null;
      if (layer.batchNorm !== null) {
        const gamma = read(layer.batchNorm.gamma);
        const beta = read(layer.batchNorm.beta);
        const mean = read(layer.batchNorm.runningMean);
        const variance = read(layer.batchNorm.runningVar);
        // γ·(z − μ)/√(σ² + ε) + β = z·scale + shift.
        const scale = gamma.map((g, j) => g / Math.sqrt((variance[j] ?? 1) + BATCH_NORM_EPSILON));
        const shift = beta.map((b, j) => b - (mean[j] ?? 0) * (scale[j] ?? 0));
        batchNorm = { scale, shift };
      }
      return {
        fanIn,
        fanOut,
        kernel: read(layer.dense.kernel),
        bias: read(layer.dense.bias),
        batchNorm,
        activation: layer.activation,
      };
    });
    const [fanIn = 0, fanOut = 0] = model.output.kernel.shape;
    layers.push({
      fanIn,
      fanOut,
      kernel: read(model.output.kernel),
      bias: read(model.output.bias),
      batchNorm: null,
      activation: 'linear',
    });
    return new Predictor(layers, normalization, origin, parameters);
  }

  /** Class probabilities `[10]` (softmax of the logits) for one image of `[784]` bytes 0–255. */
  predict(pixels: Uint8Array): Float32Array {
    return this.inspect(pixels).probabilities;
  }

  /**
   * The probabilities and every layer's output on the way: `activations[l]` is hidden layer `l`'s
   * `[units]` (after batch norm and activation), the last entry the `[10]` logits. The neuron
   * inspector lights its units with these.
   */
  inspect(pixels: Uint8Array): PredictorInspection {
    const outputs = this.forwardLayers(pixels, null);
    const logits = outputs[outputs.length - 1] ?? new Float64Array(0);
    return { probabilities: softmax(logits), activations: outputs.map((o) => Float32Array.from(o)) };
  }

  /**
   * One hidden unit up close: its incoming weights `[fanIn]` (`[784]` for the first layer: a 28×28
   * image) and its contribution to each logit `[10]` for this image — the logits minus the logits
   * with the unit silenced (output 0). For the last hidden layer this is exactly activation × weight.
   * Null when `layer`/`unit` name no hidden unit.
   */
  unitDetail(pixels: Uint8Array, layer: number, unit: number): UnitDetail | null {
    const frozen = this.layers[layer];
    if (layer >= this.layers.length - 1 || frozen === undefined) return null;
    if (!Number.isInteger(unit) || unit < 0 || unit >= frozen.fanOut) return null;
    const incoming = Float32Array.from(
      { length: frozen.fanIn },
      (_, i) => frozen.kernel[i * frozen.fanOut + unit] ?? 0,
    );
    const full = this.forwardLayers(pixels, null);
    const silenced = this.forwardLayers(pixels, { layer, unit });
    const logits = full[full.length - 1] ?? new Float64Array(0);
    const without = silenced[silenced.length - 1] ?? new Float64Array(0);
    const contributions = Float32Array.from(logits, (z, k) => z - (without[k] ?? 0));
    return { layer, unit, incoming, contributions };
  }

  /**
   * Saliency `[784]`: the gradient of the top logit with respect to each input pixel, per byte of
   * ink (0–255), by backpropagating through the frozen layers — positive where more ink would
   * raise the top prediction, negative where it would lower it. The unit test checks it against
   * `tf.grad` of the TF.js forward pass.
   */
  saliency(pixels: Uint8Array): Float32Array {
    const preActivations: Float64Array[] = [];
    const outputs = this.forwardLayers(pixels, null, preActivations);
    const logits = outputs[outputs.length - 1] ?? new Float64Array(0);
    let top = 0;
    logits.forEach((z, k) => {
      if (z > (logits[top] ?? -Infinity)) top = k;
    });
    let gradient = new Float64Array(logits.length);
    gradient[top] = 1;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { fanIn, fanOut, kernel, batchNorm, activation } = this.layers[l] as FrozenLayer;
      const pre = preActivations[l] ?? new Float64Array(fanOut);
      const dz = gradient.map(
        (g, j) => g * activationSlope(pre[j] ?? 0, activation) * (batchNorm?.scale[j] ?? 1),
      );
      const below = new Float64Array(fanIn);
      for (let i = 0; i < fanIn; i++) {
        const row = i * fanOut;
        let sum = 0;
        for (let j = 0; j < fanOut; j++) sum += (kernel[row + j] ?? 0) * (dz[j] ?? 0);
        below[i] = sum;
      }
      gradient = below;
    }
    // x = (v/255 − mean)/std, so d/dv = d/dx / (255·std).
    const perByte = 1 / (255 * this.normalization.std);
    return Float32Array.from(gradient, (g) => g * perByte);
  }

  /**
   * Hidden unit `unit` of layer `layer` (after batch norm and activation) for images `from` to
   * `to − 1` of `images` (`[count, 784]` bytes), written to `out[from … to − 1]`: the neuron
   * inspector's scan for the test images that excite a unit most, in slices so the worker can
   * yield between them. Only the layers below are computed in full, and the first from its
   * all-background output plus the inked pixels (most of an MNIST image is background), so a scan
   * of 10,000 images costs about a fifth of 10,000 `inspect` calls. False when no such unit.
   */
  unitActivations(
    images: Uint8Array,
    from: number,
    to: number,
    target: { readonly layer: number; readonly unit: number },
    out: Float32Array,
  ): boolean {
    const { layer, unit } = target;
    const frozen = this.layers[layer];
    if (layer < 0 || layer >= this.layers.length - 1 || frozen === undefined) return false;
    if (!Number.isInteger(unit) || unit < 0 || unit >= frozen.fanOut) return false;
    const first = this.layers[0] as FrozenLayer;
    const background = this.backgroundOutput();
    const background0 = this.table[0] ?? 0;
    for (let image = from; image < to; image++) {
      const base = image * MNIST_PIXELS;
      // Layer 0 before batch norm: its background output plus each inked pixel's difference.
      const width = layer === 0 ? 1 : first.fanOut;
      const offset = layer === 0 ? unit : 0;
      const z = layer === 0 ? Float64Array.of(background[unit] ?? 0) : Float64Array.from(background);
      for (let i = 0; i < MNIST_PIXELS; i++) {
        const v = images[base + i] ?? 0;
        if (v === 0) continue;
        const delta = (this.table[v] ?? 0) - background0;
        const row = i * first.fanOut + offset;
        for (let j = 0; j < width; j++) z[j] = (z[j] ?? 0) + delta * (first.kernel[row + j] ?? 0);
      }
      let h = z.map((value, j) => finishUnit(first, offset + j, value));
      for (let l = 1; l <= layer; l++) {
        const { fanIn, fanOut, kernel, bias } = this.layers[l] as FrozenLayer;
        const only = l === layer ? unit : -1;
        const next = only >= 0 ? Float64Array.of(bias[only] ?? 0) : Float64Array.from(bias);
        for (let i = 0; i < fanIn; i++) {
          const x = h[i] ?? 0;
          if (x === 0) continue;
          const row = i * fanOut;
          if (only >= 0) next[0] = (next[0] ?? 0) + x * (kernel[row + only] ?? 0);
          else for (let j = 0; j < fanOut; j++) next[j] = (next[j] ?? 0) + x * (kernel[row + j] ?? 0);
        }
        const layerNow = this.layers[l] as FrozenLayer;
        h = next.map((value, j) => finishUnit(layerNow, only >= 0 ? only : j, value));
      }
      // The target layer was computed for `unit` alone: `h` holds its one value.
      out[image] = h[0] ?? 0;
    }
    return true;
  }

  /** The first layer's `[fanOut]` dense output (before batch norm) for an all-background image. */
  private backgroundOutput(): Float64Array {
    if (this.background === null) {
      const { fanIn, fanOut, kernel, bias } = this.layers[0] as FrozenLayer;
      const x = this.table[0] ?? 0;
      const z = Float64Array.from(bias);
      for (let i = 0; i < fanIn; i++)
        for (let j = 0; j < fanOut; j++) z[j] = (z[j] ?? 0) + x * (kernel[i * fanOut + j] ?? 0);
      this.background = z;
    }
    return this.background;
  }

  /**
   * Each layer's output for one image, optionally with one hidden unit forced to 0; fills
   * `preActivations` (when given) with each layer's values before its activation (after batch norm).
   */
  private forwardLayers(
    pixels: Uint8Array,
    silence: { layer: number; unit: number } | null,
    preActivations?: Float64Array[],
  ): Float64Array[] {
    if (pixels.length !== MNIST_PIXELS) {
      throw new Error(`Expected ${MNIST_PIXELS} pixels, got ${pixels.length}`);
    }
    const outputs: Float64Array[] = [];
    let h = Float64Array.from(pixels, (v) => this.table[v] ?? 0);
    this.layers.forEach((layer, index) => {
      const { fanIn, fanOut, kernel, bias, batchNorm, activation } = layer;
      const z = Float64Array.from(bias);
      // Row by row of the kernel: contiguous reads, and zero inputs skip a whole row.
      for (let i = 0; i < fanIn; i++) {
        const x = h[i] ?? 0;
        if (x === 0) continue;
        const row = i * fanOut;
        for (let j = 0; j < fanOut; j++) z[j] = (z[j] ?? 0) + x * (kernel[row + j] ?? 0);
      }
      const pre = preActivations ? new Float64Array(fanOut) : null;
      for (let j = 0; j < fanOut; j++) {
        let value = z[j] ?? 0;
        if (batchNorm !== null) value = value * (batchNorm.scale[j] ?? 1) + (batchNorm.shift[j] ?? 0);
        if (pre) pre[j] = value;
        z[j] = activateScalar(value, activation);
      }
      if (pre) preActivations?.push(pre);
      if (silence !== null && silence.layer === index) z[silence.unit] = 0;
      outputs.push(z);
      h = z;
    });
    return outputs;
  }
}
