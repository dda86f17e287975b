import { z } from 'zod';
import { MNIST_CLASSES, MNIST_PIXELS } from './idx.ts';

/**
 * The training config: one validated, versioned value. The UI form, the URL and config files are
 * only serialisations of it; nothing reaches the worker without passing {@link validateConfig}.
 */

/** Size of the official MNIST training file; the validation split is taken from it. */
export const MNIST_TRAIN_COUNT = 60_000;
export const MNIST_TEST_COUNT = 10_000;

export const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

const hiddenLayerSchema = z.strictObject({
  units: z
    .number()
    .int('Units must be a whole number')
    .min(1, 'Units must be at least 1')
    .max(4096, 'Units must be at most 4096'),
  activation: z.enum(ACTIVATIONS),
});

const optimizerSchema = z.strictObject({
  kind: z.literal('adam'),
  learningRate: z
    .number('Learning rate must be a number')
    .positive('Learning rate must be greater than 0')
    .max(10, 'Learning rate must be at most 10'),
});

export const trainingConfigSchema = z
  .strictObject({
    version: z.literal(1),
    seed: z.number().int('Seed must be a whole number').min(0).max(0xffffffff),
    hiddenLayers: z.array(hiddenLayerSchema).max(8, 'At most 8 hidden layers'),
    loss: z.literal('categorical-crossentropy'),
    optimizer: optimizerSchema,
    batchSize: z
      .number('Batch size must be a number')
      .int('Batch size must be a whole number')
      .min(1, 'Batch size must be at least 1')
      .max(MNIST_TRAIN_COUNT, `Batch size must be at most ${MNIST_TRAIN_COUNT}`),
    epochs: z
      .number('Epochs must be a number')
      .int('Epochs must be a whole number')
      .min(1, 'Epochs must be at least 1')
      .max(1000, 'Epochs must be at most 1000'),
    validationFraction: z
      .number('Validation fraction must be a number')
      .min(0, 'Validation fraction must be at least 0')
      .max(0.5, 'Validation fraction must be at most 0.5'),
    /** How many of the examples left after the validation split to train on; null = all. */
    trainingExamples: z
      .number('Training examples must be a number')
      .int('Training examples must be a whole number')
      .min(1, 'Training examples must be at least 1')
      .nullable(),
  })
  .superRefine((config, ctx) => {
    const available = availableTrainingExamples(config.validationFraction);
    if (config.trainingExamples !== null && config.trainingExamples > available) {
      ctx.addIssue({
        code: 'custom',
        path: ['trainingExamples'],
        message: `Training examples must be at most ${available.toLocaleString('en-US')} (what is left after the validation split)`,
      });
    }
  });

export type TrainingConfig = z.infer<typeof trainingConfigSchema>;
export type HiddenLayerConfig = TrainingConfig['hiddenLayers'][number];

/** The reference notebooks' MLP: 784-128-64-10, ReLU, Adam 1e-3, batch 128, 5 epochs, 10% validation. */
export const DEFAULT_CONFIG: TrainingConfig = {
  version: 1,
  seed: 42,
  hiddenLayers: [
    { units: 128, activation: 'relu' },
    { units: 64, activation: 'relu' },
  ],
  loss: 'categorical-crossentropy',
  optimizer: { kind: 'adam', learningRate: 0.001 },
  batchSize: 128,
  epochs: 5,
  validationFraction: 0.1,
  trainingExamples: null,
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
  return config.trainingExamples ?? availableTrainingExamples(config.validationFraction);
}

/** Layer widths including input and output, e.g. [784, 128, 64, 10]. */
export function layerSizes(config: Pick<TrainingConfig, 'hiddenLayers'>): number[] {
  return [MNIST_PIXELS, ...config.hiddenLayers.map((layer) => layer.units), MNIST_CLASSES];
}

/** Weights plus biases of a stack of dense layers: Σ (fanIn + 1) · fanOut. */
export function parameterCount(sizes: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += ((sizes[i - 1] ?? 0) + 1) * (sizes[i] ?? 0);
  return total;
}

/** Field path (e.g. "optimizer.learningRate") → human message. */
export type FieldErrors = Record<string, string>;

export type ConfigValidation =
  | { readonly ok: true; readonly config: TrainingConfig }
  | { readonly ok: false; readonly errors: FieldErrors };

/** Validates untrusted input (form, URL, file, message) into a config or field-level messages. */
export function validateConfig(input: unknown): ConfigValidation {
  const result = trainingConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '(config)';
    errors[path] ??= issue.message;
  }
  return { ok: false, errors };
}
