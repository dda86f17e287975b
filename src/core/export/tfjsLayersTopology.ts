import { BATCH_NORM_EPSILON } from '../batchNorm.ts';
import type { Activation, HiddenLayerConfig } from '../config.ts';
import { describeValue } from '../describeValue.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../idx.ts';
import { sizeOf } from '../modelParameters.ts';
import type { NormalizationStats } from '../normalization.ts';
import {
  LEAKY_RELU_SLOPE,
  activationFromKeras,
  normalizationOfRescaling,
  type ParameterPart,
} from './tfjsLayersFormat.ts';

/**
 * Reads the layers of a `Sequential` Keras topology written elsewhere (not by this playground)
 * into this playground's architecture: optional `InputLayer`/`Flatten`, an optional `Rescaling`
 * (the input normalisation) and input `Dropout`, then per layer a `Dense`, an optional
 * `BatchNormalization`, an activation (the Dense's own, or an `Activation`, `LeakyReLU` (slope
 * 0.01), `ReLU` or `Softmax` layer) and an optional `Dropout`; the last `Dense` has 10 units and a
 * linear or softmax output. Anything else is refused with a message naming the layer.
 */

/** Where one of our parameters comes from: a Keras layer's weight (plus a constant), or a constant. */
export type WeightSource =
  | { readonly kind: 'weight'; readonly layer: string; readonly weight: string; readonly add: number }
  | { readonly kind: 'constant'; readonly value: number };

export interface ForeignArchitecture {
  readonly hiddenLayers: readonly HiddenLayerConfig[];
  readonly inputDropout: number;
  /** From the `Rescaling` layer; null when there is none (the model reads raw 0–255 pixels). */
  readonly normalization: NormalizationStats | null;
  /** For each of our parameter names (`dense0.kernel`, `bn0.runningVar` …), where it comes from. */
  readonly sources: ReadonlyMap<string, WeightSource>;
}

interface KerasLayer {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** One dense layer and what follows it, while walking the layers. */
interface Block {
  readonly dense: string;
  readonly units: number;
  readonly useBias: boolean;
  /** Null while still linear (an activation layer may follow). */
  activation: Activation | 'softmax' | null;
  batchNorm: { readonly layer: string; readonly epsilon: number; center: boolean; scale: boolean } | null;
  dropout: number | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Keras config's field, snake_case or camelCase (TF.js accepts both). */
function field(config: Readonly<Record<string, unknown>>, snake: string): unknown {
  return config[snake] ?? config[snake.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())];
}

const SUPPORTED =
  'this playground reads sequential models of Dense, BatchNormalization, Dropout, Activation, LeakyReLU and Rescaling layers';

class TopologyError extends Error {}

const fail = (message: string): never => {
  throw new TopologyError(message);
};

/** The `Sequential` model's layers, or a message saying why there are none to read. */
function sequentialLayers(topology: unknown): KerasLayer[] {
  const model = isRecord(topology) && isRecord(topology.model_config) ? topology.model_config : topology;
  if (!isRecord(model)) return fail('Its modelTopology is not a Keras model.');
  const className = model.class_name;
  if (className === 'Model' || className === 'Functional') {
    fail(`It is a functional model (${className}); ${SUPPORTED}.`);
  }
  if (className !== 'Sequential') fail(`Its model is a ${describeValue(className, 40)}; ${SUPPORTED}.`);
  const config = model.config;
  const layers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(layers) || layers.length === 0) fail('Its Sequential model lists no layers.');
  return (layers as unknown[]).map((layer, i) => {
    if (!isRecord(layer) || typeof layer.class_name !== 'string' || !isRecord(layer.config)) {
      return fail(`Layer ${i + 1} is not a Keras layer (no class_name and config).`);
    }
    const name = typeof layer.config.name === 'string' ? layer.config.name : `layer ${i + 1}`;
    return { className: layer.class_name, name, config: layer.config };
  });
}

function number(layer: KerasLayer, key: string, fallback?: number): number {
  const value = field(layer.config, key) ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(`Layer ${layer.name} (${layer.className}): its ${key} ${describeValue(value, 20)} is not a number.`);
  }
  return value as number;
}

