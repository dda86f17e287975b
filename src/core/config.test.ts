import { describe, expect, it } from 'vitest';
import {
  CONFIG_VERSION,
  DEFAULT_CONFIG,
  configParameterCount,
  effectiveBatchSize,
  effectiveTrainingExamples,
  layerSizes,
  parameterCount,
  validateConfig,
  type TrainingConfig,
} from './config.ts';

const withData = (data: Partial<TrainingConfig['data']>): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, ...data },
});

describe('parameterCount', () => {
  it('counts 109,386 parameters for 784-128-64-10', () => {
    expect(parameterCount([784, 128, 64, 10])).toBe(109_386);
    expect(parameterCount(layerSizes(DEFAULT_CONFIG))).toBe(109_386);
  });

  it('counts 222,360 parameters for 784-250-100-10', () => {
    expect(parameterCount([784, 250, 100, 10])).toBe(222_360);
  });

  it('counts 7,850 for softmax regression', () => {
    expect(parameterCount([784, 10])).toBe(7_850);
  });

  it('adds γ and β for each batch-norm layer', () => {
    const withBatchNorm: TrainingConfig = {
      ...DEFAULT_CONFIG,
      model: {
        ...DEFAULT_CONFIG.model,
        hiddenLayers: DEFAULT_CONFIG.model.hiddenLayers.map((l) => ({ ...l, batchNorm: true })),
      },
    };
    expect(configParameterCount(withBatchNorm)).toBe(109_386 + 2 * (128 + 64));
  });
});

describe('validateConfig', () => {
  it('accepts the default and uses 54,000 training examples', () => {
    const result = validateConfig(DEFAULT_CONFIG);
    expect(result.ok).toBe(true);
    expect(effectiveTrainingExamples(DEFAULT_CONFIG)).toBe(54_000);
  });

  it('names the field of each problem', () => {
    const result = validateConfig({
      ...DEFAULT_CONFIG,
      training: { ...DEFAULT_CONFIG.training, batchSize: 0 },
      optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: -1 },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['training.batchSize']).toMatch(/at least 1/);
    expect(result.errors['optimizer.learningRate']).toMatch(/greater than 0/);
  });

  it('refuses more training examples than the split leaves', () => {
    const result = validateConfig(withData({ trainingExamples: 59_000 }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors['data.trainingExamples']).toMatch(/at most 54,000/);
  });

  it('refuses NaN, Infinity, unknown keys and wrong types without throwing', () => {
    const bad: unknown[] = [
      null,
      'x',
      42,
      [],
      { ...DEFAULT_CONFIG, training: { ...DEFAULT_CONFIG.training, epochs: Number.NaN } },
      { ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: Infinity } },
      { ...DEFAULT_CONFIG, extra: 1 },
      { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hiddenLayers: 'many' } },
    ];
    for (const input of bad) expect(validateConfig(input).ok).toBe(false);
  });

  it('rejects a newer version with a message and migrates version 1', () => {
    const newer = validateConfig({ ...DEFAULT_CONFIG, version: CONFIG_VERSION + 1 });
    expect(newer.ok).toBe(false);
    if (!newer.ok) expect(newer.errors['version']).toMatch(/newer than this app/);

    const v1 = validateConfig({
      version: 1,
      seed: 7,
      hiddenLayers: [{ units: 32, activation: 'tanh' }],
      loss: 'categorical-crossentropy',
      optimizer: { kind: 'adam', learningRate: 0.01 },
      batchSize: 64,
      epochs: 3,
      validationFraction: 0.2,
      trainingExamples: 1000,
    });
    expect(v1.ok).toBe(true);
    if (!v1.ok) return;
    expect(v1.config.model.hiddenLayers).toEqual([
      { units: 32, activation: 'tanh', dropout: 0, batchNorm: false },
    ]);
    expect(v1.config.training).toEqual({ gradientDescent: 'miniBatch', batchSize: 64, epochs: 3 });
    expect(v1.config.data.trainingExamples).toBe(1000);
  });
});

describe('effectiveBatchSize', () => {
  it('is 1 for stochastic, all examples for full batch, capped for mini-batch', () => {
    const cfg = withData({ trainingExamples: 500 });
    expect(effectiveBatchSize({ ...cfg, training: { ...cfg.training, gradientDescent: 'stochastic' } })).toBe(
      1,
    );
    expect(effectiveBatchSize({ ...cfg, training: { ...cfg.training, gradientDescent: 'fullBatch' } })).toBe(
      500,
    );
    expect(effectiveBatchSize({ ...cfg, training: { ...cfg.training, batchSize: 1000 } })).toBe(500);
  });
});
