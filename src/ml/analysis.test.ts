import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochAnalysis } from '../core/analysisTypes.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { LabelledImages } from '../core/idx.ts';
import { SeededRandom } from '../core/random.ts';
import { analyseEpoch, createAnalysisState, PCA_ROWS_PER_CLASS, type AnalysisState } from './analysis.ts';
import { allIndices, disposeSplit, toTensorSplit, type TensorSplit } from './dataset.ts';
import { BATCH_NORM_EPSILON, createMlp, disposeMlp, forward, type DenseLayer, type Mlp } from './mlp.ts';
import { syntheticImages } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 2,300 synthetic images in a seeded shuffled order, so the classes are unevenly spread. */
function shuffledImages(count: number): LabelledImages {
  const source = syntheticImages(count, 3);
  const order = new SeededRandom(4).permutation(count);
  const pixels = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  order.forEach((from, to) => {
    pixels.set(source.pixels.subarray(from * 784, (from + 1) * 784), to * 784);
    labels[to] = source.labels[from] ?? 0;
  });
  return { count, pixels, labels };
}

const hidden = (units: number, activation: 'relu' | 'tanh', batchNorm = false) => ({
  units,
  activation,
  dropout: 0,
  batchNorm,
});

function model(hiddenLayers: TrainingConfig['model']['hiddenLayers'], seed = 1): Mlp {
  return createMlp({ hiddenLayers, inputDropout: 0, init: 'he' }, new SeededRandom(seed));
}

const images = shuffledImages(2300);
let split: TensorSplit;
let mlp: Mlp;
let state: AnalysisState;
let first: EpochAnalysis;
let tensorsBefore = 0;

beforeAll(async () => {
  split = toTensorSplit(images, allIndices(images.count), { mean: 0.1, std: 0.3 });
  mlp = model([hidden(16, 'relu'), hidden(8, 'tanh', true)]);
  // Non-trivial running statistics, so the inference-mode batch norm is really exercised.
  const bn = mlp.hidden[1]?.batchNorm;
  tf.tidy(() => {
    bn?.runningMean.assign(tf.tensor1d(Array.from({ length: 8 }, (_, i) => 0.1 * i)));
    bn?.runningVar.assign(tf.tensor1d(Array.from({ length: 8 }, (_, i) => 0.5 + 0.2 * i)));
  });
  state = createAnalysisState();
  tensorsBefore = tf.memory().numTensors;
  first = await analyseEpoch({
    epoch: 1,
    model: mlp,
    test: split,
    labels: images.labels,
    state,
    now: () => 0,
  });
});

afterAll(() => {
  disposeMlp(mlp);
  disposeSplit(split);
});

