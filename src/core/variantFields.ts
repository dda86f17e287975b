import {
  ACTIVATIONS,
  INITIALIZERS,
  LOSSES,
  MAX_LABEL_NOISE,
  MNIST_TRAIN_COUNT,
  NORMALIZATIONS,
  OPTIMIZERS,
  SCHEDULES,
  type TrainingConfig,
} from './config.ts';
import { optionsOf } from './displayNames.ts';
import {
  options,
  shortNameOf,
  parseNumber,
  parseChoice,
  parseToggle,
  onOff,
  plain,
  everyLayer,
  firstLayer,
  parseWidths,
  writeWidths,
} from './variantFieldParts.ts';

/**
 * The fields a comparison variant may change, one table row each: how to read the field from a
 * config, write it, say its value in words (legends), and parse it from the editor. A variant
 * names fields only by these ids, so "changes only the named fields" is checkable: each field
 * lists the config paths it writes (`*` matches any array index).
 */

export type VariantFieldId =
  | 'optimizer'
  | 'learningRate'
  | 'momentum'
  | 'batchSize'
  | 'epochs'
  | 'dropout'
  | 'batchNorm'
  | 'activation'
  | 'hiddenLayers'
  | 'init'
  | 'loss'
  | 'l2'
  | 'schedule'
  | 'rotation'
  | 'normalization'
  | 'trainingExamples'
  | 'labelNoise'
  | 'seed';

/** Batch size as a number of examples, or `'full'` for full-batch gradient descent. */
export type FieldValue = string | number | boolean;

export type ParsedValue =
  { readonly ok: true; readonly value: FieldValue } | { readonly ok: false; readonly error: string };

export interface VariantField {
  readonly id: VariantFieldId;
  /** Lower-case noun for legends and the editor: "learning rate". */
  readonly label: string;
  /** How the editor asks for the value. */
  readonly input: 'choice' | 'number' | 'toggle' | 'text';
  /** For `choice`: the allowed values and their names. */
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  /** A hint under the editor's input. */
  readonly help?: string;
  /** Config paths this field writes. */
  readonly paths: readonly string[];
  /**
   * Whether a different value means different initial weights (the network's shape, the
   * initialisation's scale, or the seed), so the comparison cannot start variants alike.
   */
  readonly changesInitialWeights: boolean;
  /** Whether a different value means a different data order (only the seed). */
  readonly changesDataOrder: boolean;
  read(config: TrainingConfig): FieldValue;
  /** A new config with the field set; unvalidated (the caller validates the whole config). */
  write(config: TrainingConfig, value: FieldValue): TrainingConfig;
  /** The value in words: "Adam", "0.001", "full batch", "on". */
  format(value: FieldValue): string;
  parse(text: string): ParsedValue;
}

