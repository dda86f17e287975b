import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.ts';
import { createMlp, disposeMlp } from './mlp.ts';
import { Predictor } from './predictor.ts';
import { hiddenLayer, syntheticImages } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const stats = { mean: 0.1307, std: 0.3081 };
const pixels = syntheticImages(1, 9).pixels.subarray(0, 784);

async function twoLayerPredictor(): Promise<Predictor> {
  const spec = {
    hiddenLayers: [hiddenLayer(12), hiddenLayer(6, { activation: 'tanh' })],
    inputDropout: 0,
    init: 'he' as const,
  };
  const model = createMlp(spec, new SeededRandom(5));
  const predictor = await Predictor.fromMlp(model, stats, { epoch: 1, step: 0 });
  disposeMlp(model);
  return predictor;
}

describe('Predictor.inspect and unitDetail (the neuron inspector)', () => {
  it('gives every layer its activations, the logits last, agreeing with predict', async () => {
    const predictor = await twoLayerPredictor();
    const { probabilities, activations } = predictor.inspect(pixels);
    expect(activations.map((a) => a.length)).toEqual([12, 6, 10]);
    expect(activations[0]?.every((v) => v >= 0)).toBe(true); // ReLU
    expect(probabilities).toEqual(predictor.predict(pixels));
    const logits = [...(activations[2] ?? [])];
    const top = logits.indexOf(Math.max(...logits));
    expect(probabilities[top]).toBe(Math.max(...probabilities));
  });

  it('in the last hidden layer, a unit contributes exactly activation × weight to each logit', async () => {
    const predictor = await twoLayerPredictor();
    const { activations } = predictor.inspect(pixels);
    const detail = predictor.unitDetail(pixels, 1, 3);
    expect(detail?.incoming).toHaveLength(12);
    const activation = activations[1]?.[3] ?? NaN;
    const outputKernel = predictor.parameters.find((p) => p.name === 'dense2.kernel');
    expect(outputKernel?.shape).toEqual([6, 10]);
    detail?.contributions.forEach((c, k) =>
      expect(c).toBeCloseTo(activation * (outputKernel?.data[3 * 10 + k] ?? NaN), 5),
    );
  });

  it('gives first-layer units 784 incoming weights, and null for a unit that does not exist', async () => {
    const predictor = await twoLayerPredictor();
    expect(predictor.unitDetail(pixels, 0, 0)?.incoming).toHaveLength(784);
    expect(predictor.unitDetail(pixels, 0, 12)).toBeNull();
    expect(predictor.unitDetail(pixels, 2, 0)).toBeNull(); // the output layer is not hidden
  });
});
