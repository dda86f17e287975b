import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, DEFAULT_CONFIG, INITIALIZERS, configParameterCount } from '../core/config.ts';
import { SeededRandom } from '../core/random.ts';
import { createOptimizer } from './optimizers.ts';
import { createMlp, disposeMlp, forward, initStd, pytorchInitBound } from './mlp.ts';
import { createBatchSource, allIndices } from './dataset.ts';
import { trainStep } from './step.ts';
import { hiddenLayer, syntheticImages } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const layer = hiddenLayer;

const variance = (values: Float32Array) => values.reduce((s, w) => s + w * w, 0) / values.length;

describe('createMlp', () => {
  it('builds 784-128-64-10 with 109,386 parameters and He-scaled weights', () => {
    const model = createMlp(DEFAULT_CONFIG.model, new SeededRandom(1));
    const total = model.variables.reduce((sum, v) => sum + v.size, 0);
    expect(total).toBe(109_386);
    expect(variance(model.kernels[0]?.dataSync() as Float32Array)).toBeCloseTo(2 / 784, 4);
    disposeMlp(model);
  });

  it('counts batch-norm γ and β as configParameterCount does', () => {
    const config = {
      ...DEFAULT_CONFIG,
      model: { ...DEFAULT_CONFIG.model, hiddenLayers: [layer(32, { batchNorm: true })] },
    };
    const model = createMlp(config.model, new SeededRandom(1));
    expect(model.variables.reduce((sum, v) => sum + v.size, 0)).toBe(configParameterCount(config));
    expect(model.state.length).toBe(model.variables.length + 2);
    disposeMlp(model);
  });

  it.each(INITIALIZERS)('draws %s kernels with the documented std', (init) => {
    const model = createMlp({ hiddenLayers: [layer(200)], inputDropout: 0, init }, new SeededRandom(2));
    const std = Math.sqrt(variance(model.kernels[0]?.dataSync() as Float32Array));
    expect(std).toBeCloseTo(initStd(init, 784, 200), 3);
    expect(initStd('glorot', 784, 200)).toBeCloseTo(Math.sqrt(2 / 984), 10);
    disposeMlp(model);
  });

  it('pytorch: kernels and biases uniform within ±1/√fanIn (nn.Linear), the others zero biases', () => {
    const hiddenLayers = [layer(200), layer(50)];
    const model = createMlp({ hiddenLayers, inputDropout: 0, init: 'pytorch' }, new SeededRandom(3));
    const dense = [...model.hidden.map((h) => h.dense), model.output];
    dense.forEach(({ kernel, bias }) => {
      const bound = pytorchInitBound(kernel.shape[0]);
      for (const values of [kernel.dataSync(), bias.dataSync()]) {
        const largest = Array.from(values).reduce((max, v) => Math.max(max, Math.abs(v)), 0);
        expect(largest).toBeLessThanOrEqual(Math.fround(bound));
        expect(largest).toBeGreaterThan(0.8 * bound);
      }
    });
    const he = createMlp({ hiddenLayers, inputDropout: 0, init: 'he' }, new SeededRandom(3));
    expect(Array.from(he.hidden[0]?.dense.bias.dataSync() ?? [1]).every((b) => b === 0)).toBe(true);
    disposeMlp(model);
    disposeMlp(he);
  });

  it('gives the same weights for the same seed', () => {
    const a = createMlp(DEFAULT_CONFIG.model, new SeededRandom(9));
    const b = createMlp(DEFAULT_CONFIG.model, new SeededRandom(9));
    expect(a.kernels).toHaveLength(3);
    a.kernels.forEach((kernel, i) => expect(kernel.dataSync()).toEqual(b.kernels[i]?.dataSync()));
    disposeMlp(a);
    disposeMlp(b);
  });

  it.each(ACTIVATIONS)('maps [B, 784] to finite logits [B, 10] with %s', (activation) => {
    const model = createMlp(
      { hiddenLayers: [layer(8, { activation })], inputDropout: 0, init: 'he' },
      new SeededRandom(2),
    );
    const logits = tf.tidy(() => forward(model, tf.randomUniform([5, 784], 0, 1, 'float32', 3), null).logits);
    expect(logits.shape).toEqual([5, 10]);
    expect([...logits.dataSync()].every(Number.isFinite)).toBe(true);
    logits.dispose();
    disposeMlp(model);
  });

  it('is softmax regression with no hidden layers', () => {
    const model = createMlp({ hiddenLayers: [], inputDropout: 0, init: 'glorot' }, new SeededRandom(2));
    expect(model.kernels.map((k) => k.shape)).toEqual([[784, 10]]);
    disposeMlp(model);
  });
});

