import { describe, expect, it } from 'vitest';
import { configParameterCount, effectiveTrainingExamples } from '../core/config.ts';
import { vanishingGradients } from '../core/lessons.ts';
import { DEFAULT_PRESET_ID, PRESETS, REJECTED_PRESETS } from './presets.ts';

describe('the Preset picker', () => {
  it('offers the default first and every configs/*.json file, none rejected', () => {
    expect(REJECTED_PRESETS).toEqual([]);
    expect(PRESETS[0]?.id).toBe(DEFAULT_PRESET_ID);
    expect(PRESETS.length).toBeGreaterThanOrEqual(21);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
  });

  it('offers the record preset exactly as its README row was measured (a plain MLP, no convolution)', () => {
    const record = PRESETS.find((p) => p.id === 'record-plain-mlp-98.8-percent.json');
    expect(record?.label).toMatch(/^Record: plain MLP .*≥ 98\.8%.*min\)$/);
    const config = record?.config;
    if (config === undefined) throw new Error('no record preset');
    expect(config.model.hiddenLayers).toEqual([
      { units: 400, activation: 'relu', dropout: 0, batchNorm: false },
      { units: 400, activation: 'relu', dropout: 0, batchNorm: false },
    ]);
    expect(configParameterCount(config)).toBe(478_410);
    expect(config.model.inputDropout).toBe(0);
    expect(config.loss).toMatchObject({ kind: 'crossEntropy', labelSmoothing: 0.1, l2: 0, l1: 0 });
    expect(config.optimizer).toMatchObject({ kind: 'adam', learningRate: 0.001 });
    expect(config.schedule).toMatchObject({ kind: 'cosine', minLearningRate: 0 });
    expect(config.training).toEqual({ gradientDescent: 'miniBatch', batchSize: 128, epochs: 20 });
    expect(config.data).toMatchObject({ rotationDegrees: 10, cropPadding: 2, shiftPixels: 0 });
    expect(effectiveTrainingExamples(config)).toBe(54_000);
    expect(config.seed).toBe(42);
  });

  it('offers the vanishing-gradients pair exactly as the lesson trains it, without and with batch norm', () => {
    const byId = (id: string) => PRESETS.find((p) => p.id === id)?.config;
    expect(byId('vanishing-gradients-sigmoid-8-layers-sgd.json')).toEqual(vanishingGradients(false));
    expect(byId('vanishing-gradients-sigmoid-8-layers-sgd-batchnorm.json')).toEqual(vanishingGradients(true));
    expect(
      PRESETS.find((p) => p.id === 'vanishing-gradients-sigmoid-8-layers-sgd-batchnorm.json')?.label,
    ).toMatch(/^Vanishing gradients, batch norm on:/);
  });
});
