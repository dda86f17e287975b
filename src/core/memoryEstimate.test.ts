import { describe, expect, it } from 'vitest';
import { applyVariant } from './comparison.ts';
import { DEFAULT_CONFIG, validateConfig, type TrainingConfig } from './config.ts';
import { LESSONS } from './lessons.ts';
import {
  CPU_BUDGET_BYTES,
  GPU_BUDGET_BYTES,
  checkMemory,
  describeArchitecture,
  estimateMemory,
  expectedEngine,
  formatBytes,
  type MemoryTarget,
} from './memoryEstimate.ts';

const layers = (units: number, count: number) =>
  Array.from({ length: count }, () => ({ units, activation: 'relu' as const, dropout: 0, batchNorm: false }));

const withModel = (
  hidden: TrainingConfig['model']['hiddenLayers'],
  training: Partial<TrainingConfig['training']> = {},
) => ({
  ...DEFAULT_CONFIG,
  model: { ...DEFAULT_CONFIG.model, hiddenLayers: hidden },
  training: { ...DEFAULT_CONFIG.training, ...training },
});

const WASM_FUSED: MemoryTarget = { backend: 'wasm', engine: 'fused' };
const WASM_TFJS: MemoryTarget = { backend: 'wasm', engine: 'tfjs' };
const WEBGL: MemoryTarget = { backend: 'webgl', engine: 'tfjs' };

/** Every config the app offers in one click: presets, lessons and the lessons' race variants. */
const FILES = import.meta.glob<unknown>('../../configs/*.json', { eager: true, import: 'default' });
const offered: [string, TrainingConfig][] = [
  ['default', DEFAULT_CONFIG],
  ...Object.entries(FILES).map(([file, json]): [string, TrainingConfig] => {
    const result = validateConfig(json);
    if (!result.ok) throw new Error(file);
    return [file, result.config];
  }),
  ...LESSONS.flatMap((lesson) => [
    [lesson.id, lesson.config] as [string, TrainingConfig],
    ...(lesson.variants ?? []).map((overrides, i): [string, TrainingConfig] => {
      const result = applyVariant(lesson.config, { key: String(i), overrides });
      if (!result.ok) throw new Error(lesson.id);
      return [`${lesson.id} variant ${i}`, result.config];
    }),
  ]),
];

describe('estimateMemory', () => {
  it('adds up its terms, biggest first', () => {
    const estimate = estimateMemory(DEFAULT_CONFIG, WASM_FUSED);
    expect(estimate.totalBytes).toBe(estimate.terms.reduce((sum, t) => sum + t.bytes, 0));
    const sizes = estimate.terms.map((t) => t.bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(estimate.batch).toBe(128);
    expect(estimate.budgetBytes).toBe(CPU_BUDGET_BYTES);
    expect(estimateMemory(DEFAULT_CONFIG, WEBGL).budgetBytes).toBe(GPU_BUDGET_BYTES);
  });

  it('counts the optimizer state each optimizer keeps', () => {
    const state = (kind: TrainingConfig['optimizer']['kind'], target: MemoryTarget) =>
      estimateMemory(
        { ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, kind } },
        target,
      ).terms.find((t) => t.kind === 'optimizer state')?.bytes ?? 0;
    const perCopy = 109_386 * 4;
    expect(state('sgd', WASM_TFJS)).toBe(0);
    expect(state('momentum', WASM_TFJS)).toBe(perCopy);
    expect(state('adam', WASM_TFJS)).toBe(2 * perCopy);
    expect(state('rmsprop', WASM_TFJS)).toBe(2 * perCopy);
    expect(state('adagrad', WASM_TFJS)).toBe(perCopy);
    // The kernel's buffers are padded (output 10 → 16 columns) and 64-byte aligned.
    expect(state('sgd', WASM_FUSED)).toBe(0);
    expect(state('adam', WASM_FUSED)).toBe((2 * 2 * state('momentum', WASM_FUSED)) / 2);
    expect(state('momentum', WASM_FUSED)).toBeGreaterThanOrEqual(perCopy);
  });

  it('grows linearly with the batch through the activations only', () => {
    const at = (batch: number) => estimateMemory(DEFAULT_CONFIG, WASM_TFJS, batch);
    const activations = (batch: number) => at(batch).terms.find((t) => t.kind === 'activations')?.bytes ?? 0;
    expect(activations(256)).toBe(2 * activations(128));
    expect(at(256).totalBytes - at(128).totalBytes).toBe(activations(128));
  });

  it('keeps the training split resident for TF.js ops unless augmenting', () => {
    const dataset = (config: TrainingConfig) =>
      estimateMemory(config, WASM_TFJS).terms.find((t) => t.kind === 'dataset')?.bytes ?? 0;
    const augmented = { ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, rotationDegrees: 10 } };
    expect(dataset(DEFAULT_CONFIG) - dataset(augmented)).toBe(54_000 * 794 * 4);
  });
});

