import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configParameterCount,
  effectiveBatchSize,
  effectiveTrainingExamples,
  validateConfig,
  type TrainingConfig,
} from '../core/config.ts';

const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'configs');
const files = readdirSync(CONFIG_DIR).filter((name) => name.endsWith('.json'));

function preset(file: string): TrainingConfig {
  const result = validateConfig(JSON.parse(readFileSync(join(CONFIG_DIR, file), 'utf8')));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
  return result.config;
}

describe('configs/*.json presets', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(16);
  });

  it.each(files)('%s is a valid config v2 with a name', (file) => {
    const result = validateConfig(JSON.parse(readFileSync(join(CONFIG_DIR, file), 'utf8')));
    expect(result.ok ? null : result.errors).toBeNull();
    if (result.ok) expect(result.config.name?.length).toBeGreaterThan(0);
  });

  it('has the reference models with their parameter counts', () => {
    expect(configParameterCount(preset('mlp-784-128-64-10-adam-augmented.json'))).toBe(109_386);
    expect(configParameterCount(preset('mlp-784-250-100-10-adam.json'))).toBe(222_360);
    expect(configParameterCount(preset('softmax-regression-sgd-l2.json'))).toBe(7_850);
  });

  it('augmented preset: Adam 1e-3, rotation 10°, crop padding 2, (x − 0.5)/0.5', () => {
    const c = preset('mlp-784-128-64-10-adam-augmented.json');
    expect(c.optimizer).toMatchObject({ kind: 'adam', learningRate: 0.001 });
    expect(c.data).toMatchObject({ rotationDegrees: 10, cropPadding: 2, normalization: 'center' });
    expect(c.training.epochs).toBe(5);
    expect(c.model.init).toBe('pytorch');
  });

  it('SGD + L2 presets train on the first 80% of the file', () => {
    for (const file of ['softmax-regression-sgd-l2.json', 'sigmoid-mlp-sgd-l2.json']) {
      const c = preset(file);
      expect(c.optimizer.kind).toBe('sgd');
      expect(c.loss.l2).toBeGreaterThan(0);
      expect(c.data).toMatchObject({ splitMethod: 'first', validationFraction: 0.2 });
      expect(effectiveTrainingExamples(c)).toBe(48_000);
    }
    expect(preset('sigmoid-mlp-sgd-l2.json').model.hiddenLayers.map((l) => l.activation)).toEqual([
      'sigmoid',
    ]);
  });

  it('784-250-100-10 preset: ReLU, standardize, batch 64, 10% random validation, Adam, 10 epochs', () => {
    const c = preset('mlp-784-250-100-10-adam.json');
    expect(c.model.hiddenLayers.every((l) => l.activation === 'relu')).toBe(true);
    expect(c.data).toMatchObject({
      normalization: 'standardize',
      validationFraction: 0.1,
      splitMethod: 'random',
    });
    expect(c.training).toMatchObject({ batchSize: 64, epochs: 10 });
    expect(c.optimizer).toMatchObject({ kind: 'adam', learningRate: 0.001 });
    expect(c.model.init).toBe('pytorch');
  });

  it('component pairs differ only in the component they compare', () => {
    const strip = (c: TrainingConfig) => ({ ...c, name: undefined });
    const differences = (a: TrainingConfig, b: TrainingConfig) =>
      (Object.keys(strip(a)) as (keyof TrainingConfig)[]).filter(
        (key) => JSON.stringify(strip(a)[key]) !== JSON.stringify(strip(b)[key]),
      );
    expect(differences(preset('dropout-off-10k.json'), preset('dropout-on-10k.json'))).toEqual(['model']);
    expect(
      differences(preset('batchnorm-off-sigmoid-sgd-10k.json'), preset('batchnorm-on-sigmoid-sgd-10k.json')),
    ).toEqual(['model']);
    expect(differences(preset('loss-crossentropy-10k.json'), preset('loss-mse-10k.json'))).toEqual(['loss']);
    expect(differences(preset('batch-1-sgd-10k.json'), preset('batch-64-sgd-10k.json'))).toEqual([
      'training',
    ]);
    expect(differences(preset('optimizer-sgd.json'), preset('optimizer-adam.json'))).toEqual(['optimizer']);
    expect(differences(preset('optimizer-adam.json'), preset('optimizer-rmsprop.json'))).toEqual([
      'optimizer',
    ]);
  });

  it('batch presets use the same 10,000-example subset with batch 1 and 64', () => {
    const one = preset('batch-1-sgd-10k.json');
    const many = preset('batch-64-sgd-10k.json');
    expect([effectiveBatchSize(one), effectiveBatchSize(many)]).toEqual([1, 64]);
    expect(one.data.trainingExamples).toBe(10_000);
    expect(many.data.trainingExamples).toBe(10_000);
  });
});