/** The input shape a layer declares (without the batch dimension), or null. */
function declaredInput(layer: KerasLayer): number[] | null {
  const shape = field(layer.config, 'batch_input_shape') ?? field(layer.config, 'batch_shape');
  if (!Array.isArray(shape)) return null;
  return shape.slice(1).map((d) => (typeof d === 'number' ? d : Number.NaN));
}

function activationOf(layer: KerasLayer, name: unknown): Activation | 'softmax' | null {
  if (name === 'softmax') return 'softmax';
  if (name === 'linear') return null;
  const ours = typeof name === 'string' ? activationFromKeras(name) : null;
  if (ours === null) {
    return fail(
      `Layer ${layer.name} (${layer.className}) uses the activation ${describeValue(name, 30)}, which this playground does not have (it reads relu, elu, selu, sigmoid, tanh, linear, softmax on the output, and LeakyReLU layers of slope 0.01).`,
    );
  }
  return ours;
}

/** Walks `topology`'s layers (see the module comment); throws a message on anything else. */
function walk(topology: unknown) {
  const layers = sequentialLayers(topology);
  const blocks: Block[] = [];
  let normalization: NormalizationStats | null = null;
  let inputDropout: number | null = null;
  let inputShape: number[] | null = null;
  let flattened = false;
  for (const layer of layers) {
    inputShape ??= declaredInput(layer);
    const block = blocks[blocks.length - 1];
    const where = `Layer ${layer.name} (${layer.className})`;
    const needsBlock = (what: string): Block =>
      blocks[blocks.length - 1] ?? fail(`${where} comes before the first Dense layer; ${what}.`);
    const setActivation = (activation: Activation | 'softmax' | null) => {
      const target = needsBlock('activations follow a Dense layer');
      if (target.dropout !== null) fail(`${where} comes after a Dropout; this playground puts dropout last.`);
      if (activation === null) return;
      if (target.activation !== null) fail(`${where} follows another activation of ${target.dense}.`);
      target.activation = activation;
    };
    switch (layer.className) {
      case 'InputLayer':
        break;
      case 'Flatten':
        if (block !== undefined) fail(`${where} comes after a Dense layer; ${SUPPORTED}.`);
        flattened = true;
        break;
      case 'Rescaling': {
        if (block !== undefined || normalization !== null) {
          fail(
            `${where}: only one Rescaling, before the first Dense layer, is read (the input normalisation).`,
          );
        }
        const scale = number(layer, 'scale');
        if (scale <= 0) fail(`${where}: its scale ${scale} must be positive.`);
        normalization = normalizationOfRescaling(scale, number(layer, 'offset', 0));
        break;
      }
      case 'Dense': {
        const units = number(layer, 'units');
        const useBias = field(layer.config, 'use_bias') !== false;
        blocks.push({ dense: layer.name, units, useBias, activation: null, batchNorm: null, dropout: null });
        setActivation(activationOf(layer, field(layer.config, 'activation') ?? 'linear'));
        break;
      }
      case 'BatchNormalization': {
        const target = needsBlock('batch norm follows a Dense layer');
        if (target.activation !== null || target.dropout !== null || target.batchNorm !== null) {
          fail(
            `${where} comes after ${target.dense}'s activation; this playground puts batch norm before it.`,
          );
        }
        const axis = field(layer.config, 'axis') ?? -1;
        if (axis !== -1 && axis !== 1 && !(Array.isArray(axis) && axis.length === 1 && axis[0] === -1)) {
          fail(`${where} normalises axis ${describeValue(axis, 20)}; only the last axis is read.`);
        }
        target.batchNorm = {
          layer: layer.name,
          epsilon: number(layer, 'epsilon', 0.001),
          center: field(layer.config, 'center') !== false,
          scale: field(layer.config, 'scale') !== false,
        };
        break;
      }
      case 'Activation':
        setActivation(activationOf(layer, field(layer.config, 'activation')));
        break;
      case 'Softmax':
        setActivation('softmax');
        break;
      case 'ReLU':
        if ((field(layer.config, 'max_value') ?? null) !== null || number(layer, 'negative_slope', 0) !== 0) {
          fail(`${where} is a capped or leaky ReLU; ${SUPPORTED}.`);
        }
        setActivation('relu');
        break;
      case 'LeakyReLU': {
        const alpha = number(layer, 'alpha', 0.3);
        if (alpha !== LEAKY_RELU_SLOPE) {
          fail(`${where} has slope ${alpha}; this playground's leaky ReLU has slope ${LEAKY_RELU_SLOPE}.`);
        }
        setActivation('leakyRelu');
        break;
      }
      case 'Dropout': {
        const rate = number(layer, 'rate');
        if (block === undefined) {
          if (inputDropout !== null) fail(`${where} is a second Dropout on the input.`);
          inputDropout = rate;
        } else {
          if (block.dropout !== null) fail(`${where} is a second Dropout after ${block.dense}.`);
          block.dropout = rate;
        }
        break;
      }
      default:
        fail(`${where} is not supported: ${SUPPORTED}.`);
    }
  }
  return { blocks, normalization, inputDropout: inputDropout ?? 0, inputShape, flattened };
}

