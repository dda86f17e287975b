import { describe, expect, it } from 'vitest';
import { applyVariant, MAX_VARIANTS, MIN_VARIANTS } from './comparison.ts';
import { validateConfig } from './config.ts';
import { LESSONS, lessonById, vanishingGradients } from './lessons.ts';

describe('lessons', () => {
  it('have unique ids, valid configs, and valid variants', () => {
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const lesson of LESSONS) {
      expect(validateConfig(lesson.config).ok, lesson.id).toBe(true);
      expect(lesson.concept.length, lesson.id).toBeGreaterThan(40);
      expect(lesson.watch.length, lesson.id).toBeGreaterThan(40);
      if (lesson.variants === undefined) continue;
      expect(lesson.variants.length).toBeGreaterThanOrEqual(MIN_VARIANTS);
      expect(lesson.variants.length).toBeLessThanOrEqual(MAX_VARIANTS);
      for (const overrides of lesson.variants) {
        const result = applyVariant(lesson.config, { key: 'k', overrides });
        expect(result.ok, `${lesson.id}: ${JSON.stringify(overrides)}`).toBe(true);
      }
    }
  });

  it('cover the concepts a class on MLP components needs', () => {
    const ids = LESSONS.map((l) => l.id);
    for (const id of [
      'dropout',
      'batch-norm',
      'loss',
      'batch-size',
      'optimizers',
      'normalization',
      'augmentation',
      'overfitting',
    ]) {
      expect(ids).toContain(id);
    }
    expect(lessonById('dropout')?.title).toMatch(/Dropout/);
    expect(lessonById('nope')).toBeNull();
  });

  it('show vanishing gradients on one run (comparisons skip the analysis the Layers view needs)', () => {
    const lesson = lessonById('vanishing-gradients');
    expect(lesson?.variants).toBeUndefined();
    expect(lesson?.config).toEqual(vanishingGradients(false));
    const model = lesson?.config.model;
    expect(model?.hiddenLayers).toHaveLength(8);
    expect(model?.hiddenLayers.every((l) => l.activation === 'sigmoid' && !l.batchNorm)).toBe(true);
    expect(lesson?.config.optimizer).toMatchObject({ kind: 'sgd', learningRate: 0.1 });
    expect(lesson?.watch).toMatch(/Layers view/);
    expect(lesson?.watch).toMatch(/batch norm on/);
    // the twin differs in batch norm (and its name) only
    const twin = vanishingGradients(true);
    expect(twin.model.hiddenLayers.every((l) => l.batchNorm)).toBe(true);
    const plain = (layersOn: boolean) => ({
      ...vanishingGradients(layersOn),
      name: '',
      model: { ...vanishingGradients(layersOn).model, hiddenLayers: [] },
    });
    expect(plain(true)).toEqual(plain(false));
  });
});
