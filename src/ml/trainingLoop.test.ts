import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../core/config.ts';
import { SeededRandom } from '../core/random.ts';
import { RunController } from './runControl.ts';
import {
  runTraining,
  splitIndices,
  type BatchReport,
  type EpochReport,
  type MnistData,
} from './trainingLoop.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Stand-in for MNIST with the real counts: 60,000 train / 100 test, digit drawn as a bright row band. */
function fakeMnist(): MnistData {
  const rng = new SeededRandom(5);
  const make = (count: number) => {
    const pixels = new Uint8Array(count * 784);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const label = rng.nextInt(10);
      labels[i] = label;
      pixels.fill(255, i * 784 + (label * 2 + 3) * 28, i * 784 + (label * 2 + 5) * 28);
    }
    return { count, pixels, labels };
  };
  return { train: make(60_000), test: make(100) };
}

const config: TrainingConfig = {
  ...DEFAULT_CONFIG,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0, batchNorm: false }],
  },
  optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: 0.01 },
  training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 2 },
  data: { ...DEFAULT_CONFIG.data, validationFraction: 0.001, trainingExamples: 320 },
};

function hooks(control: RunController, batches: BatchReport[], epochs: EpochReport[]) {
  let clock = 0;
  return {
    control,
    now: () => (clock += 10),
    yieldToEventLoop: () => Promise.resolve(),
    onStart: () => {},
    onBatches: (r: BatchReport) => batches.push(r),
    onEpoch: (r: EpochReport) => epochs.push(r),
    onEvaluating: () => {},
    onPaused: () => {},
    onResumed: () => {},
    reportEveryMs: 50,
  };
}

describe('splitIndices', () => {
  it('keeps validation and training disjoint and the split independent of the subset size', () => {
    const a = splitIndices({
      ...config,
      data: { ...config.data, validationFraction: 0.1, trainingExamples: 100 },
    });
    const b = splitIndices({
      ...config,
      data: { ...config.data, validationFraction: 0.1, trainingExamples: null },
    });
    expect(a.validation).toEqual(b.validation);
    expect(b.train.length).toBe(54_000);
    const validation = new Set(b.validation);
    expect(b.train.some((i) => validation.has(i))).toBe(false);
  });
});

describe('runTraining', () => {
  it('reports every batch once, learns, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const batches: BatchReport[] = [];
    const epochs: EpochReport[] = [];
    const result = await runTraining(config, fakeMnist(), hooks(new RunController(), batches, epochs));
    const steps = batches.flatMap((b) => [...b.steps]);
    expect(steps).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(result.stopped).toBe(false);
    expect(result.test.accuracy).toBeGreaterThan(0.8);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops early when asked and still evaluates', async () => {
    const control = new RunController();
    const batches: BatchReport[] = [];
    const h = hooks(control, batches, []);
    const result = await runTraining(config, fakeMnist(), {
      ...h,
      onBatches: (r) => {
        batches.push(r);
        control.stop();
      },
    });
    expect(result.stopped).toBe(true);
    expect(batches.flatMap((b) => [...b.steps]).length).toBeLessThan(20);
    expect(Number.isFinite(result.test.accuracy)).toBe(true);
  });
});
