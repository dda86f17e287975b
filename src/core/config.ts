import { z } from 'zod';
import { describeValue } from './describeValue.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from './idx.ts';

// Zod's JIT probes `new Function('')` on the first object parse; under the page's
// Content-Security-Policy (no 'unsafe-eval') that probe is a reported violation. Every schema
// module imports this one, so this runs before any parse.
z.config({ jitless: true });

/**
 * The training config: one validated, versioned value. The UI form, the page URL, JSON files and
 * the CLI are only serialisations of it; nothing reaches the worker without passing
 * {@link validateConfig}. Older versions are migrated in {@link migrateConfig}.
 */

export const CONFIG_VERSION = 2;

/** Size of the official MNIST training file; the validation split is taken from it. */
export const MNIST_TRAIN_COUNT = 60_000;
export const MNIST_TEST_COUNT = 10_000;

export const ACTIVATIONS = ['relu', 'leakyRelu', 'elu', 'gelu', 'selu', 'sigmoid', 'tanh', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * How the initial weights are drawn (`src/ml/mlp.ts`). `pytorch` is `nn.Linear`'s default
 * (Kaiming-uniform with a = √5: kernels and biases U(±1/√fanIn)), the one the reference notebooks
 * train with; the others draw normal kernels and zero biases.
 */
export const INITIALIZERS = ['he', 'glorot', 'smallNormal', 'pytorch'] as const;
export type Initializer = (typeof INITIALIZERS)[number];

export const LOSSES = ['crossEntropy', 'mse', 'hinge'] as const;
export type LossKind = (typeof LOSSES)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];

export const SCHEDULES = ['constant', 'step', 'cosine'] as const;
export type ScheduleKind = (typeof SCHEDULES)[number];

export const GRADIENT_DESCENT = ['stochastic', 'miniBatch', 'fullBatch'] as const;
export type GradientDescent = (typeof GRADIENT_DESCENT)[number];

export const NORMALIZATIONS = ['scale', 'center', 'standardize'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];

export const SPLIT_METHODS = ['random', 'first'] as const;
export type SplitMethod = (typeof SPLIT_METHODS)[number];

export const MAX_HIDDEN_LAYERS = 8;

/** Largest share of training labels the label-noise knob may replace (at 1 nothing true is left). */
export const MAX_LABEL_NOISE = 0.9;

/** Largest config file read (the CLI's `--config`; the page's Import config has its own); a real one is about 1 kB. */
export const MAX_CONFIG_FILE_BYTES = 100_000;

const number = (label: string) =>
  z.number(`${label} must be a number`).refine(Number.isFinite, `${label} must be finite`);
const integer = (label: string) => number(label).pipe(z.number().int(`${label} must be a whole number`));
const between = (label: string, min: number, max: number) =>
  number(label)
    .pipe(z.number().min(min, `${label} must be at least ${min}`))
    .pipe(z.number().max(max, `${label} must be at most ${max}`));
const intBetween = (label: string, min: number, max: number) =>
  integer(label)
    .pipe(z.number().min(min, `${label} must be at least ${min}`))
    .pipe(z.number().max(max, `${label} must be at most ${max}`));
const positiveUpTo = (label: string, max: number) =>
  number(label)
    .pipe(z.number().positive(`${label} must be greater than 0`))
    .pipe(z.number().max(max, `${label} must be at most ${max}`));

const hiddenLayerSchema = z.strictObject({
  units: intBetween('Units', 1, 4096),
  activation: z.enum(ACTIVATIONS, 'Unknown activation'),
  /** Fraction of this layer's outputs zeroed during training (inverted dropout). */
  dropout: between('Dropout', 0, 0.9),
  /** Batch normalisation between the dense layer and its activation. */
  batchNorm: z.boolean('Batch norm must be on or off'),
});

