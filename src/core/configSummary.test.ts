import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import { architectureOf, describeConfigShort } from './configSummary.ts';

function withTraining(training: Partial<TrainingConfig['training']>): TrainingConfig {
  return { ...DEFAULT_CONFIG, training: { ...DEFAULT_CONFIG.training, ...training } };
}

describe('architectureOf', () => {
  it('joins input, hidden and output widths', () => {
    expect(architectureOf(DEFAULT_CONFIG)).toBe('784-128-64-10');
  });

  it('is input straight to output without hidden layers (logistic regression)', () => {
    const config = { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hiddenLayers: [] } };
    expect(architectureOf(config)).toBe('784-10');
  });
});

describe('describeConfigShort', () => {
  it('describes the default config', () => {
    expect(describeConfigShort(DEFAULT_CONFIG)).toBe(
      '784-128-64-10 · Adam lr 0.001 · batch 128 · 5 epochs · seed 42',
    );
  });

  it('names the gradient-descent kind rather than the unused batch size', () => {
    expect(describeConfigShort(withTraining({ gradientDescent: 'stochastic' }))).toContain('· batch 1 ·');
    expect(describeConfigShort(withTraining({ gradientDescent: 'fullBatch' }))).toContain('· full batch ·');
    expect(describeConfigShort(withTraining({ batchSize: 32 }))).toContain('· batch 32 ·');
  });

  it('names label noise only when it is on', () => {
    const noisy = { ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, labelNoise: 0.4 } };
    expect(describeConfigShort(noisy)).toBe(
      '784-128-64-10 · Adam lr 0.001 · batch 128 · 5 epochs · label noise 0.4 · seed 42',
    );
  });

  it('says "1 epoch" in the singular', () => {
    expect(describeConfigShort(withTraining({ epochs: 1 }))).toContain('· 1 epoch ·');
  });

  it('tells plain, momentum and Nesterov SGD apart and keeps the rate exact', () => {
    const sgd = (kind: 'sgd' | 'momentum', nesterov: boolean, learningRate: number) =>
      describeConfigShort({
        ...DEFAULT_CONFIG,
        optimizer: { ...DEFAULT_CONFIG.optimizer, kind, nesterov, learningRate },
      });
    expect(sgd('sgd', false, 0.1)).toContain('· SGD lr 0.1 ·');
    expect(sgd('momentum', false, 0.01)).toContain('· SGD momentum lr 0.01 ·');
    expect(sgd('momentum', true, 1e-7)).toContain('· SGD Nesterov lr 1e-7 ·');
  });
});
