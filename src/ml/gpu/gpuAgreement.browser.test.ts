import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../../core/config.ts';
import { SeededRandom } from '../../core/random.ts';
import { allIndices } from '../dataset.ts';
import { FusedEngine, type FusedEngineOptions } from '../fused/fusedEngine.ts';
import { compiledKernel } from '../fused/kernel.ts';
import { createMlp, disposeMlp, type Mlp } from '../mlp.ts';
import type { DeferredScalar } from '../pending.ts';
import { configOverriding, hiddenLayer, syntheticImages, type ConfigOverrides } from '../testData.ts';
import { GpuEngine } from './gpuEngine.ts';

/**
 * The fused WebGPU engine trains like the fused WASM kernel (the reference every engine matches):
 * the same model (same seeded init), images, positions, learning rates and random streams through
 * both for 50 steps, then every variable of the synced TF.js models compared. Measure: for each
 * variable, max |gpu − wasm| ≤ 1e-3 · max(max |wasm|, 1e-2) — relative to the variable's largest
 * value (floored at 0.01, so a variable that stays near 0, such as the dense bias under batch
 * norm whose exact gradient is 0, is compared to 1e-5 absolute). The GPU sums its products and
 * reductions in another order, so agreement is to float rounding, not bit for bit. Each step's
 * loss (read back a span at a time) must match the kernel's within 1e-3 relative.
 *
 * Runs in Chromium on SwiftShader's software WebGPU: correctness only, never speed.
 */

const STEPS = 50;
const TOLERANCE = 1e-3;
const FLOOR = 1e-2;

let device: GPUDevice;
beforeAll(async () => {
  await tf.setBackend('webgpu');
  await tf.ready();
  device = (tf.backend() as unknown as { readonly device: GPUDevice }).device;
});

const images = syntheticImages(300);
const normalization = { mean: 0.1307, std: 0.3081 };

/** Small, odd widths, plain SGD and no penalty unless a case says otherwise. */
const BASE: TrainingConfig = configOverriding(DEFAULT_CONFIG, {
  model: { inputDropout: 0, hiddenLayers: [hiddenLayer(37), hiddenLayer(13)] },
  loss: { l1: 0, l2: 0, labelSmoothing: 0 },
  optimizer: { kind: 'sgd', learningRate: 0.05 },
});

const configWith = (overrides: ConfigOverrides) => configOverriding(BASE, overrides);

/** The inputs of one engine: its own model (same seed) and its own copies of the streams. */
function engineInputs(config: TrainingConfig, model: Mlp, maxBatch: number): FusedEngineOptions {
  return {
    config,
    model,
    images,
    trainIndices: allIndices(images.count),
    normalization,
    augmentRng: new SeededRandom(5),
    dropoutRng: new SeededRandom(6),
    maxBatch,
  };
}

/** Every state variable's values (trainable, then batch-norm running statistics). */
async function stateValues(model: Mlp): Promise<Float32Array[]> {
  return Promise.all(model.state.map(async (v) => (await v.data()) as Float32Array));
}

interface Trained {
  readonly wasmLosses: number[];
  readonly gpuLosses: number[];
  readonly wasmAccuracies: number[];
  readonly gpuAccuracies: number[];
  readonly wasm: Float32Array[];
  readonly gpu: Float32Array[];
  readonly dispatches: number;
}