const modelSchema = z.strictObject({
  hiddenLayers: z
    .array(hiddenLayerSchema)
    .max(MAX_HIDDEN_LAYERS, `At most ${MAX_HIDDEN_LAYERS} hidden layers`),
  inputDropout: between('Input dropout', 0, 0.9),
  init: z.enum(INITIALIZERS, 'Unknown weight initialisation'),
});

const lossSchema = z.strictObject({
  kind: z.enum(LOSSES, 'Unknown loss'),
  /** Coefficient of Σw² over kernels (biases and batch-norm parameters are not decayed). */
  l2: between('L2', 0, 1),
  /** Coefficient of Σ|w| over kernels. */
  l1: between('L1', 0, 1),
  /** Targets become (1 − ε)·onehot + ε/10. */
  labelSmoothing: between('Label smoothing', 0, 0.5),
});

const optimizerSchema = z.strictObject({
  kind: z.enum(OPTIMIZERS, 'Unknown optimizer'),
  learningRate: positiveUpTo('Learning rate', 100),
  /** Used by `momentum`. */
  momentum: between('Momentum', 0, 0.999),
  /** Used by `momentum`. */
  nesterov: z.boolean(),
  /** Used by `adam` and `adamw`. */
  beta1: between('β1', 0, 0.9999),
  beta2: between('β2', 0, 0.99999),
  /** Used by `adam`, `adamw`, `rmsprop`, `adagrad` (as its initial accumulator). */
  epsilon: positiveUpTo('ε', 1),
  /** Used by `rmsprop`: decay of the squared-gradient average. */
  rho: between('ρ', 0, 0.9999),
  /** Used by `adamw`: decoupled weight decay per step, times the learning rate. */
  weightDecay: between('Weight decay', 0, 1),
});

const scheduleSchema = z.strictObject({
  kind: z.enum(SCHEDULES, 'Unknown schedule'),
  /** Step decay: multiply the rate by `gamma` every `stepEpochs` epochs. */
  stepEpochs: intBetween('Step every', 1, 1000),
  gamma: between('Decay factor', 0, 1),
  /** Cosine: anneal from the learning rate down to this floor over all epochs. */
  minLearningRate: between('Minimum learning rate', 0, 100),
});

const trainingSchema = z.strictObject({
  gradientDescent: z.enum(GRADIENT_DESCENT, 'Unknown gradient descent kind'),
  /** Used by `miniBatch`; stochastic means 1 and full batch means all training examples. */
  batchSize: intBetween('Batch size', 1, MNIST_TRAIN_COUNT),
  epochs: intBetween('Epochs', 1, 1000),
});

const dataSchema = z.strictObject({
  normalization: z.enum(NORMALIZATIONS, 'Unknown normalization'),
  /** Random rotation in ±degrees, training batches only. */
  rotationDegrees: between('Rotation', 0, 45),
  /** Random crop after zero-padding by this many pixels (torchvision RandomCrop(28, padding)). */
  cropPadding: intBetween('Crop padding', 0, 8),
  /** Random translation by up to this many pixels in x and y. */
  shiftPixels: intBetween('Shift', 0, 8),
  validationFraction: between('Validation fraction', 0, 0.5),
  /** `first`: train on the first (1 − f) of the file, validate on the rest; `random`: seeded shuffle. */
  splitMethod: z.enum(SPLIT_METHODS, 'Unknown split method'),
  /** How many of the examples left after the split to train on; null = all of them. */
  trainingExamples: intBetween('Training examples', 1, MNIST_TRAIN_COUNT).nullable(),
  /**
   * Share of the training examples whose label is replaced by a different, random class (seeded,
   * `core/labelNoise.ts`), for watching a network memorise noise; validation and test labels are
   * never changed. Absent in configs written before it existed, which means 0.
   */
  labelNoise: between('Label noise', 0, MAX_LABEL_NOISE).default(0),
});

