import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  LOSSES,
  OPTIMIZERS,
  type OptimizerKind,
  type TrainingConfig,
} from '../core/config.ts';
import { SeededRandom } from '../core/random.ts';
import { allIndices, createBatchSource, disposeSplit, toTensorSplit } from './dataset.ts';
import { createMlp, disposeMlp, type Mlp } from './mlp.ts';
import { createOptimizer } from './optimizers.ts';
import { evaluate, trainStep } from './step.ts';
import { syntheticImages } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const images = syntheticImages(64);
const identity = { mean: 0, std: 1 };

function setup(overrides: Partial<TrainingConfig> = {}) {
  const config: TrainingConfig = {
    ...DEFAULT_CONFIG,
    model: {
      ...DEFAULT_CONFIG.model,
      hiddenLayers: [{ units: 32, activation: 'relu', dropout: 0, batchNorm: false }],
    },
    ...overrides,
  };
  const model = createMlp(config.model, new SeededRandom(3));
  const optimizer = createOptimizer(config.optimizer, model.kernels);
  const source = createBatchSource(config, images, allIndices(64), identity, new SeededRandom(5));
  const rng = new SeededRandom(6);
  const batch = allIndices(64);
  const losses: number[] = [];
  const run = async (steps: number) => {
    for (let i = 0; i < steps; i++) {
      const { loss, accuracy } = trainStep(model, optimizer, source, batch, config.loss, rng);
      losses.push((await loss.data())[0] ?? Number.NaN);
      tf.dispose([loss, accuracy]);
    }
    return losses;
  };
  const dispose = () => {
    optimizer.dispose();
    source.dispose();
    disposeMlp(model);
  };
  return { config, model, optimizer, run, dispose };
}

const sumOf = (model: Mlp, f: (w: number) => number) =>
  model.kernels.reduce((s, k) => s + [...k.dataSync()].reduce((a, w) => a + f(w), 0), 0);

const LEARNING_RATES: Record<OptimizerKind, number> = {
  sgd: 0.1,
  momentum: 0.05,
  adam: 0.003,
  adamw: 0.003,
  rmsprop: 0.002,
  adagrad: 0.05,
};

describe('trainStep', () => {
  it.each(LOSSES)('lowers the %s loss on a fixed batch', async (kind) => {
    const t = setup({
      loss: { ...DEFAULT_CONFIG.loss, kind },
      optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: 0.003 },
    });
    const losses = await t.run(12);
    expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) * 0.7);
    t.dispose();
  });

  it.each(OPTIMIZERS)('lowers the loss with %s', async (kind) => {
    const t = setup({
      optimizer: { ...DEFAULT_CONFIG.optimizer, kind, learningRate: LEARNING_RATES[kind], nesterov: true },
    });
    const losses = await t.run(12);
    expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) * 0.7);
    t.dispose();
  });

  it('learns with label smoothing and reaches high accuracy', async () => {
    const t = setup({ loss: { ...DEFAULT_CONFIG.loss, labelSmoothing: 0.1 } });
    await t.run(10);
    const split = toTensorSplit(images, allIndices(64));
    expect((await evaluate(t.model, split, t.config.loss, 16)).accuracy).toBeGreaterThan(0.9);
    disposeSplit(split);
    t.dispose();
  });

  it.each([
    ['l2', 0.5, (w: number) => w * w],
    ['l1', 0.01, (w: number) => Math.abs(w)],
  ] as const)(
    '%s penalty shrinks the kernels, but the reported loss is the data loss',
    async (key, coefficient, norm) => {
      const sgd = { ...DEFAULT_CONFIG.optimizer, kind: 'sgd' as const, learningRate: 0.05 };
      const plain = setup({ optimizer: sgd });
      const penalised = setup({ optimizer: sgd, loss: { ...DEFAULT_CONFIG.loss, [key]: coefficient } });
      const a = await plain.run(10);
      const b = await penalised.run(10);
      expect(b[0]).toBeCloseTo(a[0] ?? 0, 6);
      expect(sumOf(penalised.model, norm)).toBeLessThan(sumOf(plain.model, norm) * 0.9);
      plain.dispose();
      penalised.dispose();
    },
  );

  it('AdamW decays kernels decoupled from the gradient', async () => {
    const base = { ...DEFAULT_CONFIG.optimizer, kind: 'adamw' as const, learningRate: 0.01 };
    const plain = setup({ optimizer: { ...base, weightDecay: 0 } });
    const decayed = setup({ optimizer: { ...base, weightDecay: 1 } });
    await plain.run(10);
    await decayed.run(10);
    const l2 = (w: number) => w * w;
    expect(sumOf(decayed.model, l2)).toBeLessThan(sumOf(plain.model, l2) * 0.95);
    plain.dispose();
    decayed.dispose();
  });

  it.each(OPTIMIZERS)('%s follows a learning rate changed mid-run', async (kind) => {
    const t = setup({ optimizer: { ...DEFAULT_CONFIG.optimizer, kind, learningRate: LEARNING_RATES[kind] } });
    await t.run(2);
    t.optimizer.setLearningRate(1e-12);
    expect(t.optimizer.learningRate).toBe(1e-12);
    const before = t.model.kernels[0]?.dataSync().slice() as Float32Array;
    await t.run(1);
    const after = t.model.kernels[0]?.dataSync() as Float32Array;
    expect(Math.max(...after.map((w, i) => Math.abs(w - (before[i] ?? 0))))).toBeLessThan(1e-6);
    t.optimizer.setLearningRate(LEARNING_RATES[kind]);
    await t.run(1);
    const moved = t.model.kernels[0]?.dataSync() as Float32Array;
    expect(Math.max(...moved.map((w, i) => Math.abs(w - (after[i] ?? 0))))).toBeGreaterThan(1e-4);
    t.dispose();
  });

  it('leaks zero tensors per step with batch norm, dropout, penalties, AdamW and augmentation', async () => {
    const t = setup({
      model: {
        hiddenLayers: [{ units: 16, activation: 'gelu', dropout: 0.3, batchNorm: true }],
        inputDropout: 0.1,
        init: 'he',
      },
      loss: { kind: 'crossEntropy', l1: 1e-4, l2: 1e-4, labelSmoothing: 0.1 },
      optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'adamw' },
      data: { ...DEFAULT_CONFIG.data, rotationDegrees: 10, cropPadding: 2, shiftPixels: 1 },
    });
    await t.run(1); // warm-up: the optimizer creates its moment variables on the first update
    const baseline = tf.memory().numTensors;
    await t.run(10);
    expect(tf.memory().numTensors).toBe(baseline);
    t.dispose();
  });
});

describe('evaluate', () => {
  it('is deterministic and uses inference mode', async () => {
    const t = setup({
      model: {
        hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0.5, batchNorm: true }],
        inputDropout: 0.2,
        init: 'he',
      },
    });
    await t.run(3);
    const split = toTensorSplit(images, allIndices(64));
    const before = tf.memory().numTensors;
    const a = await evaluate(t.model, split, t.config.loss, 16);
    const b = await evaluate(t.model, split, t.config.loss, 64);
    expect(a.accuracy).toBe(b.accuracy);
    expect(a.loss).toBeCloseTo(b.loss, 5);
    expect(tf.memory().numTensors).toBe(before);
    disposeSplit(split);
    t.dispose();
  });
});
