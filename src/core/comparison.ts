import { validateConfig, type FieldErrors, type TrainingConfig } from './config.ts';
import { variantField, type FieldValue, type VariantFieldId } from './variantFields.ts';

/**
 * A comparison: one base config and 2–6 variants, each changing named fields only. Every variant
 * keeps the base's seed unless it changes the seed itself, and the run's random streams are split
 * per concern (`core/runStreams.ts`), so variants of the same architecture start from the same
 * weights and all variants see the training data in the same order: a race decided by the knob,
 * not by luck.
 */

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 6;

export interface VariantOverride {
  readonly field: VariantFieldId;
  readonly value: FieldValue;
}

export interface Variant {
  /** Stable identity in the editor (not shown). */
  readonly key: string;
  /** Applied in order; at most one per field. */
  readonly overrides: readonly VariantOverride[];
}

export type VariantResult =
  | { readonly ok: true; readonly config: TrainingConfig }
  | { readonly ok: false; readonly errors: FieldErrors };

/**
 * The base with `variant`'s fields written, validated as a whole (a batch size above the
 * training examples, say, is an error of that variant). The name becomes the variant's label,
 * so a saved run says what it was.
 */
export function applyVariant(base: TrainingConfig, variant: Variant): VariantResult {
  let config = base;
  for (const { field, value } of variant.overrides) config = variantField(field).write(config, value);
  const name = describeVariant(variant);
  return validateConfig({ ...config, name: `${base.name ? `${base.name}: ` : ''}${name}`.slice(0, 120) });
}

/** What a variant changes, in words: "optimizer SGD · learning rate 0.1"; "base" for none. */
export function describeVariant(variant: Variant): string {
  if (variant.overrides.length === 0) return 'base';
  return variant.overrides
    .map(({ field, value }) => {
      const spec = variantField(field);
      return `${spec.label} ${spec.format(value)}`;
    })
    .join(' · ');
}

/** Legend labels, unique within the comparison (a repeated description gets "#2", "#3"). */
export function variantLabels(variants: readonly Variant[]): string[] {
  const seen = new Map<string, number>();
  return variants.map((variant) => {
    const text = describeVariant(variant);
    const count = (seen.get(text) ?? 0) + 1;
    seen.set(text, count);
    return count === 1 ? text : `${text} #${count}`;
  });
}

/** What the comparison can promise before it runs (checked against fingerprints afterwards). */
export interface ExpectedFairness {
  /** Every variant starts from the same initial weights. */
  readonly sameInitialWeights: boolean;
  /** Every variant sees the training examples in the same order. */
  readonly sameDataOrder: boolean;
  /** Why not, in words, e.g. "different hidden layers (128-64, 256)". Empty when fair. */
  readonly reasons: readonly string[];
}

/**
 * Whether the variants will start alike, from the fields they change: a field that changes the
 * initial weights (shape, initialisation, seed) or the data order (seed) breaks it only when the
 * variants' values differ.
 */
export function expectedFairness(base: TrainingConfig, variants: readonly Variant[]): ExpectedFairness {
  const reasons: string[] = [];
  let sameInitialWeights = true;
  let sameDataOrder = true;
  const fields = new Set(variants.flatMap((v) => v.overrides.map((o) => o.field)));
  for (const id of fields) {
    const spec = variantField(id);
    if (!spec.changesInitialWeights && !spec.changesDataOrder) continue;
    const values = variants.map((variant) => {
      const override = variant.overrides.find((o) => o.field === id);
      return override === undefined ? spec.read(base) : override.value;
    });
    const distinct = [...new Set(values.map((value) => spec.format(value)))];
    if (distinct.length <= 1) continue;
    if (spec.changesInitialWeights) sameInitialWeights = false;
    if (spec.changesDataOrder) sameDataOrder = false;
    reasons.push(`different ${spec.label} (${distinct.join(', ')})`);
  }
  return { sameInitialWeights, sameDataOrder, reasons };
}

