import * as tf from '@tensorflow/tfjs-core';
import { augmentImage, augmentationEnabled } from '../../core/augment.ts';
import type { Activation, TrainingConfig } from '../../core/config.ts';
import { fusedStateBuffers } from '../../core/memoryEstimate.ts';
import type { LabelledImages } from '../../core/idx.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../core/idx.ts';
import type { NormalizationStats } from '../../core/normalization.ts';
import type { SeededRandom } from '../../core/random.ts';
import type { DenseLayer, Mlp } from '../mlp.ts';
import { Arena, padded } from './arena.ts';
import { instantiateKernel, type KernelExports, type KernelModule } from './kernel.ts';

/**
 * The fused training engine: a whole step — batch gather and normalisation, forward pass,
 * dropout, loss, backward pass, L1/L2, optimizer — runs in our WebAssembly SIMD kernel
 * (kernels/mlp.ts) with a few dozen calls from here and no TF.js op. The weights live in the
 * kernel's memory while training; {@link FusedEngine.syncModel} copies them into the model's TF.js
 * variables for evaluation, snapshots and every other reader. Results match the TF.js path
 * (same init, masks, batches and update rules) to float rounding.
 *
 * Layout: layer l's kernel is `[inPad, outPad]` and bias `[outPad]` (widths padded to 8 with
 * zeros that stay zero: padded activations are forced to 0, so their gradients are 0 too).
 * All parameters sit in one flat region, so the optimizer is one call over all of them.
 */

/** Kernel activation codes: the order of the constants in kernels/mlp.ts. */
const ACTIVATION_CODES: Record<Activation, number> = {
  relu: 0,
  leakyRelu: 1,
  elu: 2,
  gelu: 3,
  selu: 4,
  sigmoid: 5,
  tanh: 6,
  linear: 7,
};
const LOSS_CODES: Record<TrainingConfig['loss']['kind'], number> = { crossEntropy: 0, mse: 1, hinge: 2 };
/** TF.js's float32 backend epsilon, which its Adagrad adds under the square root. */
const BACKEND_EPSILON = 1e-7;

interface FusedLayer {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly inPad: number;
  readonly outPad: number;
  readonly activation: number;
  /** Dropout rate after the activation (hidden layers). */
  readonly dropout: number;
  /** Byte offsets: kernel, bias and their gradients. */
  readonly w: number;
  readonly b: number;
  readonly gw: number;
  readonly gb: number;
  /** `[B, outPad]`: pre-activation, activation, post-dropout output, dropout mask, dOutput, dPre. */
  readonly z: number;
  readonly a: number;
  readonly h: number;
  readonly mask: number;
  readonly dh: number;
  readonly dz: number;
}

export interface FusedEngineOptions {
  readonly config: TrainingConfig;
  readonly model: Mlp;
  readonly images: LabelledImages;
  /** Rows of `images` that form the training split; batch positions index into it. */
  readonly trainIndices: Int32Array;
  readonly normalization: NormalizationStats;
  /** Drives augmentation, exactly as the TF.js path's batch source does. */
  readonly augmentRng: SeededRandom;
  readonly dropoutRng: SeededRandom;
  /** The largest batch the run will ask for. */
  readonly maxBatch: number;
}

export interface FusedStepResult {
  readonly loss: number;
  readonly accuracy: number;
}

export class FusedEngine {
  private readonly k: KernelExports;
  private readonly layers: FusedLayer[] = [];
  private readonly config: TrainingConfig;
  private readonly model: Mlp;
  private readonly options: FusedEngineOptions;
  private readonly augmenting: boolean;
  // Byte offsets of the shared buffers.
  private readonly params: number;
  private readonly grads: number;
  private readonly state1: number;
  private readonly state2: number;
  private readonly paramFloats: number;
  private readonly input: number;
  private readonly inputMask: number;
  private readonly transposed: number;
  private readonly labels: number;
  private readonly rows: number;
  /** uint8 images: the whole training file (resident) or the augmented batch (staging). */
  private readonly pixels: number;
  /** Normalisation `x·scale + offset` of a byte x. */
  private readonly scale: number;
  private readonly offset: number;
  private step = 0;
  private dirty = false;

