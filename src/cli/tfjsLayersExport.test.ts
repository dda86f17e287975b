import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, DEFAULT_CONFIG } from '../core/config.ts';
import { exportTfjsLayers } from '../core/export/tfjsLayersExport.ts';
import type { SavedModel } from '../core/modelFile.ts';
import {
  exportConfig,
  loadLayersModelFrom,
  maxAbsDifference,
  mnistTestImages,
  randomSavedModel,
  rawPixels,
  referenceProbabilities,
} from './tfjsModelFixtures.ts';

/**
 * The TF.js Layers export, loaded by TF.js itself (`tf.loadLayersModel`, the layers package),
 * predicts what our own forward pass predicts on 1,000 real MNIST test images, fed raw 0–255
 * pixels: every activation, with and without batch norm, and each input normalisation.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const images = mnistTestImages(1000);
const STANDARDIZED = { mean: 0.1307, std: 0.3081 };

async function predictExported(model: SavedModel): Promise<Float32Array> {
  const loaded = await loadLayersModelFrom(await exportTfjsLayers(model, 'digits'));
  const pixels = rawPixels(images);
  try {
    const output = loaded.predict(pixels) as tf.Tensor;
    expect(output.shape).toEqual([images.count, 10]);
    const probabilities = (await output.data()) as Float32Array;
    output.dispose();
    return probabilities;
  } finally {
    pixels.dispose();
    loaded.dispose();
  }
}

describe('TF.js Layers export', () => {
  it.each(ACTIVATIONS.flatMap((activation) => [false, true].map((batchNorm) => ({ activation, batchNorm }))))(
    '$activation, batch norm $batchNorm: tf.loadLayersModel predicts our probabilities within 1e-5',
    async ({ activation, batchNorm }) => {
      const model = randomSavedModel(exportConfig(activation, batchNorm), STANDARDIZED, 7);
      const expected = referenceProbabilities(model, images);
      const actual = await predictExported(model);
      expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-5);
    },
  );

  it.each([
    { normalization: { mean: 0, std: 1 }, label: 'scale' },
    { normalization: { mean: 0.5, std: 0.5 }, label: 'center' },
  ])('$label normalisation, no hidden layer: the same probabilities', async ({ normalization }) => {
    const config = { ...DEFAULT_CONFIG, model: { ...DEFAULT_CONFIG.model, hiddenLayers: [] } };
    const model = randomSavedModel(config, normalization, 3);
    expect(
      maxAbsDifference(await predictExported(model), referenceProbabilities(model, images)),
    ).toBeLessThan(1e-5);
  });

  it('writes a model.json and a weights file that it names, with our record as metadata', async () => {
    const model = randomSavedModel(exportConfig('leakyRelu', true), STANDARDIZED);
    const [json, weights] = await exportTfjsLayers(model, 'digits-97');
    expect(json?.name).toBe('digits-97.tfjs.json');
    expect(weights?.name).toBe('digits-97.weights.bin');
    const bytes = model.parameters.reduce((n, p) => n + p.data.length * 4, 0);
    expect((weights?.contents as Uint8Array).length).toBe(bytes);
    const loaded = await loadLayersModelFrom([json!, weights!]);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual([
      'Rescaling',
      'Dropout',
      ...['Dense', 'BatchNormalization', 'LeakyReLU', 'Dropout'],
      ...['Dense', 'BatchNormalization', 'LeakyReLU', 'Dropout'],
      'Dense',
    ]);
    expect(loaded.getUserDefinedMetadata()).toMatchObject({
      format: 'mlp-playground-model',
      name: model.name,
      normalization: STANDARDIZED,
      config: model.config,
      testAccuracy: model.testAccuracy,
    });
    loaded.dispose();
  });
});
