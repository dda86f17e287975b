import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../config.ts';
import type { SavedModel } from '../modelFile.ts';
import { makeSavedModel } from '../../testing/savedModelFixture.ts';
import { exportTfjsLayers } from './tfjsLayersExport.ts';
import { parseTfjsLayersModel, type WeightFile } from './tfjsLayersImport.ts';

/**
 * Reading TF.js Layers files back: our own export restores the saved model exactly, and every
 * kind of wrong or unsupported file gets a message naming what is wrong. (Models written by
 * TF.js itself, and their predictions, are checked in `src/cli/tfjsLayersImport.test.ts`.)
 */

const config: TrainingConfig = {
  ...DEFAULT_CONFIG,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: [
      { units: 12, activation: 'gelu', dropout: 0.25, batchNorm: true },
      { units: 8, activation: 'leakyRelu', dropout: 0, batchNorm: false },
    ],
    inputDropout: 0.1,
  },
};

const model: SavedModel = makeSavedModel(config, { name: 'digits 97%' });

/** The exported pair: the parsed model.json and the weights file. */
async function exported(): Promise<{ json: Record<string, unknown>; weights: WeightFile }> {
  const [json, bin] = await exportTfjsLayers(model, 'digits');
  return {
    json: JSON.parse(json?.contents as string) as Record<string, unknown>,
    weights: { name: bin?.name ?? '', bytes: bin?.contents as Uint8Array },
  };
}

const NOW = Date.UTC(2026, 11, 3);
const errorOf = (json: unknown, files: WeightFile[]) => {
  const result = parseTfjsLayersModel(json, 'digits.tfjs.json', files, NOW);
  return result.ok ? 'no error' : result.error;
};

describe('parseTfjsLayersModel, files this playground exported', () => {
  it('restores the saved model exactly: config, name, normalisation, origin and every weight bit', async () => {
    const { json, weights } = await exported();
    const result = parseTfjsLayersModel(json, 'digits.tfjs.json', [weights], NOW);
    expect(result).toEqual({ ok: true, model, notes: [] });
  });

  it('finds a renamed weights file when it is the only one', async () => {
    const { json, weights } = await exported();
    const result = parseTfjsLayersModel(
      json,
      'x.json',
      [{ ...weights, name: 'digits.weights (1).bin' }],
      NOW,
    );
    expect(result.ok).toBe(true);
  });

  it('says which weights file is missing, truncated or of another model', async () => {
    const { json, weights } = await exported();
    expect(errorOf(json, [])).toBe(
      'digits.tfjs.json needs its weights file digits.weights.bin (chosen: none): choose the .json and its .bin files together.',
    );
    const short = { ...weights, bytes: weights.bytes.subarray(0, 100) };
    expect(errorOf(json, [short])).toMatch(
      /^digits\.weights\.bin holds 100 bytes but its manifest needs [\d,]+: the weights are truncated/,
    );
  });

  it('refuses metadata that is invalid or from a newer version', async () => {
    const { json, weights } = await exported();
    const meta = json.userDefinedMetadata as Record<string, unknown>;
    const badConfig = {
      ...meta,
      config: { ...config, optimizer: { ...config.optimizer, learningRate: -1 } },
    };
    expect(errorOf({ ...json, userDefinedMetadata: badConfig }, [weights])).toMatch(
      /^Its playground metadata is invalid: Its config is invalid: .*Learning rate must be greater than 0/,
    );
    expect(errorOf({ ...json, userDefinedMetadata: { ...meta, version: 9 } }, [weights])).toBe(
      'It was exported by a newer version (9); this page reads version 1.',
    );
  });
});

/** A minimal Sequential model.json of `layers` (Keras layer objects) with a manifest of `weights`. */
function sequential(layers: unknown[], weights: { name: string; shape: number[] }[]) {
  return {
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { name: 'm', layers } },
    weightsManifest: [{ paths: ['w.bin'], weights: weights.map((w) => ({ ...w, dtype: 'float32' })) }],
  };
}
const dense = (name: string, units: number, extra: Record<string, unknown> = {}) => ({
  class_name: 'Dense',
  config: { name, units, activation: 'linear', ...extra },
});
const binFor = (weights: { shape: number[] }[]): WeightFile => ({
  name: 'w.bin',
  bytes: new Uint8Array(4 * weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0)),
});
const denseWeights = (name: string, fanIn: number, units: number) => [
  { name: `${name}/kernel`, shape: [fanIn, units] },
  { name: `${name}/bias`, shape: [units] },
];