  constructor(module: KernelModule, options: FusedEngineOptions) {
    const { config, model, maxBatch } = options;
    this.options = options;
    this.config = config;
    this.model = model;
    this.augmenting = augmentationEnabled(config.data);
    this.k = instantiateKernel(module);
    const arena = new Arena(this.k.heapBase());

    const dense: { layer: DenseLayer; activation: Activation; dropout: number }[] = [
      ...model.hidden.map((h) => ({ layer: h.dense, activation: h.activation, dropout: h.dropout })),
      { layer: model.output, activation: 'linear' as const, dropout: 0 },
    ];
    const shapes = dense.map(({ layer }) => {
      const [fanIn = 0, fanOut = 0] = layer.kernel.shape;
      return { fanIn, fanOut, inPad: padded(fanIn), outPad: padded(fanOut) };
    });
    this.paramFloats = shapes.reduce((sum, s) => sum + s.inPad * s.outPad + s.outPad, 0);
    this.params = arena.floats(this.paramFloats);
    this.grads = arena.floats(this.paramFloats);
    // Only the optimizer's own state: none for SGD, one buffer for momentum, RMSprop and Adagrad.
    const [state1, state2] = fusedStateBuffers(config.optimizer.kind);
    this.state1 = state1 ? arena.floats(this.paramFloats) : 0;
    this.state2 = state2 ? arena.floats(this.paramFloats) : 0;
    let offset = 0;
    dense.forEach(({ activation, dropout }, i) => {
      const s = shapes[i] ?? { fanIn: 0, fanOut: 0, inPad: 0, outPad: 0 };
      const w = offset;
      const b = w + s.inPad * s.outPad;
      offset = b + s.outPad;
      const activations = () => arena.floats(maxBatch * s.outPad);
      const z = activations();
      const a = activation === 'linear' ? z : activations();
      const mask = dropout > 0 ? activations() : 0;
      this.layers.push({
        ...s,
        activation: ACTIVATION_CODES[activation],
        dropout,
        w: this.params + w * 4,
        b: this.params + b * 4,
        gw: this.grads + w * 4,
        gb: this.grads + b * 4,
        z,
        a,
        h: dropout > 0 ? activations() : a,
        mask,
        dh: activations(),
        dz: activations(),
      });
    });
    this.input = arena.floats(maxBatch * MNIST_PIXELS);
    this.inputMask = model.inputDropout > 0 ? arena.floats(maxBatch * MNIST_PIXELS) : 0;
    this.transposed = arena.floats(Math.max(0, ...shapes.slice(1).map((s) => s.inPad * s.outPad)));
    this.labels = arena.floats(maxBatch);
    this.rows = arena.floats(maxBatch);
    this.pixels = arena.bytes(this.augmenting ? maxBatch * MNIST_PIXELS : options.images.pixels.length);
    arena.commit(this.k.memory);

    const { mean, std } = options.normalization;
    this.scale = 1 / (255 * std);
    this.offset = -mean / std;
    if (!this.augmenting) new Uint8Array(this.k.memory.buffer).set(options.images.pixels, this.pixels);
    this.loadWeights();
    this.initialiseOptimizerState();
  }

  /** Bytes of this engine's WebAssembly memory (all its buffers; see `core/memoryEstimate.ts`). */
  get memoryBytes(): number {
    return this.k.memory.buffer.byteLength;
  }

  /** Views are made per use: they are cheap, and stay correct whatever the memory does. */
  private f32(): Float32Array {
    return new Float32Array(this.k.memory.buffer);
  }

  /** Copies the model's TF.js variables into the padded kernel layout (padding left at 0). */
  private loadWeights(): void {
    const dense = [...this.model.hidden.map((h) => h.dense), this.model.output];
    const memory = this.f32();
    memory.fill(0, this.params / 4, this.params / 4 + this.paramFloats);
    dense.forEach((layer, i) => {
      const l = this.layers[i];
      if (l === undefined) return;
      const kernel = layer.kernel.dataSync();
      for (let r = 0; r < l.fanIn; r++) {
        memory.set(kernel.subarray(r * l.fanOut, (r + 1) * l.fanOut), l.w / 4 + r * l.outPad);
      }
      memory.set(layer.bias.dataSync(), l.b / 4);
    });
  }

