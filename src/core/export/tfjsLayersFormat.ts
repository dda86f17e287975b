import type { Activation } from '../config.ts';
import type { NormalizationStats } from '../normalization.ts';

/**
 * What the TF.js Layers writer (`tfjsLayersExport.ts`) and reader (`tfjsLayersImport.ts`) agree
 * on: how our activations, weight names and input normalisation are spelled in a Keras-style
 * `model.json` (the `layers-model` format `tf.loadLayersModel` reads). Written once here so a
 * model written by one is read back by the other bit for bit.
 */

/** The `format` field of a TF.js Layers `model.json`. */
export const TFJS_LAYERS_FORMAT = 'layers-model';

/** Leaky ReLU's negative slope in this playground (PyTorch's default; Keras's is 0.3). */
export const LEAKY_RELU_SLOPE = 0.01;

/** Our activations that Keras spells as an activation string (`Dense({activation})`, `Activation`). */
export type KerasNamedActivation = Exclude<Activation, 'leakyRelu' | 'gelu'>;

/**
 * Our activations as Keras activation strings. Not leaky ReLU (a `LeakyReLU` layer with its
 * slope) nor GELU: ours is the tanh approximation (`src/ml/activations.ts`), which TF.js Layers
 * names `gelu_new` but cannot read back from a `model.json` (4.22 camel-cases every string of the
 * config into `geluNew`, an unknown name), and its `gelu` is the exact erf form, up to 1e-3 away.
 */
export const KERAS_ACTIVATIONS: Readonly<Record<KerasNamedActivation, string>> = {
  relu: 'relu',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  linear: 'linear',
};

/** Our activation for a Keras activation string, or null when this playground has none like it. */
export function activationFromKeras(name: string): KerasNamedActivation | null {
  for (const [ours, keras] of Object.entries(KERAS_ACTIVATIONS)) {
    if (keras === name) return ours as KerasNamedActivation;
  }
  return null;
}

/** The last part of our parameter names (`dense0.kernel`, `bn1.runningVar`) → Keras weight names. */
export const KERAS_WEIGHT_NAMES = {
  kernel: 'kernel',
  bias: 'bias',
  gamma: 'gamma',
  beta: 'beta',
  runningMean: 'moving_mean',
  runningVar: 'moving_variance',
} as const;

export type ParameterPart = keyof typeof KERAS_WEIGHT_NAMES;

/** `dense0.kernel` → `dense0/kernel`, `bn1.runningVar` → `bn1/moving_variance`. */
export function kerasWeightName(parameterName: string): string {
  const [layerName = '', part = ''] = parameterName.split('.');
  if (!(part in KERAS_WEIGHT_NAMES)) throw new Error(`Unknown parameter ${parameterName}`);
  return `${layerName}/${KERAS_WEIGHT_NAMES[part as ParameterPart]}`;
}

/**
 * Our input normalisation `(x/255 − mean)/std` as a Keras `Rescaling` layer `x·scale + offset`
 * on raw 0–255 pixels: scale = 1/(255·std), offset = −mean/std.
 */
export function rescalingOf(stats: NormalizationStats): { readonly scale: number; readonly offset: number } {
  return { scale: 1 / (255 * stats.std), offset: -stats.mean / stats.std };
}

/** The inverse of {@link rescalingOf}; `scale` must be positive. */
export function normalizationOfRescaling(scale: number, offset: number): NormalizationStats {
  const std = 1 / (255 * scale);
  return { mean: -offset * std, std };
}