/** Fingerprints the runs reported (`run-started`), grouped: one group means all alike. */
export function fingerprintGroups(fingerprints: readonly (string | null)[]): number {
  return new Set(fingerprints.filter((f): f is string => f !== null)).size;
}

let keyCounter = 0;
/** A fresh editor key (not random: keys only need to be unique within the page). */
export function newVariantKey(): string {
  keyCounter += 1;
  return `v${keyCounter}`;
}

export interface ComparePreset {
  readonly id: string;
  readonly title: string;
  /** What a teacher would point out, shown under the preset. */
  readonly lesson: string;
  readonly variants: readonly (readonly VariantOverride[])[];
}

export const COMPARE_PRESETS: readonly ComparePreset[] = [
  {
    id: 'optimizers',
    title: 'SGD vs Momentum vs Adam vs RMSprop',
    lesson:
      'Each optimizer at its usual learning rate. Adaptive methods (Adam, RMSprop) drop the loss fastest in the first epoch; plain SGD catches up slowly; momentum sits between.',
    variants: [
      [
        { field: 'optimizer', value: 'sgd' },
        { field: 'learningRate', value: 0.1 },
      ],
      [
        { field: 'optimizer', value: 'momentum' },
        { field: 'learningRate', value: 0.01 },
        { field: 'momentum', value: 0.9 },
      ],
      [
        { field: 'optimizer', value: 'adam' },
        { field: 'learningRate', value: 0.001 },
      ],
      [
        { field: 'optimizer', value: 'rmsprop' },
        { field: 'learningRate', value: 0.001 },
      ],
    ],
  },
  {
    id: 'learning-rates',
    title: 'Learning rate: 0.0001 vs 0.001 vs 0.01',
    lesson: 'Too small crawls, too large is noisy or diverges; the best is in between.',
    variants: [
      [{ field: 'learningRate', value: 0.0001 }],
      [{ field: 'learningRate', value: 0.001 }],
      [{ field: 'learningRate', value: 0.01 }],
    ],
  },
  {
    id: 'dropout',
    title: 'Dropout off vs on',
    lesson:
      'Dropout makes training loss higher (the network trains handicapped) while validation holds up: the gap between them, overfitting, shrinks.',
    variants: [[{ field: 'dropout', value: 0 }], [{ field: 'dropout', value: 0.3 }]],
  },
  {
    id: 'batch-norm',
    title: 'Batch norm off vs on',
    lesson:
      'Batch norm lets the loss fall faster per epoch. It runs on TF.js ops here, so compare per epoch, not per second.',
    variants: [[{ field: 'batchNorm', value: false }], [{ field: 'batchNorm', value: true }]],
  },
  {
    id: 'batch-size',
    title: 'Batch 1 vs 64 vs full batch',
    lesson:
      'Per epoch, batch 1 takes thousands of noisy steps and full batch only one smooth step. Switch the x axis to training time: mini-batches win on the clock.',
    variants: [
      [{ field: 'batchSize', value: 1 }],
      [{ field: 'batchSize', value: 64 }],
      [{ field: 'batchSize', value: 'full' }],
    ],
  },
  {
    id: 'loss',
    title: 'Cross-entropy vs MSE',
    lesson:
      'With softmax outputs, cross-entropy gives large gradients to confident mistakes; MSE flattens them, so it learns more slowly.',
    variants: [[{ field: 'loss', value: 'crossEntropy' }], [{ field: 'loss', value: 'mse' }]],
  },
  {
    id: 'seeds',
    title: 'Same config, three seeds',
    lesson:
      'Only the luck of the draw differs: different initial weights and data order. The grey line is their mean and the shaded band ±1 standard deviation: differences smaller than this spread are noise.',
    variants: [[{ field: 'seed', value: 1 }], [{ field: 'seed', value: 2 }], [{ field: 'seed', value: 3 }]],
  },
];

/** A preset's variants with fresh editor keys. */
export function presetVariants(preset: ComparePreset): Variant[] {
  return preset.variants.map((overrides) => ({ key: newVariantKey(), overrides }));
}
