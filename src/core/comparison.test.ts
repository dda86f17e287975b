import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import {
  COMPARE_PRESETS,
  applyVariant,
  describeVariant,
  expectedFairness,
  presetVariants,
  variantLabels,
  type Variant,
} from './comparison.ts';
import { VARIANT_FIELDS, variantField, type FieldValue } from './variantFields.ts';

/** Every leaf path where `a` and `b` differ, e.g. "optimizer.kind", "model.hiddenLayers.0.dropout". */
function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return Object.is(a, b) ? [] : [prefix];
  }
  if (Array.isArray(a) !== Array.isArray(b)) return [prefix];
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return [prefix];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) =>
    changedPaths(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      prefix ? `${prefix}.${key}` : key,
    ),
  );
}

/** Whether `path` is one of `patterns` or inside one (`*` matches one path segment). */
function covered(path: string, patterns: readonly string[]): boolean {
  const parts = path.split('.');
  return patterns.some((pattern) => {
    const want = pattern.split('.');
    return want.length <= parts.length && want.every((segment, i) => segment === '*' || segment === parts[i]);
  });
}

const variant = (...overrides: Variant['overrides']): Variant => ({ key: 'k', overrides });

/** A value for each field that differs from the default config's. */
const OTHER_VALUE: Record<string, FieldValue> = {
  optimizer: 'sgd',
  learningRate: 0.05,
  momentum: 0.5,
  batchSize: 'full',
  epochs: 3,
  dropout: 0.25,
  batchNorm: true,
  activation: 'tanh',
  hiddenLayers: '256',
  init: 'glorot',
  loss: 'mse',
  l2: 0.001,
  schedule: 'cosine',
  rotation: 10,
  normalization: 'standardize',
  trainingExamples: 1000,
  labelNoise: 0.3,
  seed: 7,
};

const base: TrainingConfig = { ...DEFAULT_CONFIG, name: 'Base' };

describe('applyVariant', () => {
  it.each(VARIANT_FIELDS.map((f) => f.id))('changes only the paths of %s (and the name)', (id) => {
    const value = OTHER_VALUE[id];
    expect(value).toBeDefined();
    const result = applyVariant(base, variant({ field: id, value: value as FieldValue }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const changed = changedPaths(base, result.config).filter((p) => p !== 'name');
    expect(changed.length).toBeGreaterThan(0);
    for (const path of changed) expect(covered(path, variantField(id).paths), path).toBe(true);
    expect(variantField(id).read(result.config)).toEqual(value);
  });

  it('applies several fields and leaves everything else alone', () => {
    const result = applyVariant(
      base,
      variant({ field: 'optimizer', value: 'momentum' }, { field: 'learningRate', value: 0.01 }),
    );
    if (!result.ok) throw new Error('invalid');
    expect(changedPaths(base, result.config).sort()).toEqual(
      ['name', 'optimizer.kind', 'optimizer.learningRate'].sort(),
    );
    expect(result.config.name).toBe('Base: optimizer Momentum · learning rate 0.01');
  });

  it('reports a variant the schema rejects at its field', () => {
    const small: TrainingConfig = { ...base, data: { ...base.data, trainingExamples: 100 } };
    const result = applyVariant(small, variant({ field: 'batchSize', value: 0 }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors['training.batchSize']).toMatch(/at least 1/);
  });

  it('keeps per-layer settings when the widths change', () => {
    const withDropout = applyVariant(base, variant({ field: 'dropout', value: 0.2 }));
    if (!withDropout.ok) throw new Error('invalid');
    const wider = applyVariant(withDropout.config, variant({ field: 'hiddenLayers', value: '300-100-50' }));
    if (!wider.ok) throw new Error('invalid');
    expect(wider.config.model.hiddenLayers.map((l) => [l.units, l.dropout])).toEqual([
      [300, 0.2],
      [100, 0.2],
      [50, 0.2],
    ]);
  });
});

describe('variant fields parse what the editor sends', () => {
  it('accepts good text and explains bad text', () => {
    expect(variantField('batchSize').parse('full')).toEqual({ ok: true, value: 'full' });
    expect(variantField('batchSize').parse('64')).toEqual({ ok: true, value: 64 });
    expect(variantField('batchSize').parse('6.5')).toEqual({
      ok: false,
      error: 'Batch size must be a whole number',
    });
    expect(variantField('learningRate').parse('abc')).toEqual({
      ok: false,
      error: 'Learning rate must be a number',
    });
    expect(variantField('learningRate').parse('0')).toMatchObject({ ok: false });
    expect(variantField('hiddenLayers').parse('250-100')).toEqual({ ok: true, value: '250-100' });
    expect(variantField('hiddenLayers').parse('')).toEqual({ ok: true, value: '' });
    expect(variantField('hiddenLayers').parse('10-0')).toMatchObject({ ok: false });
    expect(variantField('optimizer').parse('lion')).toEqual({ ok: false, error: 'Unknown optimizer' });
    expect(variantField('batchNorm').parse('on')).toEqual({ ok: true, value: true });
  });
});

describe('labels and fairness', () => {
  it('names what differs, uniquely', () => {
    const variants = [
      variant({ field: 'dropout', value: 0.3 }),
      variant({ field: 'dropout', value: 0.3 }),
      variant(),
    ];
    expect(variantLabels(variants)).toEqual(['dropout 0.3', 'dropout 0.3 #2', 'base']);
    expect(describeVariant(variant({ field: 'batchSize', value: 'full' }))).toBe('batch full');
  });

  it('promises identical starts unless shape, initialisation or seed differ', () => {
    const optimizers = presetVariants(COMPARE_PRESETS.find((p) => p.id === 'optimizers')!);
    expect(expectedFairness(base, optimizers)).toEqual({
      sameInitialWeights: true,
      sameDataOrder: true,
      reasons: [],
    });

    const shapes = [
      variant({ field: 'hiddenLayers', value: '128-64' }),
      variant({ field: 'hiddenLayers', value: '256' }),
    ];
    expect(expectedFairness(base, shapes)).toEqual({
      sameInitialWeights: false,
      sameDataOrder: true,
      reasons: ['different hidden layers (128-64, 256)'],
    });
    // Same shape written explicitly in one variant and inherited in the other: still fair.
    expect(
      expectedFairness(base, [variant({ field: 'hiddenLayers', value: '128-64' }), variant()])
        .sameInitialWeights,
    ).toBe(true);

    const seeds = presetVariants(COMPARE_PRESETS.find((p) => p.id === 'seeds')!);
    expect(expectedFairness(base, seeds)).toMatchObject({ sameInitialWeights: false, sameDataOrder: false });
  });

  it('every preset builds valid configs for the default base', () => {
    for (const preset of COMPARE_PRESETS) {
      const variants = presetVariants(preset);
      expect(variants.length).toBeGreaterThanOrEqual(2);
      expect(variants.length).toBeLessThanOrEqual(6);
      for (const v of variants)
        expect(applyVariant(base, v).ok, `${preset.id}: ${describeVariant(v)}`).toBe(true);
      expect(new Set(variantLabels(variants)).size).toBe(variants.length);
    }
  });
});
