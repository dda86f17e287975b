import type {
  Activation,
  GradientDescent,
  Initializer,
  LossKind,
  Normalization,
  OptimizerKind,
  ScheduleKind,
  SplitMethod,
} from '../core/config.ts';

/** What a person reads for each schema value; the config stores the keys. */

export const ACTIVATION_NAMES: Record<Activation, string> = {
  relu: 'ReLU',
  leakyRelu: 'Leaky ReLU',
  elu: 'ELU',
  gelu: 'GELU',
  selu: 'SELU',
  sigmoid: 'Sigmoid',
  tanh: 'tanh',
  linear: 'Linear (none)',
};

export const INITIALIZER_NAMES: Record<Initializer, string> = {
  he: 'He (Kaiming) normal',
  glorot: 'Glorot (Xavier) uniform',
  smallNormal: 'Small normal (σ = 0.01)',
};

export const LOSS_NAMES: Record<LossKind, string> = {
  crossEntropy: 'Cross-entropy',
  mse: 'Mean squared error',
  hinge: 'Multi-class hinge',
};

export const OPTIMIZER_NAMES: Record<OptimizerKind, string> = {
  sgd: 'SGD',
  momentum: 'SGD with momentum',
  adam: 'Adam',
  adamw: 'AdamW',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
};

export const SCHEDULE_NAMES: Record<ScheduleKind, string> = {
  constant: 'Constant',
  step: 'Step decay',
  cosine: 'Cosine annealing',
};

export const GRADIENT_DESCENT_NAMES: Record<GradientDescent, string> = {
  stochastic: 'Stochastic (batch 1)',
  miniBatch: 'Mini-batch',
  fullBatch: 'Full batch',
};

export const NORMALIZATION_NAMES: Record<Normalization, string> = {
  scale: 'pixels / 255',
  center: '(x − 0.5) / 0.5',
  standardize: 'Standardise (training mean/std)',
};

export const SPLIT_NAMES: Record<SplitMethod, string> = {
  random: 'Random (with the seed)',
  first: 'First N% in file order',
};

/** Options for a select, in the schema's order. */
export function optionsOf<T extends string>(names: Record<T, string>): { value: T; label: string }[] {
  return (Object.keys(names) as T[]).map((value) => ({ value, label: names[value] }));
}