/** Trains `steps` batches (sizes cycling through `batchSizes`) on both engines. */
async function trainBoth(
  config: TrainingConfig,
  batchSizes: readonly number[],
  steps = STEPS,
): Promise<Trained> {
  const maxBatch = Math.max(...batchSizes);
  const kernel = compiledKernel('simd');
  if (kernel === null) throw new Error('the fused kernel needs WebAssembly SIMD');
  const wasmModel = createMlp(config.model, new SeededRandom(11));
  const gpuModel = createMlp(config.model, new SeededRandom(11));
  // Running statistics of a model trained before (the same in both), so loading them is tested.
  const statisticsRng = new SeededRandom(13);
  wasmModel.hidden.forEach((layer, i) => {
    const norm = layer.batchNorm;
    const twin = gpuModel.hidden[i]?.batchNorm;
    if (norm == null || twin == null) return;
    const units = norm.runningMean.size;
    const mean = Float32Array.from({ length: units }, () => statisticsRng.nextFloat() - 0.5);
    const variance = Float32Array.from({ length: units }, () => 0.5 + statisticsRng.nextFloat());
    for (const model of [norm, twin]) {
      model.runningMean.assign(tf.tensor1d(mean));
      model.runningVar.assign(tf.tensor1d(variance));
    }
  });
  // With batch norm, the GPU model's values are first moved onto the GPU (as after any TF.js
  // kernel read them), so the engine loads them GPU to GPU; otherwise they are on the CPU.
  if (wasmModel.hidden.some((h) => h.batchNorm !== null)) {
    tf.dispose(tf.tidy(() => gpuModel.state.map((v) => tf.mul(v, 1))));
  }
  const wasm = new FusedEngine(kernel, engineInputs(config, wasmModel, maxBatch));
  const gpu = new GpuEngine(device, engineInputs(config, gpuModel, maxBatch));
  await gpu.whenCreated();
  device.pushErrorScope('validation');
  const order = new SeededRandom(7).permutation(images.count);
  const wasmLosses: number[] = [];
  const wasmAccuracies: number[] = [];
  const deferred: { loss: DeferredScalar; accuracy: DeferredScalar }[] = [];
  let start = 0;
  for (let s = 0; s < steps; s++) {
    const size = batchSizes[s % batchSizes.length] ?? 1;
    if (start + size > order.length) start = 0;
    const positions = order.subarray(start, start + size);
    start += size;
    const learningRate = config.optimizer.learningRate * (1 + s / 100);
    const reference = wasm.trainStep(positions, learningRate);
    wasmLosses.push(reference.loss);
    wasmAccuracies.push(reference.accuracy);
    deferred.push(gpu.step(positions, learningRate));
  }
  const read = async (value: DeferredScalar) => (await value.values.read())[value.index] ?? Number.NaN;
  const gpuLosses = await Promise.all(deferred.map((d) => read(d.loss)));
  const gpuAccuracies = await Promise.all(deferred.map((d) => read(d.accuracy)));
  wasm.syncModel();
  gpu.syncModel();
  const error = await device.popErrorScope();
  if (error !== null) throw new Error(`WebGPU validation: ${error.message}`);
  const result = {
    wasmLosses,
    gpuLosses,
    wasmAccuracies,
    gpuAccuracies,
    wasm: await stateValues(wasmModel),
    gpu: await stateValues(gpuModel),
    dispatches: gpu.dispatchesPerStep,
  };
  wasm.dispose();
  gpu.dispose();
  disposeMlp(wasmModel);
  disposeMlp(gpuModel);
  return result;
}

/** The worst per-variable ratio max|gpu − wasm| / max(max|wasm|, FLOOR). */
function worstRelativeError(trained: Trained): number {
  let worst = 0;
  trained.wasm.forEach((expected, i) => {
    const actual = trained.gpu[i] ?? new Float32Array(0);
    expect(actual.length).toBe(expected.length);
    let error = 0;
    let scale = FLOOR;
    expected.forEach((e, j) => {
      error = Math.max(error, Math.abs((actual[j] ?? Number.NaN) - e));
      scale = Math.max(scale, Math.abs(e));
    });
    worst = Math.max(worst, Number.isNaN(error) ? Infinity : error / scale);
  });
  return worst;
}

async function expectAgreement(
  config: TrainingConfig,
  batchSizes: readonly number[] = [32, 7, 1],
  steps = STEPS,
) {
  const trained = await trainBoth(config, batchSizes, steps);
  trained.wasmLosses.forEach((loss, i) => {
    const gpuLoss = trained.gpuLosses[i] ?? Number.NaN;
    expect(Math.abs(gpuLoss - loss), `step ${i + 1} loss`).toBeLessThanOrEqual(
      TOLERANCE * Math.max(1, Math.abs(loss)),
    );
  });
  trained.wasmAccuracies.forEach((accuracy, i) => {
    // A row whose two top logits tie to rounding may flip: at most one row of the batch.
    const size = batchSizes[i % batchSizes.length] ?? 1;
    expect(Math.abs((trained.gpuAccuracies[i] ?? Number.NaN) - accuracy)).toBeLessThanOrEqual(
      1 / size + 1e-6,
    );
  });
  const worst = worstRelativeError(trained);
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
  return trained;
}

