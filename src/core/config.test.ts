import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  effectiveTrainingExamples,
  layerSizes,
  parameterCount,
  validateConfig,
} from './config.ts';

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
      batchSize: 0,
      optimizer: { kind: 'adam', learningRate: -1 },
      trainingExamples: 59_000,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['batchSize']).toMatch(/at least 1/);
    expect(result.errors['optimizer.learningRate']).toMatch(/greater than 0/);
  });

  it('refuses more training examples than the split leaves', () => {
    const result = validateConfig({ ...DEFAULT_CONFIG, trainingExamples: 59_000 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors['trainingExamples']).toMatch(/at most 54,000/);
  });

  it('refuses NaN, unknown keys and wrong types without throwing', () => {
    for (const bad of [
      null,
      'x',
      42,
      { ...DEFAULT_CONFIG, epochs: Number.NaN },
      { ...DEFAULT_CONFIG, extra: 1 },
    ]) {
      expect(validateConfig(bad).ok).toBe(false);
    }
  });
});
