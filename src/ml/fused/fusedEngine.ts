import * as tf from '@tensorflow/tfjs-core';
import { augmentImage, augmentationEnabled } from '../../core/augment.ts';
import type { TrainingConfig } from '../../core/config.ts';
import {
  fusedLayout,
  WASM_PAGE_BYTES,
  type FusedLayerLayout,
  type FusedLayout,
} from '../../core/fusedLayout.ts';
import type { LabelledImages } from '../../core/idx.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../core/idx.ts';
import {
  KERNEL_ACTIVATION_CODES,
  KERNEL_HEAP_BASE,
  KERNEL_LOSS_CODES,
  type KernelExports,
} from '../../core/kernelBindings.ts';
import type { NormalizationStats } from '../../core/normalization.ts';
import type { SeededRandom } from '../../core/random.ts';
import type { DenseLayer, Mlp } from '../mlp.ts';
import { instantiateKernel, type KernelModule } from './kernel.ts';

/**
 * The fused training engine: a whole step — batch gather and normalisation, forward pass,
 * dropout, loss, backward pass, L1/L2, optimizer — runs in our WebAssembly SIMD kernel
 * (kernels/mlp.ts) with a few dozen calls from here and no TF.js op. The weights live in the
 * kernel's memory while training; {@link FusedEngine.syncModel} copies them into the model's TF.js
 * variables for evaluation, snapshots and every other reader. Results match the TF.js path
 * (same init, masks, batches and update rules) to float rounding.
 *
 * Every buffer sits where {@link fusedLayout} puts it (the layout the memory estimate sums);
 * padded activations are forced to 0, so their gradients are 0 too and padding stays zero.
 */

