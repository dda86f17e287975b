import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTfjsLayersModel, type WeightFile } from '../core/export/tfjsLayersImport.ts';
import { SeededRandom } from '../core/random.ts';
import { maxAbsDifference, mnistTestImages, rawPixels, referenceProbabilities } from './tfjsModelFixtures.ts';

/**
 * Models written by TF.js itself (`model.save`), not by this playground, read back by Upload
 * model file: our forward pass on the imported weights predicts what TF.js predicts, within
 * 1e-5 on 1,000 real MNIST test images (batch norm with Keras's ε, no bias, a Flatten input).
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const images = mnistTestImages(1000);

/** Gives every weight seeded random values, and batch norm's statistics some spread. */
function randomiseWeights(model: tf.LayersModel, seed: number): void {
  const rng = new SeededRandom(seed);
  for (const weight of model.weights) {
    const size = weight.shape.reduce<number>((n, d) => n * (d ?? 1), 1);
    const values = Float32Array.from({ length: size }, () => {
      const normal = rng.nextNormal();
      return weight.name.includes('variance') ? 0.5 + rng.nextFloat() : normal * 0.1;
    });
    weight.write(tf.tensor(values, weight.shape as number[]));
  }
}

/** `model.save` into the two files a browser download would give: model.json and one .bin. */
async function savedFiles(model: tf.LayersModel): Promise<{ json: unknown; weights: WeightFile }> {
  let json: unknown = null;
  let bytes = new Uint8Array(0);
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      json = {
        format: 'layers-model',
        generatedBy: 'TensorFlow.js',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['./model.weights.bin'], weights: artifacts.weightSpecs }],
      };
      bytes = new Uint8Array(artifacts.weightData as ArrayBuffer);
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  return { json, weights: { name: 'model.weights.bin', bytes } };
}

async function expectSamePredictions(model: tf.LayersModel, input: tf.Tensor): Promise<void> {
  const { json, weights } = await savedFiles(model);
  const result = parseTfjsLayersModel(json, 'model.json', [weights], Date.UTC(2026, 11, 3));
  if (!result.ok) throw new Error(result.error);
  const output = model.predict(input) as tf.Tensor;
  const theirs = (await output.data()) as Float32Array;
  tf.dispose([output, input]);
  expect(maxAbsDifference(referenceProbabilities(result.model, images), theirs)).toBeLessThan(1e-5);
}

describe('Upload model file reads TF.js Layers models from elsewhere', () => {
  it('Flatten of 28×28, Rescaling 1/255, Dense+BatchNorm (ε 1e-3, no β)+ReLU, Dropout, softmax', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28] }),
        tf.layers.rescaling({ scale: 1 / 255, offset: 0 }),
        tf.layers.dense({ units: 24, useBias: false }),
        tf.layers.batchNormalization({ center: false }),
        tf.layers.activation({ activation: 'relu' }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.dense({ units: 12, activation: 'tanh' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    randomiseWeights(model, 5);
    await expectSamePredictions(model, rawPixels(images).reshape([images.count, 28, 28]));
    model.dispose();
  });

  it('no Rescaling (raw pixels), LeakyReLU of slope 0.01 and linear logits', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 16 }),
        tf.layers.leakyReLU({ alpha: 0.01 }),
        tf.layers.dense({ units: 10 }),
      ],
    });
    randomiseWeights(model, 9);
    const { json, weights } = await savedFiles(model);
    const result = parseTfjsLayersModel(json, 'model.json', [weights], 0);
    expect(result.ok && result.model.config.model.hiddenLayers[0]?.activation).toBe('leakyRelu');
    // The model outputs logits; we predict their softmax.
    const input = rawPixels(images);
    const logits = model.predict(input) as tf.Tensor;
    const theirs = (await tf.softmax(logits).data()) as Float32Array;
    tf.dispose([input, logits]);
    if (!result.ok) throw new Error(result.error);
    expect(maxAbsDifference(referenceProbabilities(result.model, images), theirs)).toBeLessThan(1e-5);
    model.dispose();
  });
});
