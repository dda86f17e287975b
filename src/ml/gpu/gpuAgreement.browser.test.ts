import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../../core/config.ts';
import { SeededRandom } from '../../core/random.ts';
import { allIndices } from '../dataset.ts';
import { FusedEngine, type FusedEngineOptions } from '../fused/fusedEngine.ts';
import { compiledKernel } from '../fused/kernel.ts';
import { createMlp, disposeMlp, type Mlp } from '../mlp.ts';
import { isDeferredScalar, type DeferredScalar } from '../pending.ts';
import { hiddenLayer, syntheticImages } from '../testData.ts';
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

function configWith(overrides: {
  model?: Partial<TrainingConfig['model']>;
  loss?: Partial<TrainingConfig['loss']>;
  optimizer?: Partial<TrainingConfig['optimizer']>;
  data?: Partial<TrainingConfig['data']>;
}): TrainingConfig {
  return {
    ...DEFAULT_CONFIG,
    model: {
      ...DEFAULT_CONFIG.model,
      inputDropout: 0,
      hiddenLayers: [hiddenLayer(37), hiddenLayer(13)],
      ...overrides.model,
    },
    loss: { ...DEFAULT_CONFIG.loss, l1: 0, l2: 0, labelSmoothing: 0, ...overrides.loss },
    optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'sgd', learningRate: 0.05, ...overrides.optimizer },
    data: { ...DEFAULT_CONFIG.data, ...overrides.data },
  };
}

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
  const wasm = new FusedEngine(kernel, engineInputs(config, wasmModel, maxBatch));
  let t0 = performance.now();
  const gpu = new GpuEngine(device, engineInputs(config, gpuModel, maxBatch));
  await gpu.whenCreated();
  console.log(`create ${(performance.now() - t0).toFixed(0)} ms`);
  t0 = performance.now();
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
    const learningRate = config.optimizer.learningRate * (1 + s / 25);
    const reference = wasm.trainStep(positions, learningRate);
    wasmLosses.push(reference.loss);
    wasmAccuracies.push(reference.accuracy);
    deferred.push(gpu.step(positions, learningRate));
  }
  const read = async (value: DeferredScalar) => (await value.values.read())[value.index] ?? Number.NaN;
  const gpuLosses = await Promise.all(deferred.map((d) => read(d.loss)));
  const gpuAccuracies = await Promise.all(deferred.map((d) => read(d.accuracy)));
  console.log(`steps ${(performance.now() - t0).toFixed(0)} ms`);
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
  console.log(`worst ${worst.toExponential(2)}`);
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
  return trained;
}

describe('fused WebGPU engine vs the fused WASM kernel', () => {
  it('trains the same weights and losses (ReLU, SGD, odd widths and batches)', async () => {
    const trained = await expectAgreement(configWith({}));
    expect(isDeferredScalar({ values: { read: async () => new Float32Array(0) }, index: 0 })).toBe(true);
    expect(trained.dispatches).toBe(8);
  });
});