export const trainingConfigSchema = z
  .strictObject({
    version: z.literal(CONFIG_VERSION, `Config version must be ${CONFIG_VERSION}`),
    /** A name shown in the UI and reports; optional, no effect on training. */
    name: z.string().max(120, 'Name must be at most 120 characters').optional(),
    seed: intBetween('Seed', 0, 0xffffffff),
    model: modelSchema,
    loss: lossSchema,
    optimizer: optimizerSchema,
    schedule: scheduleSchema,
    training: trainingSchema,
    data: dataSchema,
  })
  .superRefine((config, ctx) => {
    const available = availableTrainingExamples(config.data.validationFraction);
    if (config.data.trainingExamples !== null && config.data.trainingExamples > available) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'trainingExamples'],
        message: `Training examples must be at most ${available.toLocaleString('en-US')} (what is left after the validation split)`,
      });
    }
    if (
      config.schedule.kind === 'cosine' &&
      config.schedule.minLearningRate > config.optimizer.learningRate
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedule', 'minLearningRate'],
        message: 'Minimum learning rate must not exceed the learning rate',
      });
    }
  });

export type TrainingConfig = z.infer<typeof trainingConfigSchema>;
export type HiddenLayerConfig = TrainingConfig['model']['hiddenLayers'][number];
export type OptimizerConfig = TrainingConfig['optimizer'];

export const DEFAULT_HIDDEN_LAYER: HiddenLayerConfig = {
  units: 64,
  activation: 'relu',
  dropout: 0,
  batchNorm: false,
};

/** Defaults per optimizer: PyTorch's, so results match the reference notebooks. */
export const OPTIMIZER_DEFAULTS: Record<OptimizerKind, Pick<OptimizerConfig, 'learningRate'>> = {
  sgd: { learningRate: 0.1 },
  momentum: { learningRate: 0.01 },
  adam: { learningRate: 0.001 },
  adamw: { learningRate: 0.001 },
  rmsprop: { learningRate: 0.001 },
  adagrad: { learningRate: 0.01 },
};

/** The reference notebooks' MLP: 784-128-64-10, ReLU, Adam 1e-3, batch 128, 5 epochs, 10% validation. */
export const DEFAULT_CONFIG: TrainingConfig = {
  version: CONFIG_VERSION,
  seed: 42,
  model: {
    hiddenLayers: [
      { units: 128, activation: 'relu', dropout: 0, batchNorm: false },
      { units: 64, activation: 'relu', dropout: 0, batchNorm: false },
    ],
    inputDropout: 0,
    init: 'he',
  },
  loss: { kind: 'crossEntropy', l2: 0, l1: 0, labelSmoothing: 0 },
  optimizer: {
    kind: 'adam',
    learningRate: 0.001,
    momentum: 0.9,
    nesterov: false,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    rho: 0.9,
    weightDecay: 0.01,
  },
  schedule: { kind: 'constant', stepEpochs: 2, gamma: 0.5, minLearningRate: 0 },
  training: { gradientDescent: 'miniBatch', batchSize: 128, epochs: 5 },
  data: {
    normalization: 'scale',
    rotationDegrees: 0,
    cropPadding: 0,
    shiftPixels: 0,
    validationFraction: 0.1,
    splitMethod: 'random',
    trainingExamples: null,
    labelNoise: 0,
  },
};

/** Number of validation examples carved from the 60,000 training images. */
export function validationCount(validationFraction: number): number {
  return Math.round(MNIST_TRAIN_COUNT * validationFraction);
}

/** Training examples left after the validation split (54,000 at the default 10%). */
export function availableTrainingExamples(validationFraction: number): number {
  return MNIST_TRAIN_COUNT - validationCount(validationFraction);
}

/** Training examples a config actually uses. */
export function effectiveTrainingExamples(config: TrainingConfig): number {
  return config.data.trainingExamples ?? availableTrainingExamples(config.data.validationFraction);
}

/** Examples per optimisation step: 1 for stochastic, everything for full batch. */
export function effectiveBatchSize(config: TrainingConfig): number {
  const examples = effectiveTrainingExamples(config);
  switch (config.training.gradientDescent) {
    case 'stochastic':
      return 1;
    case 'fullBatch':
      return examples;
    case 'miniBatch':
      return Math.min(config.training.batchSize, examples);
  }
}