describe('batch norm and dropout', () => {
  const inputs = () => tf.randomUniform([16, 784], 0, 1, 'float32', 7) as tf.Tensor2D;

  it('uses batch statistics in training and running statistics in inference', () => {
    const model = createMlp(
      { hiddenLayers: [layer(8, { batchNorm: true })], inputDropout: 0, init: 'he' },
      new SeededRandom(3),
    );
    const [train, infer] = tf.tidy(() => {
      const x = inputs();
      return [forward(model, x, new SeededRandom(1)).logits, forward(model, x, null).logits];
    });
    expect(train.dataSync()).not.toEqual(infer.dataSync());
    tf.dispose([train, infer]);
    disposeMlp(model);
  });

  it('moves running mean/var by momentum 0.1 towards the batch (unbiased variance)', () => {
    const config = { hiddenLayers: [layer(4, { batchNorm: true })], inputDropout: 0, init: 'he' as const };
    const model = createMlp(config, new SeededRandom(3));
    const images = syntheticImages(8);
    const source = createBatchSource(
      { ...DEFAULT_CONFIG, model: config },
      images,
      allIndices(8),
      { mean: 0, std: 1 },
      new SeededRandom(1),
    );
    const { mean, variance: v } = tf.tidy(() => {
      const z = tf.add(
        tf.matMul(source.batch(allIndices(8)).inputs, model.kernels[0] as tf.Tensor2D),
        model.hidden[0]?.dense.bias as tf.Tensor1D,
      );
      return tf.moments(z, 0);
    });
    const optimizer = createOptimizer(
      { ...DEFAULT_CONFIG.optimizer, kind: 'sgd', learningRate: 1e-12 },
      model.kernels,
    );
    tf.dispose(
      Object.values(
        trainStep(model, optimizer, source, allIndices(8), DEFAULT_CONFIG.loss, new SeededRandom(1)),
      ),
    );
    const bn = model.hidden[0]?.batchNorm;
    expect(bn ?? null, 'layer 1 has batch norm').not.toBeNull();
    if (!bn) return;
    const expectedMean = [...mean.dataSync()].map((m) => 0.1 * m);
    const expectedVar = [...v.dataSync()].map((x) => 0.9 + 0.1 * x * (8 / 7));
    const runningMean = [...bn.runningMean.dataSync()];
    const runningVar = [...bn.runningVar.dataSync()];
    // One statistic per unit (4), each compared below.
    expect(expectedMean).toHaveLength(4);
    expect(runningMean).toHaveLength(4);
    expect(runningVar).toHaveLength(4);
    runningMean.forEach((m, i) => expect(m).toBeCloseTo(expectedMean[i] ?? Number.NaN, 4));
    runningVar.forEach((x, i) => expect(x).toBeCloseTo(expectedVar[i] ?? Number.NaN, 4));
    tf.dispose([mean, v]);
    optimizer.dispose();
    source.dispose();
    disposeMlp(model);
  });

  it('applies dropout only in training, with fresh masks per pass', () => {
    const model = createMlp(
      { hiddenLayers: [layer(32, { dropout: 0.5 })], inputDropout: 0.2, init: 'he' },
      new SeededRandom(3),
    );
    const rng = new SeededRandom(4);
    const [a, b, e1, e2] = tf.tidy(() => {
      const x = inputs();
      return [
        forward(model, x, rng).logits,
        forward(model, x, rng).logits,
        forward(model, x, null).logits,
        forward(model, x, null).logits,
      ];
    });
    expect(a.dataSync()).not.toEqual(b.dataSync());
    expect(e1.dataSync()).toEqual(e2.dataSync());
    expect(a.dataSync()).not.toEqual(e1.dataSync());
    tf.dispose([a, b, e1, e2]);
    disposeMlp(model);
  });

  it('without dropout or batch norm, training and inference passes agree', () => {
    const model = createMlp(
      { hiddenLayers: [layer(8, { activation: 'gelu' })], inputDropout: 0, init: 'he' },
      new SeededRandom(3),
    );
    const [a, b] = tf.tidy(() => {
      const x = inputs();
      return [forward(model, x, new SeededRandom(1)).logits, forward(model, x, null).logits];
    });
    expect(a.dataSync()).toEqual(b.dataSync());
    tf.dispose([a, b]);
    disposeMlp(model);
  });
});