describe('analyseEpoch', () => {
  it('leaves no tensors behind', () => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('predicts the argmax of the logits, with the softmax maximum as confidence', () => {
    const [argMax, maxProbability] = tf.tidy(() => {
      const { logits } = forward(mlp, split.xs, null);
      return [
        tf.argMax(logits, 1).arraySync() as number[],
        tf.max(tf.softmax(logits), 1).arraySync() as number[],
      ];
    });
    expect(first.predicted).toHaveLength(images.count);
    expect([...first.predicted]).toEqual(argMax);
    first.confidence.forEach((c, i) => expect(c).toBeCloseTo(maxProbability[i] ?? 0, 5));
  });

  it('counts every test image once in the confusion matrix, by true and predicted class', () => {
    expect(first.confusion).toHaveLength(100);
    expect(first.confusion.reduce((a, b) => a + b, 0)).toBe(images.count);
    let correct = 0;
    images.labels.forEach((label, i) => (correct += label === first.predicted[i] ? 1 : 0));
    const diagonal = Array.from({ length: 10 }, (_, c) => first.confusion[c * 11] ?? 0);
    expect(diagonal.reduce((a, b) => a + b, 0)).toBe(correct);
  });

  it('lists the most confidently wrong images, really wrong, most confident first', () => {
    const wrong = images.labels.filter((label, i) => label !== first.predicted[i]).length;
    expect(wrong).toBeGreaterThan(24);
    expect(first.misclassified).toHaveLength(24);
    first.misclassified.forEach((m, k) => {
      expect(m.trueLabel).toBe(images.labels[m.index]);
      expect(m.predicted).toBe(first.predicted[m.index]);
      expect(m.predicted).not.toBe(m.trueLabel);
      expect(m.confidence).toBeCloseTo(first.confidence[m.index] ?? 0, 6);
      expect(m.top3[0]?.label).toBe(m.predicted);
      if (k > 0) expect(m.confidence).toBeLessThanOrEqual(first.misclassified[k - 1]?.confidence ?? 1);
    });
    // Nothing wrong left out is more confident than the last one shown.
    const last = first.misclassified.at(-1)?.confidence ?? 0;
    const shown = new Set(first.misclassified.map((m) => m.index));
    images.labels.forEach((label, i) => {
      if (label !== first.predicted[i] && !shown.has(i))
        expect(first.confidence[i]).toBeLessThanOrEqual(last);
    });
  });

  it('projects the first 200 rows of each digit, in file order, through every layer', () => {
    const { rows, layers } = first.pca;
    expect(rows).toHaveLength(10 * PCA_ROWS_PER_CLASS);
    expect([...rows]).toEqual([...rows].sort((a, b) => a - b));
    const seen = new Array<number>(10).fill(0);
    for (let i = 0; i < images.count; i++) {
      const label = images.labels[i] ?? 0;
      if ((seen[label] ?? 0) < PCA_ROWS_PER_CLASS) {
        seen[label] = (seen[label] ?? 0) + 1;
        expect(rows.includes(i)).toBe(true);
      }
    }
    expect(layers.map((l) => l.name)).toEqual([
      'Input pixels',
      'Hidden 1 (16 ReLU)',
      'Hidden 2 (8 tanh)',
      'Logits',
    ]);
    for (const layer of layers) {
      expect(layer.projection).toHaveLength(2 * rows.length);
      expect(layer.explained[0]).toBeGreaterThanOrEqual(layer.explained[1]);
      expect(layer.explained[0] + layer.explained[1]).toBeLessThanOrEqual(1 + 1e-9);
      expect(layer.explained[1]).toBeGreaterThan(0);
    }
  });

  it('sends the first layer weights as [units, 784], and none without a hidden layer', async () => {
    expect(first.weights?.units).toBe(16);
    const kernel = (await mlp.hidden[0]?.dense.kernel.data()) ?? new Float32Array(0);
    // values[u·784 + p] = kernel[p, u].
    expect(first.weights?.values[3 * 784 + 100]).toBe(kernel[100 * 16 + 3]);
    expect(first.weights?.values).toHaveLength(16 * 784);

    const wide = model([hidden(100, 'relu')]);
    const none = model([]);
    const before = tf.memory().numTensors;
    const labels = images.labels;
    const common = { epoch: 1, test: split, labels, now: () => 0 };
    // The input PCA depends only on the data, so these reuse the one already computed.
    const reuse = () => ({ ...createAnalysisState(), rows: state.rows, input: state.input });
    const wideResult = await analyseEpoch({ ...common, model: wide, state: reuse() });
    const noneResult = await analyseEpoch({ ...common, model: none, state: reuse() });
    expect(tf.memory().numTensors).toBe(before);
    expect(wideResult.weights?.units).toBe(64);
    expect(wideResult.weights?.values).toHaveLength(64 * 784);
    expect(noneResult.weights).toBeNull();
    expect(noneResult.pca.layers.map((l) => l.name)).toEqual(['Input pixels', 'Logits']);
    disposeMlp(wide);
    disposeMlp(none);
  });

  it('reuses the input PCA, keeps signs from epoch to epoch, and hands out fresh arrays', async () => {
    let clock = 0;
    const second = await analyseEpoch({
      epoch: 2,
      model: mlp,
      test: split,
      labels: images.labels,
      state,
      now: () => (clock += 1),
    });
    expect(second.epoch).toBe(2);
    // Same weights, same rows: the same picture, not a mirrored one.
    second.pca.layers.forEach((layer, i) => {
      expect([...layer.projection]).toEqual([...(first.pca.layers[i]?.projection ?? [])]);
      expect(layer.projection).not.toBe(first.pca.layers[i]?.projection);
    });
    expect(second.pca.layers[0]?.projection).not.toBe(state.input?.projection);
    expect(second.pca.rows).not.toBe(state.rows);
    expect(Object.values(second.timings).every((ms) => ms > 0)).toBe(true);
  });
});

describe('forward in inference mode, the pass the analysis projects', () => {
  it('returns each hidden output as the next layer reads it (batch norm on running statistics)', () => {
    const [difference, shapes] = tf.tidy(() => {
      const x = tf.slice(split.xs, [0, 0], [50, -1]);
      const { hidden: outputs, logits } = forward(mlp, x, null);
      const [first, second] = mlp.hidden;
      const bn = second?.batchNorm;
      const [h1, h2] = outputs;
      if (first === undefined || second === undefined || !bn || !h1 || !h2) throw new Error('two layers');
      // Recomputed by hand: h1 = relu(x·W + b); h2 = tanh(γ·(h1·W + b − μ)/√(σ² + ε) + β).
      const dense = (h: tf.Tensor2D, layer: DenseLayer) => tf.add(tf.matMul(h, layer.kernel), layer.bias);
      const z2 = dense(h1, second.dense);
      const normalised = tf.div(
        tf.sub(z2, bn.runningMean),
        tf.sqrt(tf.add(bn.runningVar, BATCH_NORM_EPSILON)),
      );
      const expected = [
        [h1, tf.relu(dense(x, first.dense))],
        [h2, tf.tanh(tf.add(tf.mul(normalised, bn.gamma), bn.beta))],
        [logits, dense(h2, mlp.output)],
      ] as const;
      const gaps = expected.map(
        ([got, want]) => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0] ?? Number.NaN,
      );
      return [Math.max(...gaps), outputs.map((h) => h.shape)];
    });
    expect(difference).toBeLessThan(1e-5);
    expect(shapes).toEqual([
      [50, 16],
      [50, 8],
    ]);
  });
});
