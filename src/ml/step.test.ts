import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.ts';
import { disposeSplit, toTensorSplit } from './dataset.ts';
import { createMlp, disposeMlp, forward } from './mlp.ts';
import { evaluate, trainStep } from './step.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 64 synthetic 28×28 "images": class c lights up rows 2c–2c+2, plus seeded noise. */
function syntheticImages(count: number, seed = 1) {
  const rng = new SeededRandom(seed);
  const pixels = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 10;
    labels[i] = label;
    for (let p = 0; p < 784; p++) {
      const row = Math.floor(p / 28);
      const on = row >= 2 * label + 2 && row < 2 * label + 5;
      pixels[i * 784 + p] = on ? 200 + rng.nextInt(55) : rng.nextInt(30);
    }
  }
  return { count, pixels, labels };
}

describe('createMlp', () => {
  it('builds 784-128-64-10 with 109,386 parameters and He-scaled weights', () => {
    const model = createMlp([784, 128, 64, 10], ['relu', 'relu'], new SeededRandom(1));
    const total = model.variables.reduce((sum, v) => sum + v.size, 0);
    expect(total).toBe(109_386);
    const first = model.layers[0]?.kernel.dataSync() as Float32Array;
    const variance = first.reduce((s, w) => s + w * w, 0) / first.length;
    expect(variance).toBeCloseTo(2 / 784, 4);
    disposeMlp(model);
  });

  it('gives the same weights for the same seed', () => {
    const a = createMlp([784, 16, 10], ['relu'], new SeededRandom(9));
    const b = createMlp([784, 16, 10], ['relu'], new SeededRandom(9));
    expect(a.layers[0]?.kernel.dataSync()).toEqual(b.layers[0]?.kernel.dataSync());
    disposeMlp(a);
    disposeMlp(b);
  });

  it('maps [B, 784] to logits [B, 10]', () => {
    const model = createMlp([784, 32, 10], ['tanh'], new SeededRandom(2));
    const logits = tf.tidy(() => forward(model, tf.zeros([5, 784])));
    expect(logits.shape).toEqual([5, 10]);
    logits.dispose();
    disposeMlp(model);
  });
});

describe('trainStep', () => {
  it('lowers the loss on a fixed batch within a few Adam steps', async () => {
    const split = toTensorSplit(
      syntheticImages(64),
      Int32Array.from({ length: 64 }, (_, i) => i),
    );
    const model = createMlp([784, 128, 64, 10], ['relu', 'relu'], new SeededRandom(3));
    const optimizer = tf.train.adam(0.001);
    const batch = Int32Array.from({ length: 64 }, (_, i) => i);
    const losses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const { loss, accuracy } = trainStep(model, optimizer, split, batch);
      losses.push((await loss.data())[0] ?? Number.NaN);
      tf.dispose([loss, accuracy]);
    }
    expect(losses[7]).toBeLessThan((losses[0] ?? 0) * 0.5);
    const evaluation = await evaluate(model, split, 16);
    expect(evaluation.accuracy).toBeGreaterThan(0.9);
    optimizer.dispose();
    disposeMlp(model);
    disposeSplit(split);
  });

  it('leaks zero tensors per step after warm-up', () => {
    const split = toTensorSplit(
      syntheticImages(32),
      Int32Array.from({ length: 32 }, (_, i) => i),
    );
    const model = createMlp([784, 16, 10], ['relu'], new SeededRandom(4));
    const optimizer = tf.train.adam(0.01);
    const batch = Int32Array.from({ length: 8 }, (_, i) => i);
    const step = () => tf.dispose(Object.values(trainStep(model, optimizer, split, batch)));
    step(); // warm-up: Adam creates its moment variables on the first update
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(baseline);
    optimizer.dispose();
    disposeMlp(model);
    disposeSplit(split);
  });
});