  private initialiseOptimizerState(): void {
    const memory = this.f32();
    if (this.state1 !== 0) memory.fill(0, this.state1 / 4, this.state1 / 4 + this.paramFloats);
    // TF.js Adagrad starts its accumulator at `initialAccumulatorValue` (our `epsilon` field).
    const initial = this.config.optimizer.kind === 'adagrad' ? this.config.optimizer.epsilon : 0;
    if (this.state2 !== 0) memory.fill(initial, this.state2 / 4, this.state2 / 4 + this.paramFloats);
  }

  /**
   * Writes the kernel's weights into the model's TF.js variables, if they changed since the last
   * sync. Call before anything reads the model (evaluation, snapshots, previews).
   */
  syncModel(): void {
    if (!this.dirty) return;
    const dense = [...this.model.hidden.map((h) => h.dense), this.model.output];
    const memory = this.f32();
    dense.forEach((layer, i) => {
      const l = this.layers[i];
      if (l === undefined) return;
      const kernel = new Float32Array(l.fanIn * l.fanOut);
      for (let r = 0; r < l.fanIn; r++) {
        kernel.set(memory.subarray(l.w / 4 + r * l.outPad, l.w / 4 + r * l.outPad + l.fanOut), r * l.fanOut);
      }
      const bias = memory.slice(l.b / 4, l.b / 4 + l.fanOut);
      tf.tidy(() => {
        layer.kernel.assign(tf.tensor2d(kernel, [l.fanIn, l.fanOut]));
        layer.bias.assign(tf.tensor1d(bias));
      });
    });
    this.dirty = false;
  }

  /** Fills the input rows and labels of the batch of training-split `positions`. */
  private loadBatch(positions: Int32Array): void {
    const { images, trainIndices } = this.options;
    const count = positions.length;
    const ints = new Int32Array(this.k.memory.buffer);
    for (let r = 0; r < count; r++) {
      const index = trainIndices[positions[r] ?? 0] ?? 0;
      ints[this.rows / 4 + r] = index;
      ints[this.labels / 4 + r] = images.labels[index] ?? 0;
    }
    if (!this.augmenting) {
      this.k.gatherRows(this.pixels, this.rows, count, MNIST_PIXELS, this.input, this.scale, this.offset);
      return;
    }
    const staging = new Uint8Array(this.k.memory.buffer);
    for (let r = 0; r < count; r++) {
      const index = ints[this.rows / 4 + r] ?? 0;
      const at = this.pixels + r * MNIST_PIXELS;
      augmentImage(
        images.pixels,
        index * MNIST_PIXELS,
        staging,
        at,
        this.config.data,
        this.options.augmentRng,
      );
    }
    this.k.normalizeBytes(this.pixels, count * MNIST_PIXELS, this.input, this.scale, this.offset);
  }

  /**
   * Inverted-dropout mask for `[rows, width]` at `ld` floats per row, drawn row-major from the
   * dropout stream exactly as the TF.js path draws it, so both paths drop the same units.
   */
  private fillMask(at: number, rows: number, width: number, ld: number, rate: number): void {
    const memory = this.f32();
    const keep = 1 - rate;
    const kept = 1 / keep;
    const rng = this.options.dropoutRng;
    for (let r = 0; r < rows; r++) {
      const row = at / 4 + r * ld;
      for (let c = 0; c < width; c++) memory[row + c] = rng.nextFloat() < keep ? kept : 0;
      for (let c = width; c < ld; c++) memory[row + c] = 0;
    }
  }