/** Layer widths including input and output, e.g. [784, 128, 64, 10]. */
export function layerSizes(config: TrainingConfig): number[] {
  return [MNIST_PIXELS, ...config.model.hiddenLayers.map((layer) => layer.units), MNIST_CLASSES];
}

/** Weights plus biases of a stack of dense layers: Σ (fanIn + 1) · fanOut. */
export function parameterCount(sizes: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += ((sizes[i - 1] ?? 0) + 1) * (sizes[i] ?? 0);
  return total;
}

/**
 * Trainable parameters of a config: dense weights and biases plus γ and β of each batch-norm
 * layer (its running mean and variance are statistics, not parameters, as in PyTorch).
 */
export function configParameterCount(config: TrainingConfig): number {
  const batchNorm = config.model.hiddenLayers.reduce((sum, l) => sum + (l.batchNorm ? 2 * l.units : 0), 0);
  return parameterCount(layerSizes(config)) + batchNorm;
}

/** Field path (e.g. "optimizer.learningRate") → human message. */
export type FieldErrors = Record<string, string>;

export type ConfigValidation =
  | { readonly ok: true; readonly config: TrainingConfig }
  | { readonly ok: false; readonly errors: FieldErrors };

/** Validates untrusted input (form, URL, file, message) into a config or field-level messages. */
export function validateConfig(input: unknown): ConfigValidation {
  const migrated = migrateConfig(input);
  if (!migrated.ok) return migrated;
  const result = trainingConfigSchema.safeParse(migrated.value);
  if (result.success) return { ok: true, config: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '(config)';
    errors[path] ??= issue.message;
  }
  return { ok: false, errors };
}

type Migration = { ok: true; value: unknown } | { ok: false; errors: FieldErrors };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Brings an older config up to {@link CONFIG_VERSION}; a newer or unknown version is refused with
 * a message rather than guessed at. Version 1 was the skeleton's flat config (Adam, CE, ReLU).
 */
export function migrateConfig(input: unknown): Migration {
  if (!isRecord(input)) return { ok: false, errors: { '(config)': 'A config must be a JSON object' } };
  const version = input['version'];
  if (version === CONFIG_VERSION) return { ok: true, value: input };
  if (typeof version === 'number' && version > CONFIG_VERSION) {
    return {
      ok: false,
      errors: {
        version: `This config is version ${version}, newer than this app understands (${CONFIG_VERSION}); update the app`,
      },
    };
  }
  if (version === 1) return { ok: true, value: fromVersion1(input) };
  return {
    ok: false,
    errors: { version: `Unknown config version ${describeValue(version)}` },
  };
}

function fromVersion1(v1: Record<string, unknown>): unknown {
  const layers: unknown[] = Array.isArray(v1['hiddenLayers']) ? v1['hiddenLayers'] : [];
  const optimizer = isRecord(v1['optimizer']) ? v1['optimizer'] : {};
  // An index loop, not `map`: `map` consults the array's own `constructor` (which a hostile
  // object can set), and one layer past the limit is enough for the schema to refuse the rest.
  const hiddenLayers: unknown[] = [];
  for (let i = 0; i < Math.min(layers.length, MAX_HIDDEN_LAYERS + 1); i++) {
    const layer = layers[i];
    hiddenLayers.push({ ...DEFAULT_HIDDEN_LAYER, ...(isRecord(layer) ? layer : {}) });
  }
  return {
    ...DEFAULT_CONFIG,
    seed: v1['seed'],
    model: { ...DEFAULT_CONFIG.model, hiddenLayers },
    optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: optimizer['learningRate'] },
    training: { gradientDescent: 'miniBatch', batchSize: v1['batchSize'], epochs: v1['epochs'] },
    data: {
      ...DEFAULT_CONFIG.data,
      validationFraction: v1['validationFraction'],
      trainingExamples: v1['trainingExamples'],
    },
  };
}
