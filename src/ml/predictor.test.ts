import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, DEFAULT_CONFIG, type TrainingConfig } from '../core/config.ts';
import { normalizationTable, type NormalizationStats } from '../core/normalization.ts';
import { SeededRandom } from '../core/random.ts';
import { createMlp, disposeMlp, forward, type Mlp } from './mlp.ts';
import { Predictor } from './predictor.ts';
import { hiddenLayer, syntheticImages } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Model = TrainingConfig['model'];
const layer = hiddenLayer;

const stats: NormalizationStats = { mean: 0.1307, std: 0.3081 };
const images = syntheticImages(4, 7);
const imageAt = (i: number) => images.pixels.subarray(i * 784, (i + 1) * 784);

/** Gives batch-norm layers non-trivial γ, β and running statistics, as after training. */
function perturbBatchNorm(model: Mlp, rng: SeededRandom): void {
  const values = (n: number, f: () => number) => tf.tensor1d(Float32Array.from({ length: n }, f));
  tf.tidy(() => {
    for (const { batchNorm: bn } of model.hidden) {
      if (bn === null) continue;
      const n = bn.gamma.size;
      bn.gamma.assign(values(n, () => 0.5 + rng.nextFloat()));
      bn.beta.assign(values(n, () => rng.nextNormal() * 0.3));
      bn.runningMean.assign(values(n, () => rng.nextNormal()));
      bn.runningVar.assign(values(n, () => 0.2 + 2 * rng.nextFloat()));
    }
  });
}

/** The TF.js reference: `forward` in inference mode, then softmax, on normalised bytes. */
function tfProbabilities(model: Mlp, pixels: Uint8Array): Float32Array {
  const table = normalizationTable(stats);
  const input = Float32Array.from(pixels, (v) => table[v] ?? 0);
  return tf.tidy(() =>
    tf.softmax(forward(model, tf.tensor2d(input, [1, 784]), null).logits).dataSync(),
  ) as Float32Array;
}

const models: [string, Model][] = [
  ['the default 784-128-64-10', DEFAULT_CONFIG.model],
  [
    'batch norm (gelu, tanh)',
    {
      ...DEFAULT_CONFIG.model,
      hiddenLayers: [
        layer(32, { batchNorm: true, activation: 'gelu' }),
        layer(16, { batchNorm: true, activation: 'tanh' }),
      ],
    },
  ],
  ['no hidden layers', { hiddenLayers: [], inputDropout: 0, init: 'glorot' }],
  [
    'dropout (off in inference)',
    { hiddenLayers: [layer(24, { dropout: 0.5 })], inputDropout: 0.2, init: 'he' },
  ],
  ...ACTIVATIONS.map((activation): [string, Model] => [
    activation,
    { hiddenLayers: [layer(12, { activation })], inputDropout: 0, init: 'he' },
  ]),
];

describe('Predictor', () => {
  it.each(models)('matches the TF.js forward pass within 1e-5: %s', async (_, spec) => {
    const rng = new SeededRandom(3);
    const model = createMlp(spec, rng);
    perturbBatchNorm(model, rng);
    const before = tf.memory().numTensors;
    const predictor = await Predictor.fromMlp(model, stats, { epoch: 2, step: 40 });
    expect(tf.memory().numTensors).toBe(before);
    expect(predictor.origin).toEqual({ epoch: 2, step: 40 });
    for (let i = 0; i < images.count; i++) {
      const probabilities = predictor.predict(imageAt(i));
      const expected = tfProbabilities(model, imageAt(i));
      expect(probabilities.length).toBe(10);
      probabilities.forEach((p, k) => expect(Math.abs(p - (expected[k] ?? NaN))).toBeLessThan(1e-5));
      expect(probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    }
    disposeMlp(model);
  });

  it('keeps its copy when the model changes or is freed', async () => {
    const model = createMlp(DEFAULT_CONFIG.model, new SeededRandom(4));
    const predictor = await Predictor.fromMlp(model, stats, { epoch: 1, step: 0 });
    const first = predictor.predict(imageAt(0));
    tf.tidy(() => model.output.bias.assign(tf.range(0, 10, 1, 'float32')));
    disposeMlp(model);
    expect(predictor.predict(imageAt(0))).toEqual(first);
  });

  it('rejects an image of the wrong size', async () => {
    const model = createMlp({ hiddenLayers: [], inputDropout: 0, init: 'he' }, new SeededRandom(1));
    const predictor = await Predictor.fromMlp(model, stats, { epoch: 1, step: 0 });
    disposeMlp(model);
    expect(() => predictor.predict(new Uint8Array(100))).toThrow(/784/);
  });
});