describe('parseTfjsLayersModel, models from elsewhere', () => {
  const weights = [...denseWeights('hidden', 784, 16), ...denseWeights('out', 16, 10)];
  const layers = (middle: unknown[]) => [
    { ...dense('hidden', 16, { activation: 'relu', batch_input_shape: [null, 784] }) },
    ...middle,
    dense('out', 10, { activation: 'softmax' }),
  ];
  const read = (middle: unknown[], manifest = weights) =>
    errorOf(sequential(layers(middle), manifest), [binFor(manifest)]);

  it('reads a plain one with the default config, raw pixels and a note saying so', () => {
    const result = parseTfjsLayersModel(
      sequential(layers([]), weights),
      'model.json',
      [binFor(weights)],
      NOW,
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.model.config.model.hiddenLayers).toEqual([
      { units: 16, activation: 'relu', dropout: 0, batchNorm: false },
    ]);
    expect(result.model.config.optimizer).toEqual(DEFAULT_CONFIG.optimizer);
    expect(result.model.normalization).toEqual({ mean: 0, std: 1 / 255 });
    expect(result.model.name).toBe('model');
    expect(result.notes).toHaveLength(2);
  });

  it.each([
    [
      [{ class_name: 'Conv2D', config: { name: 'conv2d_1' } }],
      'Layer conv2d_1 (Conv2D) is not supported: this playground reads sequential models of Dense, BatchNormalization, Dropout, Activation, LeakyReLU and Rescaling layers.',
    ],
    [
      [{ class_name: 'LeakyReLU', config: { name: 'lr' } }],
      "Layer lr (LeakyReLU) has slope 0.3; this playground's leaky ReLU has slope 0.01.",
    ],
    [
      [{ class_name: 'LeakyReLU', config: { name: 'lr', alpha: 0.01 } }],
      'Layer lr (LeakyReLU) follows another activation of hidden.',
    ],
    [
      [{ class_name: 'Activation', config: { name: 'a', activation: 'swish' } }],
      /uses the activation "swish", which this playground does not have/,
    ],
    [
      [{ class_name: 'BatchNormalization', config: { name: 'bn' } }],
      "Layer bn (BatchNormalization) comes after hidden's activation; this playground puts batch norm before it.",
    ],
  ])('names the unsupported layer: %j', (middle, message) => {
    expect(read(middle)).toMatch(message);
  });

  it('refuses wrong inputs and outputs, functional and graph models', () => {
    const wide = [...denseWeights('hidden', 100, 16), ...denseWeights('out', 16, 10)];
    const narrow = sequential(
      [dense('hidden', 16, { batch_input_shape: [null, 100] }), dense('out', 10)],
      wide,
    );
    expect(errorOf(narrow, [binFor(wide)])).toBe(
      "The model takes inputs of shape [100]; this playground's models take 784 pixels (28×28).",
    );
    const five = [...denseWeights('out', 784, 5)];
    expect(errorOf(sequential([dense('out', 5)], five), [binFor(five)])).toBe(
      "Its last Dense layer (out) has 5 units; this playground's models end in 10, one per digit.",
    );
    const functional = { ...sequential([], []), modelTopology: { class_name: 'Model', config: {} } };
    expect(errorOf(functional, [binFor([])])).toMatch(/^It is a functional model \(Model\)/);
    expect(errorOf({ format: 'graph-model', modelTopology: {} }, [])).toMatch(/^It is a TF.js graph model/);
  });

  it('says when a weight the layers need is missing or has the wrong shape', () => {
    const noBias = [weights[0]!, ...weights.slice(2)];
    expect(read([], noBias)).toBe('The weights manifest has no hidden/bias, which the layers need.');
    const transposed = [{ name: 'hidden/kernel', shape: [16, 784] }, ...weights.slice(1)];
    expect(read([], transposed)).toBe('hidden/kernel is 16×784 but the layers need 784×16 (dense0.kernel).');
  });
});