describe('fused WebGPU engine vs the fused WASM kernel', () => {
  // Each case covers several features at once (two activations, a loss, an optimizer, …) so the
  // whole matrix fits in a few cases; together they cover every activation, loss and optimizer.
  it('ReLU and leaky ReLU, cross-entropy with label smoothing, SGD, L1 and L2, epochs ending in a smaller batch', async () => {
    const trained = await expectAgreement(
      configWith({
        model: { hiddenLayers: [hiddenLayer(37), hiddenLayer(13, { activation: 'leakyRelu' })] },
        loss: { kind: 'crossEntropy', labelSmoothing: 0.1, l1: 1e-4, l2: 1e-3 },
      }),
      [32, 32, 32, 32, 11],
    );
    // Three forward products (the first gathering the input, split along its K = 784 for more
    // workgroups, its parts added by a second dispatch), the loss, two backward products, every
    // layer's weight and bias gradients, the optimizer.
    expect(trained.dispatches).toBe(9);
  });

  it('ELU and GELU, MSE, Nesterov momentum, dropout on the input and both hidden layers', async () => {
    await expectAgreement(
      configWith({
        model: {
          inputDropout: 0.2,
          hiddenLayers: [
            hiddenLayer(37, { activation: 'elu', dropout: 0.5 }),
            hiddenLayer(13, { activation: 'gelu', dropout: 0.3 }),
          ],
        },
        loss: { kind: 'mse', labelSmoothing: 0.05 },
        optimizer: { kind: 'momentum', nesterov: true, learningRate: 0.05 },
      }),
    );
  });

  it('SELU and sigmoid, hinge, Adam, batches of 256 (weight gradients split along the batch)', async () => {
    const trained = await expectAgreement(
      configWith({
        model: {
          hiddenLayers: [hiddenLayer(37, { activation: 'selu' }), hiddenLayer(13, { activation: 'sigmoid' })],
        },
        loss: { kind: 'hinge' },
        optimizer: { kind: 'adam', learningRate: 0.002, epsilon: 1e-3 },
      }),
      [256, 7],
    );
    // The weight gradients' K (the batch) is split too: one dispatch more to add their parts
    // (after a batch of 7, the second part of each sums nothing).
    expect(trained.dispatches).toBe(10);
  });

  it('tanh and linear, AdamW with weight decay and L2, PyTorch init (nonzero initial biases)', async () => {
    await expectAgreement(
      configWith({
        model: {
          hiddenLayers: [hiddenLayer(37, { activation: 'tanh' }), hiddenLayer(13, { activation: 'linear' })],
          init: 'pytorch',
        },
        loss: { l2: 1e-3 },
        optimizer: { kind: 'adamw', learningRate: 0.002, epsilon: 1e-3, weightDecay: 0.05 },
      }),
    );
  });

  it('batch norm on both hidden layers with dropout, RMSprop, batch 1 among odd batches', async () => {
    const trained = await expectAgreement(
      configWith({
        model: {
          inputDropout: 0.1,
          hiddenLayers: [
            hiddenLayer(37, { batchNorm: true, dropout: 0.2 }),
            hiddenLayer(13, { activation: 'tanh', batchNorm: true, dropout: 0.3 }),
          ],
        },
        optimizer: { kind: 'rmsprop', learningRate: 0.001, epsilon: 1e-3 },
      }),
      [19, 8, 1],
    );
    // Each batch-norm layer adds one dispatch each way.
    expect(trained.dispatches).toBe(13);
  });

  it('batch norm on one layer of two (sigmoid, ELU), Adagrad, widths 21 and 11', async () => {
    await expectAgreement(
      configWith({
        model: {
          hiddenLayers: [
            hiddenLayer(21, { activation: 'sigmoid', batchNorm: true }),
            hiddenLayer(11, { activation: 'elu' }),
          ],
        },
        optimizer: { kind: 'adagrad', learningRate: 0.02, epsilon: 0.1 },
      }),
      [33, 5, 2],
    );
  });

  it('softmax regression (no hidden layer), momentum, augmented batches', async () => {
    const trained = await expectAgreement(
      configWith({
        model: { hiddenLayers: [] },
        optimizer: { kind: 'momentum', learningRate: 0.05 },
        data: { rotationDegrees: 15, cropPadding: 2, shiftPixels: 1 },
      }),
    );
    // The product (split along K = 784), its parts added, the loss, the gradients, the optimizer.
    expect(trained.dispatches).toBe(5);
  });

  it('batch 1 every step, three hidden layers', async () => {
    await expectAgreement(
      configWith({
        model: { hiddenLayers: [hiddenLayer(37), hiddenLayer(13), hiddenLayer(9, { activation: 'tanh' })] },
        optimizer: { learningRate: 0.01 },
      }),
      [1],
    );
  });

  it('W1 (784-128-64-10): 9 dispatches a step, no tensor leaked around syncModel, every buffer it made destroyed', async () => {
    const config = configWith({
      model: { hiddenLayers: [hiddenLayer(128), hiddenLayer(64)] },
      optimizer: { kind: 'adam', learningRate: 1e-3 },
    });
    const model = createMlp(config.model, new SeededRandom(11));
    const initial = Float32Array.from(await model.output.kernel.data());
    // Every buffer made on the device while the engine lives (TF.js's own are unlabelled), and
    // every buffer destroyed.
    const made: GPUBuffer[] = [];
    const destroyed = new Set<GPUBuffer>();
    const createBuffer = device.createBuffer.bind(device);
    const destroy = GPUBuffer.prototype.destroy;
    device.createBuffer = (descriptor) => {
      const buffer = createBuffer(descriptor);
      made.push(buffer);
      return buffer;
    };
    GPUBuffer.prototype.destroy = function (this: GPUBuffer) {
      destroyed.add(this);
      return destroy.call(this);
    };
    try {
      const engine = new GpuEngine(device, engineInputs(config, model, 16));
      await engine.whenCreated();
      const positions = new SeededRandom(3).permutation(images.count);
      const first = [0, 1, 2].map((s) => engine.step(positions.subarray(16 * s, 16 * s + 16), 1e-3));
      expect(engine.dispatchesPerStep).toBe(9);
      expect(() => engine.step(positions.subarray(0, 17), 1e-3)).toThrow(/1 to 16 rows, not 17/);
      expect(() => engine.step(new Int32Array(0), 1e-3)).toThrow(/1 to 16 rows, not 0/);
      const other = configWith({ model: { hiddenLayers: [hiddenLayer(64), hiddenLayer(64)] } });
      expect(() => new GpuEngine(device, engineInputs(other, model, 16))).toThrow(
        /layer 1 is not the config/,
      );
      const tensors = tf.memory().numTensors;
      engine.syncModel();
      expect(tf.memory().numTensors).toBe(tensors);
      engine.step(positions.subarray(48, 51), 1e-3);
      engine.syncModel();
      engine.syncModel();
      expect(tf.memory().numTensors).toBe(tensors);
      // The first read closes the open span: all four steps so far, [loss, accuracy] each.
      const losses = await first[0]?.loss.values.read();
      expect(losses?.length).toBe(8);
      expect([...(losses ?? [])].every(Number.isFinite)).toBe(true);
      engine.dispose();
      const ours = made.filter((b) => b.label !== '');
      expect(ours.length).toBeGreaterThan(8);
      expect(ours.filter((b) => !destroyed.has(b)).map((b) => b.label)).toEqual([]);
      // The model keeps the trained weights (TF.js copied them off the engine's buffers).
      const trained = await model.output.kernel.data();
      expect(trained.some((v, i) => v !== initial[i])).toBe(true);
      expect([...trained].every(Number.isFinite)).toBe(true);
      expect(() => engine.step(positions.subarray(0, 4), 1e-3)).toThrow(/disposed/);
    } finally {
      device.createBuffer = createBuffer;
      GPUBuffer.prototype.destroy = destroy;
      disposeMlp(model);
    }
  });
});
