import {
  availableTrainingExamples,
  validateConfig,
  type ConfigValidation,
  type TrainingConfig,
} from '../core/config.ts';

/**
 * The form keeps what the user typed as text, so a half-typed "0." is not lost; each render
 * turns it into a config through the one validator, and problems are shown at their field.
 */
export interface ConfigFormValues {
  readonly learningRate: string;
  readonly batchSize: string;
  readonly epochs: string;
  readonly validationPercent: string;
  readonly trainingExamples: string;
  readonly seed: string;
}

export function formValuesFrom(config: TrainingConfig): ConfigFormValues {
  return {
    learningRate: String(config.optimizer.learningRate),
    batchSize: String(config.training.batchSize),
    epochs: String(config.training.epochs),
    validationPercent: String(config.data.validationFraction * 100),
    trainingExamples: String(
      config.data.trainingExamples ?? availableTrainingExamples(config.data.validationFraction),
    ),
    seed: String(config.seed),
  };
}

/** Empty or non-numeric text becomes NaN, which the schema reports as "must be a number". */
function toNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** Field name in the form → field path in the config, for placing messages. */
export const FIELD_PATHS: Record<keyof ConfigFormValues, string> = {
  learningRate: 'optimizer.learningRate',
  batchSize: 'training.batchSize',
  epochs: 'training.epochs',
  validationPercent: 'data.validationFraction',
  trainingExamples: 'data.trainingExamples',
  seed: 'seed',
};

export function configFromForm(base: TrainingConfig, values: ConfigFormValues): ConfigValidation {
  const validationFraction = toNumber(values.validationPercent) / 100;
  const trainingExamples = toNumber(values.trainingExamples);
  const available = Number.isFinite(validationFraction) ? availableTrainingExamples(validationFraction) : NaN;
  return validateConfig({
    ...base,
    optimizer: { ...base.optimizer, learningRate: toNumber(values.learningRate) },
    training: { ...base.training, batchSize: toNumber(values.batchSize), epochs: toNumber(values.epochs) },
    data: {
      ...base.data,
      validationFraction,
      // Training on everything that is left is stored as null, so the config stays valid if the split changes.
      trainingExamples: trainingExamples === available ? null : trainingExamples,
    },
    seed: toNumber(values.seed),
  });
}
