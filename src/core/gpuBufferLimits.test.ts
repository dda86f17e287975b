import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import { gpuBufferNeeds, gpuLimitFailure, type GpuLimits } from './gpuBufferLimits.ts';
import { gpuLayout } from './gpuLayout.ts';
import { checkMemory, estimateMemory, type MemoryTarget } from './memoryEstimate.ts';

/** What every WebGPU adapter must offer (the spec's defaults): 256 MiB per buffer, 128 MiB bound. */
const SPEC_MINIMUM: GpuLimits = { maxBufferSize: 256 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20 };
const MIB = 2 ** 20;

/** The bench's wide model: 784-1024-1024-10, Adam, at `batch`. */
const wide = (batch: number, changes: Partial<TrainingConfig['data']> = {}): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: [1024, 1024].map((units) => ({ units, activation: 'relu', dropout: 0, batchNorm: false })),
  },
  optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'adam' },
  training: { ...DEFAULT_CONFIG.training, batchSize: batch },
  data: { ...DEFAULT_CONFIG.data, ...changes },
});

const target = (engine: MemoryTarget['engine'], gpuLimits: GpuLimits | null): MemoryTarget => ({
  backend: 'webgpu',
  engine,
  gpuLimits,
});

describe('gpuBufferNeeds', () => {
  it('takes the fused WebGPU engine’s buffers from its plan, sizes unchanged', () => {
    const needs = gpuBufferNeeds(wide(512), 'webgpu', 512);
    const plan = gpuLayout(wide(512), 512).buffers;
    expect(needs.map((n) => n.bytes)).toEqual(plan.map((b) => b.bytes));
    expect(needs.find((n) => n.what === 'the activations buffer')?.grows).toBe('batch');
    expect(needs.find((n) => n.what === 'the params buffer')?.grows).toBe('model');
    expect(needs.find((n) => n.what === 'the pixels buffer')?.grows).toBe('fixed');
  });

  it('lists the resident training tensor for TF.js ops, unless augmenting', () => {
    const [images] = gpuBufferNeeds(DEFAULT_CONFIG, 'tfjs', 128);
    expect(images).toEqual({
      what: 'the training images ([54,000, 794] f32, labels included)',
      bytes: 54_000 * 794 * 4,
      bound: true,
      grows: 'examples',
    });
    const augmented = { ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, rotationDegrees: 10 } };
    expect(gpuBufferNeeds(augmented, 'tfjs', 128).map((n) => n.grows)).toEqual(['model', 'batch']);
    expect(gpuBufferNeeds(wide(512), 'fused', 512)).toEqual([
      {
        what: 'the largest weight matrix ([1,024, 1,024] f32)',
        bytes: 1024 * 1024 * 4,
        bound: true,
        grows: 'model',
      },
    ]);
  });
});