  /** One optimisation step on training-split `positions` at `learningRate`. */
  trainStep(positions: Int32Array, learningRate: number): FusedStepResult {
    const k = this.k;
    const batch = positions.length;
    this.loadBatch(positions);
    if (this.inputMask !== 0) {
      this.fillMask(this.inputMask, batch, MNIST_PIXELS, MNIST_PIXELS, this.model.inputDropout);
      k.multiply(this.input, this.inputMask, this.input, batch * MNIST_PIXELS);
    }

    // Forward: z = h·W + b, a = act(z), h' = a ⊙ mask.
    let h = this.input;
    let ld = MNIST_PIXELS;
    for (const l of this.layers) {
      k.gemm(h, l.w, l.z, batch, l.inPad, l.outPad, ld, l.outPad, l.outPad);
      k.biasActivate(l.z, l.b, l.a, batch, l.fanOut, l.outPad, l.activation);
      if (l.dropout > 0) {
        this.fillMask(l.mask, batch, l.fanOut, l.outPad, l.dropout);
        k.multiply(l.a, l.mask, l.h, batch * l.outPad);
      }
      h = l.h;
      ld = l.outPad;
    }
    const output = this.layers[this.layers.length - 1] as FusedLayer;
    const { kind, labelSmoothing } = this.config.loss;
    const loss = k.lossAndGradient(
      output.z,
      this.labels,
      output.dz,
      batch,
      output.outPad,
      MNIST_CLASSES,
      LOSS_CODES[kind],
      kind === 'hinge' ? 0 : labelSmoothing,
    );
    const correct = k.lastCorrect();

    // Backward: dW = hᵀ·dz, db = Σ dz, dh_prev = dz·Wᵀ, dz_prev = (dh_prev ⊙ mask)·act′.
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i] as FusedLayer;
      const previous = this.layers[i - 1];
      const input = previous === undefined ? this.input : previous.h;
      k.gemmTN(input, l.dz, l.gw, batch, l.inPad, l.outPad, l.inPad, l.outPad, l.outPad);
      k.columnSums(l.dz, l.gb, batch, l.outPad);
      if (previous === undefined) continue;
      k.transpose(l.w, this.transposed, l.inPad, l.outPad, l.outPad, l.inPad);
      k.gemm(l.dz, this.transposed, previous.dh, batch, l.outPad, l.inPad, l.outPad, l.inPad, l.inPad);
      if (previous.dropout > 0) k.multiply(previous.dh, previous.mask, previous.dh, batch * previous.outPad);
      k.activationBackward(
        previous.dh,
        previous.z,
        previous.a,
        previous.dz,
        batch,
        previous.fanOut,
        previous.outPad,
        previous.activation,
      );
    }

    this.applyUpdate(learningRate);
    this.dirty = true;
    return { loss, accuracy: correct / batch };
  }

  private applyUpdate(lr: number): void {
    const k = this.k;
    const { l1, l2 } = this.config.loss;
    if (l1 > 0 || l2 > 0) {
      for (const l of this.layers) k.penaltyGradient(l.w, l.gw, l.inPad * l.outPad, l2, l1);
    }
    const o = this.config.optimizer;
    const [p, g, s1, s2, n] = [this.params, this.grads, this.state1, this.state2, this.paramFloats];
    this.step += 1;
    switch (o.kind) {
      case 'sgd':
        return k.sgd(p, g, n, lr);
      case 'momentum':
        return k.momentum(p, g, s1, n, lr, o.momentum, o.nesterov);
      case 'adamw':
      case 'adam': {
        if (o.kind === 'adamw') {
          const factor = 1 - lr * o.weightDecay;
          if (factor !== 1) for (const l of this.layers) k.scaleInPlace(l.w, l.inPad * l.outPad, factor);
        }
        const c1 = 1 / (1 - Math.pow(o.beta1, this.step));
        const c2 = 1 / (1 - Math.pow(o.beta2, this.step));
        return k.adam(p, g, s1, s2, n, lr, o.beta1, o.beta2, o.epsilon, c1, c2);
      }
      case 'rmsprop':
        return k.rmsprop(p, g, s1, n, lr, o.rho, o.epsilon);
      case 'adagrad':
        return k.adagrad(p, g, s2, n, lr, BACKEND_EPSILON);
    }
  }
}