/** TF.js's float32 backend epsilon, which its Adagrad adds under the square root. */
const BACKEND_EPSILON = 1e-7;

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
  /** Byte offsets of every buffer in the kernel memory. */
  private readonly layout: FusedLayout;
  private readonly config: TrainingConfig;
  private readonly model: Mlp;
  private readonly options: FusedEngineOptions;
  private readonly augmenting: boolean;
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
    if (this.k.heapBase() !== KERNEL_HEAP_BASE) {
      throw new Error(
        'src/core/kernelBindings.ts does not match the kernel binary: run `npm run build:kernel`',
      );
    }
    this.layout = fusedLayout(config, maxBatch, options.images.count);
    denseLayers(model).forEach((layer, i) => {
      const l = this.layout.layers[i];
      if (l === undefined || layer.kernel.shape.join() !== `${l.fanIn},${l.fanOut}`) {
        throw new Error(`FusedEngine: the model's layer ${i + 1} is not the config's`);
      }
    });
    const grow = (this.layout.memoryBytes - this.k.memory.buffer.byteLength) / WASM_PAGE_BYTES;
    if (grow > 0) this.k.memory.grow(grow);

    const { mean, std } = options.normalization;
    this.scale = 1 / (255 * std);
    this.offset = -mean / std;
    if (!this.augmenting) new Uint8Array(this.k.memory.buffer).set(options.images.pixels, this.layout.pixels);
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
    const { params, paramFloats, layers } = this.layout;
    const memory = this.f32();
    memory.fill(0, params / 4, params / 4 + paramFloats);
    denseLayers(this.model).forEach((layer, i) => {
      const l = layers[i];
      if (l === undefined) return;
      const kernel = layer.kernel.dataSync();
      for (let r = 0; r < l.fanIn; r++) {
        memory.set(kernel.subarray(r * l.fanOut, (r + 1) * l.fanOut), l.w / 4 + r * l.outPad);
      }
      memory.set(layer.bias.dataSync(), l.b / 4);
    });
  }

  private initialiseOptimizerState(): void {
    const { state1, state2, paramFloats } = this.layout;
    const memory = this.f32();
    if (state1 !== null) memory.fill(0, state1 / 4, state1 / 4 + paramFloats);
    // TF.js Adagrad starts its accumulator at `initialAccumulatorValue` (our `epsilon` field).
    const initial = this.config.optimizer.kind === 'adagrad' ? this.config.optimizer.epsilon : 0;
    if (state2 !== null) memory.fill(initial, state2 / 4, state2 / 4 + paramFloats);
  }

  /**
   * Writes the kernel's weights into the model's TF.js variables, if they changed since the last
   * sync. Call before anything reads the model (evaluation, snapshots, previews).
   */
  syncModel(): void {
    if (!this.dirty) return;
    const memory = this.f32();
    denseLayers(this.model).forEach((layer, i) => {
      const l = this.layout.layers[i];
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
    const { rows, labels, pixels, input } = this.layout;
    const count = positions.length;
    const ints = new Int32Array(this.k.memory.buffer);
    for (let r = 0; r < count; r++) {
      const index = trainIndices[positions[r] ?? 0] ?? 0;
      ints[rows / 4 + r] = index;
      ints[labels / 4 + r] = images.labels[index] ?? 0;
    }
    if (!this.augmenting) {
      this.k.gatherRows(pixels, rows, count, MNIST_PIXELS, input, this.scale, this.offset);
      return;
    }
    const staging = new Uint8Array(this.k.memory.buffer);
    for (let r = 0; r < count; r++) {
      const index = ints[rows / 4 + r] ?? 0;
      const at = pixels + r * MNIST_PIXELS;
      augmentImage(
        images.pixels,
        index * MNIST_PIXELS,
        staging,
        at,
        this.config.data,
        this.options.augmentRng,
      );
    }
    this.k.normalizeBytes(pixels, count * MNIST_PIXELS, input, this.scale, this.offset);
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
    const { input, inputMask, layers, transposed } = this.layout;
    const batch = positions.length;
    this.loadBatch(positions);
    if (inputMask !== null) {
      this.fillMask(inputMask, batch, MNIST_PIXELS, MNIST_PIXELS, this.model.inputDropout);
      k.multiply(input, inputMask, input, batch * MNIST_PIXELS);
    }

    // Forward: z = h·W + b, a = act(z), h' = a ⊙ mask.
    let h = input;
    let ld = MNIST_PIXELS;
    for (const l of layers) {
      k.gemm(h, l.w, l.z, batch, l.inPad, l.outPad, ld, l.outPad, l.outPad, false);
      k.biasActivate(l.z, l.b, l.a, batch, l.fanOut, l.outPad, KERNEL_ACTIVATION_CODES[l.activation]);
      if (l.mask !== null) {
        this.fillMask(l.mask, batch, l.fanOut, l.outPad, l.dropout);
        k.multiply(l.a, l.mask, l.h, batch * l.outPad);
      }
      h = l.h;
      ld = l.outPad;
    }
    const output = layers[layers.length - 1] as FusedLayerLayout;
    const { kind, labelSmoothing } = this.config.loss;
    const loss = k.lossAndGradient(
      output.z,
      this.layout.labels,
      output.dz,
      batch,
      output.outPad,
      MNIST_CLASSES,
      KERNEL_LOSS_CODES[kind],
      kind === 'hinge' ? 0 : labelSmoothing,
    );
    const correct = k.lastCorrect();

    // Backward: dW = hᵀ·dz, db = Σ dz, dh_prev = dz·Wᵀ, dz_prev = (dh_prev ⊙ mask)·act′.
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i] as FusedLayerLayout;
      const previous = layers[i - 1];
      const below = previous === undefined ? input : previous.h;
      k.gemm(below, l.dz, l.gw, l.inPad, batch, l.outPad, l.inPad, l.outPad, l.outPad, true);
      k.columnSums(l.dz, l.gb, batch, l.outPad);
      if (previous === undefined) continue;
      k.transpose(l.w, transposed, l.inPad, l.outPad, l.outPad, l.inPad);
      k.gemm(l.dz, transposed, previous.dh, batch, l.outPad, l.inPad, l.outPad, l.inPad, l.inPad, false);
      if (previous.mask !== null)
        k.multiply(previous.dh, previous.mask, previous.dh, batch * previous.outPad);
      k.activationBackward(
        previous.dh,
        previous.z,
        previous.a,
        previous.dz,
        batch,
        previous.fanOut,
        previous.outPad,
        KERNEL_ACTIVATION_CODES[previous.activation],
      );
    }

    this.applyUpdate(learningRate);
    this.dirty = true;
    return { loss, accuracy: correct / batch };
  }

  private applyUpdate(lr: number): void {
    const k = this.k;
    const { layers, params: p, grads: g, paramFloats: n } = this.layout;
    const { l1, l2 } = this.config.loss;
    if (l1 > 0 || l2 > 0) {
      for (const l of layers) k.penaltyGradient(l.w, l.gw, l.inPad * l.outPad, l2, l1);
    }
    const o = this.config.optimizer;
    // The layout holds exactly the state buffers this optimizer reads.
    const [s1, s2] = [this.layout.state1 ?? 0, this.layout.state2 ?? 0];
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
          if (factor !== 1) for (const l of layers) k.scaleInPlace(l.w, l.inPad * l.outPad, factor);
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

/** The model's dense layers in kernel order: hidden…, output. */
function denseLayers(model: Mlp): DenseLayer[] {
  return [...model.hidden.map((h) => h.dense), model.output];
}
