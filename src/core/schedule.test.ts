import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import { learningRateAt } from './schedule.ts';

const withSchedule = (schedule: Partial<TrainingConfig['schedule']>, epochs = 10): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: 0.1 },
  schedule: { ...DEFAULT_CONFIG.schedule, ...schedule },
  training: { ...DEFAULT_CONFIG.training, epochs },
});

describe('learningRateAt', () => {
  it('is the base rate for constant', () => {
    const config = withSchedule({ kind: 'constant' });
    expect(learningRateAt(config, 1, 0)).toBe(0.1);
    expect(learningRateAt(config, 7, 0.5)).toBe(0.1);
  });

  it('multiplies by gamma every stepEpochs epochs for step', () => {
    const config = withSchedule({ kind: 'step', stepEpochs: 2, gamma: 0.5 });
    expect([1, 2, 3, 4, 5].map((e) => learningRateAt(config, e, 0.9))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('anneals per step from the rate to the floor for cosine', () => {
    const config = withSchedule({ kind: 'cosine', minLearningRate: 0.01 }, 4);
    expect(learningRateAt(config, 1, 0)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(config, 3, 0)).toBeCloseTo(0.055, 12); // halfway
    expect(learningRateAt(config, 2, 0.5)).toBeCloseTo(
      0.01 + (0.09 * (1 + Math.cos(Math.PI * 0.375))) / 2,
      12,
    );
    expect(learningRateAt(config, 4, 1)).toBeCloseTo(0.01, 12);
    const rates = [1, 2, 3, 4].flatMap((e) => [0, 0.5].map((f) => learningRateAt(config, e, f)));
    rates.slice(1).forEach((rate, i) => expect(rate).toBeLessThan(rates[i] ?? 0));
  });
});