function checkInput(inputShape: readonly number[] | null, flattened: boolean): void {
  if (inputShape === null) return;
  const described = `[${inputShape.join(', ')}]`;
  if (sizeOf(inputShape) !== MNIST_PIXELS) {
    fail(
      `The model takes inputs of shape ${described}; this playground's models take ${MNIST_PIXELS} pixels (28×28).`,
    );
  }
  if (inputShape.length > 1 && !flattened) {
    fail(
      `The model takes inputs of shape ${described} without a Flatten layer; a Dense layer would read only the last axis.`,
    );
  }
}

/**
 * Our architecture and where each parameter comes from, or a {@link TopologyError} message. Batch
 * norm with another ε is read exactly by moving the difference into the running variance
 * (`(z − μ)/√(σ² + ε′)` = `(z − μ)/√((σ² + ε′ − ε) + ε)`); a missing bias, γ or β is a constant.
 */
export function readForeignTopology(
  topology: unknown,
): { ok: true; architecture: ForeignArchitecture } | { ok: false; error: string } {
  try {
    const { blocks, normalization, inputDropout, inputShape, flattened } = walk(topology);
    checkInput(inputShape, flattened);
    const output = blocks[blocks.length - 1];
    if (output === undefined) return { ok: false, error: 'The model has no Dense layer.' };
    if (output.units !== MNIST_CLASSES) {
      fail(
        `Its last Dense layer (${output.dense}) has ${output.units} units; this playground's models end in ${MNIST_CLASSES}, one per digit.`,
      );
    }
    if (output.batchNorm !== null || (output.activation !== null && output.activation !== 'softmax')) {
      fail(
        `Its output layer ${output.dense} has batch norm or a ${output.activation} activation; this playground's output is linear logits or their softmax.`,
      );
    }
    if ((output.dropout ?? 0) > 0) fail(`Its output layer ${output.dense} is followed by Dropout.`);
    const sources = new Map<string, WeightSource>();
    const weight = (layer: string, name: string, add = 0): WeightSource => ({
      kind: 'weight',
      layer,
      weight: name,
      add,
    });
    const set = (name: string, part: ParameterPart, source: WeightSource) =>
      sources.set(`${name}.${part}`, source);
    blocks.forEach((block, i) => {
      set(`dense${i}`, 'kernel', weight(block.dense, 'kernel'));
      set(`dense${i}`, 'bias', block.useBias ? weight(block.dense, 'bias') : { kind: 'constant', value: 0 });
      const bn = block.batchNorm;
      if (bn === null) return;
      set(`bn${i}`, 'gamma', bn.scale ? weight(bn.layer, 'gamma') : { kind: 'constant', value: 1 });
      set(`bn${i}`, 'beta', bn.center ? weight(bn.layer, 'beta') : { kind: 'constant', value: 0 });
      set(`bn${i}`, 'runningMean', weight(bn.layer, 'moving_mean'));
      set(`bn${i}`, 'runningVar', weight(bn.layer, 'moving_variance', bn.epsilon - BATCH_NORM_EPSILON));
    });
    const hiddenLayers = blocks.slice(0, -1).map((block) => {
      if (block.activation === 'softmax')
        fail(`Hidden layer ${block.dense} has a softmax activation; only the output may.`);
      return {
        units: block.units,
        activation: (block.activation ?? 'linear') as Activation,
        dropout: block.dropout ?? 0,
        batchNorm: block.batchNorm !== null,
      };
    });
    return { ok: true, architecture: { hiddenLayers, inputDropout, normalization, sources } };
  } catch (error) {
    if (error instanceof TopologyError) return { ok: false, error: error.message };
    throw error;
  }
}