describe('checkMemory', () => {
  it.each(offered)('%s fits on every backend and engine', (_, config) => {
    // The fused WebGPU engine also on the smallest device WebGPU allows (256 MiB a buffer, 128 MiB bound).
    const smallestWebgpu = { maxBufferSize: 256 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20 };
    const webgpu: MemoryTarget = { backend: 'webgpu', engine: 'webgpu', gpuLimits: smallestWebgpu };
    for (const target of [
      WASM_FUSED,
      WASM_TFJS,
      WEBGL,
      { backend: 'webgpu', engine: 'tfjs' } as const,
      webgpu,
    ]) {
      const check = checkMemory(config, target);
      expect(check.ok ? null : check.message).toBeNull();
    }
  });

  it('refuses 784-2048×2 at full batch, naming the activations and a batch that fits', () => {
    const config = withModel(layers(2048, 2), { gradientDescent: 'fullBatch' });
    const check = checkMemory(config, { backend: 'wasm', engine: 'tfjs' });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.estimate.terms[0]?.kind).toBe('activations');
    expect(check.field).toBe('training.batchSize');
    expect(check.message).toMatch(
      /^784-2048×2-10 at full batch \(54,000 examples\) needs about [\d.]+ GB on the wasm backend with TF\.js ops, [\d.]+ GB of it for activations; the budget there is 1\.5 GB\. Use a batch of [\d,]+ or fewer examples, or fewer or narrower layers\.$/,
    );
    const batch = Number(/a batch of ([\d,]+)/.exec(check.message)?.[1]?.replace(',', ''));
    expect(batch).toBe(8192);
    expect(estimateMemory(config, WASM_TFJS, batch).totalBytes).toBeLessThanOrEqual(CPU_BUDGET_BYTES);
    expect(estimateMemory(config, WASM_TFJS, batch * 2).totalBytes).toBeGreaterThan(CPU_BUDGET_BYTES);
  });

  it('says the model itself is too big when even batch 1 does not fit (784-4096×8)', () => {
    const config = withModel(layers(4096, 8), { gradientDescent: 'fullBatch' });
    const check = checkMemory(config, WASM_FUSED);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.field).toBe('model.hiddenLayers');
    expect(check.message).toContain('needs about 33.0 GB on the wasm backend with the fused kernel');
    expect(check.message).toContain(
      'Even one example at a time would need 4.5 GB: the 120,725,514 parameters are too many. Use fewer or narrower layers',
    );
    // Not even SGD would fit it, so SGD is not suggested.
    expect(check.message).not.toContain('SGD');
  });

  it('suggests SGD when dropping the optimizer state would make the model fit (784-4096×4, Adam)', () => {
    const check = checkMemory(withModel(layers(4096, 4)), WASM_TFJS);
    expect(check.ok ? null : check.message).toMatch(
      /^784-4096×4-10 at batch 128 needs about 1\.8 GB on the wasm backend with TF\.js ops, .* Use fewer or narrower layers, or SGD, which keeps no optimizer state\.$/,
    );
  });

  it('gives GPU backends the smaller budget', () => {
    const config = withModel(layers(2048, 4), { batchSize: 4096 });
    expect(checkMemory(config, WASM_TFJS).ok).toBe(true);
    expect(checkMemory(config, WEBGL).ok).toBe(false);
  });
});

describe('helpers', () => {
  it('names architectures compactly', () => {
    expect(describeArchitecture(DEFAULT_CONFIG)).toBe('784-128-64-10');
    expect(describeArchitecture(withModel(layers(4096, 8)))).toBe('784-4096×8-10');
    expect(describeArchitecture(withModel([]))).toBe('784-10');
  });

  it('formats bytes', () => {
    expect(formatBytes(9.84e9)).toBe('9.8 GB');
    expect(formatBytes(3.2e8)).toBe('320 MB');
  });

  it('expects the engine chooseEngine picks', () => {
    expect(expectedEngine(DEFAULT_CONFIG, 'auto', 'wasm')).toBe('fused');
    expect(expectedEngine(DEFAULT_CONFIG, 'auto', 'webgl')).toBe('tfjs');
    expect(expectedEngine(DEFAULT_CONFIG, 'fused', 'webgl')).toBe('fused');
    const batchNorm = withModel([{ units: 64, activation: 'relu', dropout: 0, batchNorm: true }]);
    expect(expectedEngine(batchNorm, 'auto', 'wasm')).toBe('fused');
  });
});
