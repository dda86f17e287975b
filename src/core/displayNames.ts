import type {
  Activation,
  GradientDescent,
  Initializer,
  LossKind,
  Normalization,
  OptimizerKind,
  ScheduleKind,
  SplitMethod,
} from './config.ts';

/**
 * What a person reads for each config value, in one table: the config stores the keys, and the
 * form, the comparison legends, the run history and the divergence message all read their words
 * from here, so a name cannot drift between them. Pure (no DOM, no React), so the CLI may use it.
 */

/** Every value of a config choice that has a display name. The kinds share no value. */
export type NamedValue =
  | Activation
  | Initializer
  | LossKind
  | OptimizerKind
  | ScheduleKind
  | GradientDescent
  | Normalization
  | SplitMethod;

/**
 * A value's words: `name` in the form's select and in sentences; `short`, where present, where
 * room is tight (comparison legends, table cells) and `name` would crowd, e.g. "Momentum" for
 * "SGD with momentum". Without `short`, the name serves both.
 */
export interface DisplayName {
  readonly name: string;
  readonly short?: string;
}

/** Grouped by kind; each kind's order here is irrelevant (options follow the schema's arrays). */
export const DISPLAY_NAMES: Readonly<Record<NamedValue, DisplayName>> = {
  // Activations, as papers write them (the architecture chips show them too).
  relu: { name: 'ReLU' },
  leakyRelu: { name: 'Leaky ReLU' },
  elu: { name: 'ELU' },
  gelu: { name: 'GELU' },
  selu: { name: 'SELU' },
  sigmoid: { name: 'Sigmoid' },
  tanh: { name: 'tanh' },
  linear: { name: 'Linear (none)' },
  // Weight initialisations: both of a scheme's common names, and its distribution.
  he: { name: 'He (Kaiming) normal' },
  glorot: { name: 'Glorot (Xavier) normal' },
  smallNormal: { name: 'Small normal (σ = 0.01)' },
  pytorch: { name: 'PyTorch default (uniform ±1/√fan-in)', short: 'PyTorch default' },
  // Losses, spelled out in the form and abbreviated in legends.
  crossEntropy: { name: 'Cross-entropy', short: 'cross-entropy' },
  mse: { name: 'Mean squared error', short: 'MSE' },
  hinge: { name: 'Multi-class hinge', short: 'hinge' },
  // Optimizers; a legend names momentum by the kind alone.
  sgd: { name: 'SGD' },
  momentum: { name: 'SGD with momentum', short: 'Momentum' },
  adam: { name: 'Adam' },
  adamw: { name: 'AdamW' },
  rmsprop: { name: 'RMSprop' },
  adagrad: { name: 'Adagrad' },
  // Learning-rate schedules.
  constant: { name: 'Constant' },
  step: { name: 'Step decay' },
  cosine: { name: 'Cosine annealing' },
  // Gradient-descent kinds: stochastic says its batch size, which is what it means here.
  stochastic: { name: 'Stochastic (batch 1)' },
  miniBatch: { name: 'Mini-batch' },
  fullBatch: { name: 'Full batch' },
  // Input scalings: the formula is the name, tighter in a legend.
  scale: { name: 'pixels / 255', short: 'pixels/255' },
  center: { name: '(x − 0.5) / 0.5', short: '(x−0.5)/0.5' },
  standardize: { name: 'Standardise (training mean/std)', short: 'standardised' },
  // How the validation split is drawn from the training file.
  random: { name: 'Random (with the seed)' },
  first: { name: 'First N% in file order' },
};

/** The value's name: "SGD with momentum", "pixels / 255". */
export function displayName(value: NamedValue): string {
  return DISPLAY_NAMES[value].name;
}

/** The value's short name where it has one, else its name: "Momentum", "pixels/255", "Adam". */
export function shortName(value: NamedValue): string {
  const entry = DISPLAY_NAMES[value];
  return entry.short ?? entry.name;
}

/** A select's options for one kind's values, in the schema's order: names, or short names. */
export function optionsOf<T extends NamedValue>(
  values: readonly T[],
  form: 'name' | 'short' = 'name',
): { readonly value: T; readonly label: string }[] {
  return values.map((value) => ({ value, label: form === 'name' ? displayName(value) : shortName(value) }));
}
