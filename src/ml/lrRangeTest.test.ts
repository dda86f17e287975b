import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rangeTestRate } from '../core/lrFinder.ts';
import { RangeTestCancelled, runRangeTest, type RangeTestHost } from './lrRangeTest.ts';
import { bandMnist, tinyConfig } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100, 5, false);
const config = tinyConfig({
  optimizer: { ...tinyConfig().optimizer, kind: 'adam', learningRate: 0.001 },
});

function host(extra: Partial<RangeTestHost> = {}): RangeTestHost & { readonly progress: number[] } {
  const progress: number[] = [];
  let clock = 0;
  return {
    progress,
    now: () => (clock += 10),
    yieldToEventLoop: () => Promise.resolve(),
    cancelled: () => false,
    onProgress: (done) => progress.push(done),
    ...extra,
  };
}

describe('learning-rate range test', () => {
  it('sweeps the rate from 1e-7 on a fresh model until the loss blows up, and suggests a rate below that', async () => {
    const before = tf.memory().numTensors;
    const h = host();
    const result = await runRangeTest(config, data, h);
    // Every tensor (model, optimizer, batches) freed: nothing else in the worker is touched.
    expect(tf.memory().numTensors).toBe(before);
    expect(result.batchSize).toBe(32);
    expect(result.engine).toBe('the fused kernel');
    expect(result.points[0]?.rate).toBeCloseTo(1e-7, 20);
    result.points.forEach((p, i) => expect(p.rate).toBeCloseTo(rangeTestRate(i, 200), 12));
    // Adam on these bands learns, then blows up well before a rate of 10.
    expect(result.stop === 'diverged' || result.stop === 'not-finite').toBe(true);
    expect(result.points.length).toBeLessThan(200);
    expect(result.suggestion).not.toBeNull();
    const last = result.points.at(-1)?.rate ?? 0;
    expect(result.suggestion?.rate).toBeLessThan(last / 5);
    expect(result.suggestion?.rate).toBeGreaterThan(1e-4);
    expect(h.progress).toEqual(Array.from({ length: h.progress.length }, (_, i) => i + 1));
  });

  it('repeats exactly for the same seed (the fresh model is drawn from it)', async () => {
    const a = await runRangeTest(config, data, host());
    const b = await runRangeTest(config, data, host());
    expect(b.points).toEqual(a.points);
    const other = await runRangeTest({ ...config, seed: config.seed + 1 }, data, host());
    expect(other.points[0]?.loss).not.toBe(a.points[0]?.loss);
  });

  it('reaches the top rate when the loss never blows up (plain SGD on easy bands)', async () => {
    const sgd = tinyConfig({ optimizer: { ...tinyConfig().optimizer, kind: 'sgd', learningRate: 0.1 } });
    const result = await runRangeTest(sgd, data, host());
    expect(result.stop).toBe('top-rate');
    expect(result.points).toHaveLength(200);
    expect(result.points.at(-1)?.rate).toBeCloseTo(10, 8);
  });

  it('frees everything when cancelled (a Train press)', async () => {
    const before = tf.memory().numTensors;
    let steps = 0;
    const cancelled = runRangeTest(config, data, host({ cancelled: () => ++steps >= 20 }));
    await expect(cancelled).rejects.toBeInstanceOf(RangeTestCancelled);
    expect(tf.memory().numTensors).toBe(before);
  });
});