describe('gpuLimitFailure', () => {
  it('passes the wide model on every engine when the device offers the spec’s minimum, but for TF.js’s resident images', () => {
    expect(gpuLimitFailure(wide(512), 'webgpu', 512, SPEC_MINIMUM)).toBeNull();
    expect(gpuLimitFailure(wide(512), 'fused', 512, SPEC_MINIMUM)).toBeNull();
    // [54,000, 794] f32 = 171.5 MB > 128 MiB: TF.js could not bind the training tensor.
    expect(gpuLimitFailure(wide(512), 'tfjs', 512, SPEC_MINIMUM)).toMatchObject({
      limit: 'maxStorageBufferBindingSize',
      fix: { field: 'data.trainingExamples', examples: 42_000 },
    });
    expect(gpuLimitFailure(wide(512, { trainingExamples: 42_000 }), 'tfjs', 512, SPEC_MINIMUM)).toBeNull();
  });

  it('finds the largest power-of-two batch with which every buffer fits', () => {
    const failure = gpuLimitFailure(wide(8192), 'webgpu', 8192, SPEC_MINIMUM);
    expect(failure).toMatchObject({
      need: { what: 'the activations buffer' },
      limit: 'maxStorageBufferBindingSize',
      limitBytes: 128 * MIB,
      fix: { field: 'training.batchSize', batch: 4096 },
    });
    expect(gpuLimitFailure(wide(4096), 'webgpu', 4096, SPEC_MINIMUM)).toBeNull();
  });

  it('names maxBufferSize when a buffer is past both, and the model when parameters are too many', () => {
    const tight: GpuLimits = { maxBufferSize: 64 * MIB, maxStorageBufferBindingSize: 64 * MIB };
    const huge: TrainingConfig = {
      ...wide(64),
      model: {
        ...wide(64).model,
        hiddenLayers: wide(64).model.hiddenLayers.map((l) => ({ ...l, units: 4096 })),
      },
    };
    // 784-4096-4096-10: the params buffer holds 20.0 million floats (80 MB); no batch helps.
    expect(gpuLimitFailure(huge, 'webgpu', 64, tight)).toMatchObject({
      need: { what: 'the params buffer', bytes: (784 * 4096 + 4096 * 4096 + 4096 * 10 + 4096 * 2 + 10) * 4 },
      limit: 'maxBufferSize',
      fix: { field: 'model.hiddenLayers' },
    });
  });

  it('asks for another backend when a buffer of a fixed size is over (the resident file as bytes)', () => {
    const small: GpuLimits = { maxBufferSize: 256 * MIB, maxStorageBufferBindingSize: 32 * MIB };
    expect(gpuLimitFailure(DEFAULT_CONFIG, 'webgpu', 128, small)).toMatchObject({
      need: { what: 'the pixels buffer', bytes: 60_000 * 784 },
      fix: { field: null },
    });
  });
});

describe('checkMemory with the device’s limits', () => {
  it('sums the fused WebGPU engine’s plan into the estimate, by kind', () => {
    const estimate = estimateMemory(wide(512), target('webgpu', null));
    expect(estimate.gpuBytes).toBe(gpuLayout(wide(512), 512).totalBytes);
    expect(estimate.arenaBytes).toBe(0);
    expect(estimateMemory(wide(512), { backend: 'wasm', engine: 'fused' }).gpuBytes).toBe(0);
  });

  it('refuses a buffer past a limit with a message naming it, the limit and what to change', () => {
    const check = checkMemory(wide(8192), target('webgpu', SPEC_MINIMUM));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.field).toBe('training.batchSize');
    expect(check.message).toBe(
      '784-1024×2-10 at batch 8,192 needs the activations buffer of 202 MB on the webgpu backend with the fused WebGPU engine, ' +
        'more than the largest buffer a shader may bind on this GPU (maxStorageBufferBindingSize: 134 MB). ' +
        'Use a batch of 4,096 or fewer examples, or fewer or narrower layers.',
    );
    const tfjs = checkMemory(wide(512), target('tfjs', SPEC_MINIMUM));
    expect(tfjs.ok ? null : [tfjs.field, tfjs.message]).toEqual([
      'data.trainingExamples',
      '784-1024×2-10 at batch 512 needs the training images ([54,000, 794] f32, labels included) of 172 MB on the webgpu backend with TF.js ops, ' +
        'more than the largest buffer a shader may bind on this GPU (maxStorageBufferBindingSize: 134 MB). ' +
        'Train on a subset of 42,000 or fewer examples, or pick the fused WebGPU engine, which keeps the images as bytes.',
    ]);
  });

  it('checks limits only on webgpu, and only where they are known', () => {
    const tight: GpuLimits = { maxBufferSize: MIB, maxStorageBufferBindingSize: MIB };
    expect(checkMemory(wide(512), target('webgpu', null)).ok).toBe(true);
    expect(checkMemory(wide(512), { backend: 'webgl', engine: 'tfjs', gpuLimits: tight }).ok).toBe(true);
    expect(checkMemory(wide(512), target('webgpu', tight)).ok).toBe(false);
  });
});
