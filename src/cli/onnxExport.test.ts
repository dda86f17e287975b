import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistFromPackage } from './nodeData.ts';
import { ACTIVATIONS, DEFAULT_CONFIG, type Activation, type TrainingConfig } from '../core/config.ts';
import { exportOnnx } from '../core/export/onnxExport.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../core/idx.ts';
import type { SavedModel } from '../core/modelFile.ts';
import { normalizationTable, type NormalizationStats } from '../core/normalization.ts';
import { SeededRandom } from '../core/random.ts';
import { plausibleSavedModel } from '../testing/plausibleSavedModel.ts';
import { assignParameters, createMlp, disposeMlp, forward } from '../ml/mlp.ts';
import { configOverriding, hiddenLayer } from '../ml/testData.ts';

/**
 * The exported ONNX file, run by ONNX Runtime (onnxruntime-web's WebAssembly build, in Node),
 * predicts what our own forward pass (`forward(model, x, null)`, TF.js CPU) predicts: the same
 * probabilities within 1e-5 on 1,000 real MNIST test images, for every activation, with and
 * without batch norm, every input normalisation, and no hidden layer at all.
 */

const IMAGES = 1000;
let pixels: Uint8Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  // One thread: Node has no cross-origin isolation to speak of, and the test is small.
  ort.env.wasm.numThreads = 1;
  pixels = loadMnistFromPackage().test.pixels.subarray(0, IMAGES * MNIST_PIXELS);
});

const STANDARDIZED: NormalizationStats = { mean: 0.1307, std: 0.3081 };
const NORMALIZATIONS: readonly NormalizationStats[] = [
  STANDARDIZED,
  { mean: 0, std: 1 },
  { mean: 0.5, std: 0.5 },
];

/** Our forward pass in inference mode: softmax probabilities and logits, `[IMAGES·10]` each. */
function ourPrediction(model: SavedModel): { probabilities: Float32Array; logits: Float32Array } {
  const mlp = createMlp(model.config.model, new SeededRandom(1));
  try {
    assignParameters(mlp, model.parameters);
    const table = normalizationTable(model.normalization);
    const inputs = Float32Array.from(pixels, (v) => table[v] ?? NaN);
    return tf.tidy(() => {
      const { logits } = forward(mlp, tf.tensor2d(inputs, [IMAGES, MNIST_PIXELS]), null);
      return {
        probabilities: tf.softmax(logits).dataSync() as Float32Array,
        logits: logits.dataSync() as Float32Array,
      };
    });
  } finally {
    disposeMlp(mlp);
  }
}

/** Runs the exported file in ONNX Runtime on the first `count` images (raw pixels as float32). */
async function onnxPrediction(model: SavedModel, count = IMAGES): Promise<Record<string, ort.Tensor>> {
  const [file] = await exportOnnx(model, 'digits');
  if (file === undefined || typeof file.contents === 'string') throw new Error('expected one binary file');
  const session = await ort.InferenceSession.create(file.contents);
  try {
    const input = new ort.Tensor('float32', Float32Array.from(pixels.subarray(0, count * MNIST_PIXELS)), [
      count,
      MNIST_PIXELS,
    ]);
    return await session.run({ pixels: input });
  } finally {
    await session.release();
  }
}

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let gap = 0;
  for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return gap;
}

async function expectSamePredictions(model: SavedModel): Promise<void> {
  const ours = ourPrediction(model);
  const theirs = await onnxPrediction(model);
  expect(theirs['probabilities']?.dims).toEqual([IMAGES, MNIST_CLASSES]);
  expect(theirs['logits']?.dims).toEqual([IMAGES, MNIST_CLASSES]);
  const probabilities = theirs['probabilities']?.data as Float32Array;
  const logits = theirs['logits']?.data as Float32Array;
  expect(largestDifference(probabilities, ours.probabilities), 'probabilities').toBeLessThan(1e-5);
  expect(largestDifference(logits, ours.logits), 'logits').toBeLessThan(1e-4);
}

const withLayers = (hiddenLayers: TrainingConfig['model']['hiddenLayers']): TrainingConfig =>
  configOverriding(DEFAULT_CONFIG, { model: { hiddenLayers } });

describe('ONNX export in ONNX Runtime', () => {
  it.each(ACTIVATIONS.map((activation, i) => ({ activation, i })))(
    '$activation hidden layers, with and without batch norm, agree with our forward pass',
    async ({ activation, i }: { activation: Activation; i: number }) => {
      const config = withLayers([
        hiddenLayer(48, { activation, batchNorm: true, dropout: 0.2 }),
        hiddenLayer(24, { activation, batchNorm: false }),
      ]);
      await expectSamePredictions(plausibleSavedModel(config, NORMALIZATIONS[i % 3] ?? STANDARDIZED, 11 + i));
    },
  );

  it('a model without hidden layers (softmax regression) agrees', async () => {
    await expectSamePredictions(plausibleSavedModel(withLayers([]), STANDARDIZED));
  });

  it('the default 784-128-64-10 network agrees, and any batch size runs (the batch dimension is symbolic)', async () => {
    const model = plausibleSavedModel(DEFAULT_CONFIG, STANDARDIZED);
    await expectSamePredictions(model);
    const one = await onnxPrediction(model, 1);
    expect(one['probabilities']?.dims).toEqual([1, MNIST_CLASSES]);
    const sum = [...(one['probabilities']?.data as Float32Array)].reduce((s, p) => s + p, 0);
    expect(sum).toBeCloseTo(1, 5);
  });
});
