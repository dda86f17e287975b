import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.ts';
import { normalizationTable } from '../core/normalization.ts';
import { createMlp, disposeMlp, forward } from './mlp.ts';
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

  it.each(['relu', 'gelu', 'sigmoid', 'elu'] as const)(
    'saliency is the gradient of the top logit per input byte, as tf.grad computes it (%s, batch norm)',
    async (activation) => {
      const spec = {
        hiddenLayers: [
          hiddenLayer(10, { activation, batchNorm: true }),
          hiddenLayer(8, { activation: 'tanh' }),
        ],
        inputDropout: 0,
        init: 'he' as const,
      };
      const model = createMlp(spec, new SeededRandom(8));
      const predictor = await Predictor.fromMlp(model, stats, { epoch: 1, step: 0 });
      const saliency = predictor.saliency(pixels);
      const logits = [...(predictor.inspect(pixels).activations[2] ?? [])];
      const top = logits.indexOf(Math.max(...logits));
      const table = normalizationTable(stats);
      const input = tf.tensor2d(
        Float32Array.from(pixels, (v) => table[v] ?? 0),
        [1, 784],
      );
      const topLogit = (x: tf.Tensor) =>
        tf.sum(tf.gather(forward(model, x as tf.Tensor2D, null).logits, [top], 1));
      const expected = tf.tidy(() => tf.mul(tf.grad(topLogit)(input), 1 / (255 * stats.std)).dataSync());
      input.dispose();
      disposeMlp(model);
      expect(saliency).toHaveLength(784);
      const scale = Math.max(...expected.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      saliency.forEach((g, i) => expect(Math.abs(g - (expected[i] ?? NaN))).toBeLessThan(1e-4 * scale));
    },
  );
});