export const VARIANT_FIELDS: readonly VariantField[] = [
  {
    id: 'optimizer',
    label: 'optimizer',
    input: 'choice',
    options: optionsOf(OPTIMIZERS, 'short'),
    help: 'Change the learning rate with it: each optimizer has its own good range.',
    paths: ['optimizer.kind'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.optimizer.kind,
    write: (c, v) => ({
      ...c,
      optimizer: { ...c.optimizer, kind: v as TrainingConfig['optimizer']['kind'] },
    }),
    format: shortNameOf(OPTIMIZERS),
    parse: (t) => parseChoice(t, 'optimizer', OPTIMIZERS),
  },
  {
    id: 'learningRate',
    label: 'learning rate',
    input: 'number',
    paths: ['optimizer.learningRate'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.optimizer.learningRate,
    write: (c, v) => ({ ...c, optimizer: { ...c.optimizer, learningRate: Number(v) } }),
    format: plain,
    parse: (t) => parseNumber(t, 'Learning rate', Number.MIN_VALUE, 100),
  },
  {
    id: 'momentum',
    label: 'momentum',
    input: 'number',
    help: 'Used by the Momentum optimizer.',
    paths: ['optimizer.momentum'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.optimizer.momentum,
    write: (c, v) => ({ ...c, optimizer: { ...c.optimizer, momentum: Number(v) } }),
    format: plain,
    parse: (t) => parseNumber(t, 'Momentum', 0, 0.999),
  },
  {
    id: 'batchSize',
    label: 'batch',
    input: 'text',
    help: 'Examples per step: a number (1 = stochastic), or "full" for full-batch gradient descent.',
    paths: ['training.gradientDescent', 'training.batchSize'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) =>
      c.training.gradientDescent === 'fullBatch'
        ? 'full'
        : c.training.gradientDescent === 'stochastic'
          ? 1
          : c.training.batchSize,
    write: (c, v) =>
      v === 'full'
        ? { ...c, training: { ...c.training, gradientDescent: 'fullBatch' } }
        : { ...c, training: { ...c.training, gradientDescent: 'miniBatch', batchSize: Number(v) } },
    format: (v) => (v === 'full' ? 'full' : String(v)),
    parse: (t) =>
      t.trim().toLowerCase() === 'full'
        ? { ok: true, value: 'full' }
        : parseNumber(t, 'Batch size', 1, 60_000, true),
  },
  {
    id: 'epochs',
    label: 'epochs',
    input: 'number',
    paths: ['training.epochs'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.training.epochs,
    write: (c, v) => ({ ...c, training: { ...c.training, epochs: Number(v) } }),
    format: plain,
    parse: (t) => parseNumber(t, 'Epochs', 1, 1000, true),
  },
  {
    id: 'dropout',
    label: 'dropout',
    input: 'number',
    help: 'Set on every hidden layer.',
    paths: ['model.hiddenLayers.*.dropout'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => firstLayer(c).dropout,
    write: (c, v) => everyLayer(c, { dropout: Number(v) }),
    format: plain,
    parse: (t) => parseNumber(t, 'Dropout', 0, 0.9),
  },
  {
    id: 'batchNorm',
    label: 'batch norm',
    input: 'toggle',
    help: 'On every hidden layer. Batch norm trains on TF.js ops, not the fused kernel, so it is slower per example.',
    paths: ['model.hiddenLayers.*.batchNorm'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => firstLayer(c).batchNorm,
    write: (c, v) => everyLayer(c, { batchNorm: v === true }),
    format: onOff,
    parse: parseToggle,
  },
  {
    id: 'activation',
    label: 'activation',
    input: 'choice',
    options: options(ACTIVATIONS),
    help: 'Set on every hidden layer.',
    paths: ['model.hiddenLayers.*.activation'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => firstLayer(c).activation,
    write: (c, v) => everyLayer(c, { activation: v as (typeof ACTIVATIONS)[number] }),
    format: plain,
    parse: (t) => parseChoice(t, 'activation', ACTIVATIONS),
  },
  {
    id: 'hiddenLayers',
    label: 'hidden layers',
    input: 'text',
    help: 'Widths, e.g. 250-100; empty for softmax regression. A different shape means different initial weights.',
    paths: ['model.hiddenLayers'],
    changesInitialWeights: true,
    changesDataOrder: false,
    read: (c) => c.model.hiddenLayers.map((l) => l.units).join('-'),
    write: writeWidths,
    format: (v) => (String(v) === '' ? 'none' : String(v)),
    parse: parseWidths,
  },
  {
    id: 'init',
    label: 'initialisation',
    input: 'choice',
    options: options(INITIALIZERS),
    help: 'Same random draws, scaled differently.',
    paths: ['model.init'],
    changesInitialWeights: true,
    changesDataOrder: false,
    read: (c) => c.model.init,
    write: (c, v) => ({ ...c, model: { ...c.model, init: v as (typeof INITIALIZERS)[number] } }),
    format: plain,
    parse: (t) => parseChoice(t, 'initialisation', INITIALIZERS),
  },
  {
    id: 'loss',
    label: 'loss',
    input: 'choice',
    options: optionsOf(LOSSES, 'short'),
    paths: ['loss.kind'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.loss.kind,
    write: (c, v) => ({ ...c, loss: { ...c.loss, kind: v as (typeof LOSSES)[number] } }),
    format: shortNameOf(LOSSES),
    parse: (t) => parseChoice(t, 'loss', LOSSES),
  },
  {
    id: 'l2',
    label: 'L2',
    input: 'number',
    paths: ['loss.l2'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.loss.l2,
    write: (c, v) => ({ ...c, loss: { ...c.loss, l2: Number(v) } }),
    format: plain,
    parse: (t) => parseNumber(t, 'L2', 0, 1),
  },
  {
    id: 'schedule',
    label: 'schedule',
    input: 'choice',
    options: options(SCHEDULES),
    paths: ['schedule.kind'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.schedule.kind,
    write: (c, v) => ({ ...c, schedule: { ...c.schedule, kind: v as (typeof SCHEDULES)[number] } }),
    format: plain,
    parse: (t) => parseChoice(t, 'schedule', SCHEDULES),
  },
  {
    id: 'rotation',
    label: 'rotation',
    input: 'number',
    help: 'Random rotation of training images, ±degrees.',
    paths: ['data.rotationDegrees'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.data.rotationDegrees,
    write: (c, v) => ({ ...c, data: { ...c.data, rotationDegrees: Number(v) } }),
    format: (v) => `±${String(v)}°`,
    parse: (t) => parseNumber(t, 'Rotation', 0, 45),
  },
  {
    id: 'normalization',
    label: 'inputs',
    input: 'choice',
    options: optionsOf(NORMALIZATIONS, 'short'),
    help: 'How pixel values are scaled before the network sees them.',
    paths: ['data.normalization'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.data.normalization,
    write: (c, v) => ({ ...c, data: { ...c.data, normalization: v as (typeof NORMALIZATIONS)[number] } }),
    format: shortNameOf(NORMALIZATIONS),
    parse: (t) => parseChoice(t, 'normalisation', NORMALIZATIONS),
  },
  {
    id: 'trainingExamples',
    label: 'training examples',
    input: 'text',
    help: 'A number, or "all" for everything left after the validation split. Fewer examples: a different data order.',
    paths: ['data.trainingExamples'],
    changesInitialWeights: false,
    changesDataOrder: true,
    read: (c) => c.data.trainingExamples ?? 'all',
    write: (c, v) => ({ ...c, data: { ...c.data, trainingExamples: v === 'all' ? null : Number(v) } }),
    format: plain,
    parse: (t) =>
      t.trim().toLowerCase() === 'all'
        ? { ok: true, value: 'all' }
        : parseNumber(t, 'Training examples', 1, MNIST_TRAIN_COUNT, true),
  },
  {
    id: 'labelNoise',
    label: 'label noise',
    input: 'number',
    help: 'Share of training labels swapped for a random wrong class, 0–0.9; validation keeps the true labels.',
    paths: ['data.labelNoise'],
    changesInitialWeights: false,
    changesDataOrder: false,
    read: (c) => c.data.labelNoise,
    write: (c, v) => ({ ...c, data: { ...c.data, labelNoise: Number(v) } }),
    format: plain,
    parse: (t) => parseNumber(t, 'Label noise', 0, MAX_LABEL_NOISE),
  },
  {
    id: 'seed',
    label: 'seed',
    input: 'number',
    help: 'A different seed draws different initial weights and data order: how much is luck?',
    paths: ['seed'],
    changesInitialWeights: true,
    changesDataOrder: true,
    read: (c) => c.seed,
    write: (c, v) => ({ ...c, seed: Number(v) }),
    format: plain,
    parse: (t) => parseNumber(t, 'Seed', 0, 0xffffffff, true),
  },
];

const BY_ID = new Map(VARIANT_FIELDS.map((field) => [field.id, field]));

export function variantField(id: VariantFieldId): VariantField {
  const field = BY_ID.get(id);
  if (field === undefined) throw new Error(`Unknown variant field ${id}`);
  return field;
}

export function isVariantFieldId(value: unknown): value is VariantFieldId {
  return typeof value === 'string' && BY_ID.has(value as VariantFieldId);
}
