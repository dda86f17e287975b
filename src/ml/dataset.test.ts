import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../core/config.ts';
import { TRAIN_SHARD_COUNT, TRAIN_SHARD_ROWS } from '../core/mnistShards.ts';
import { SeededRandom } from '../core/random.ts';
import { allIndices, createBatchSource, splitIndices } from './dataset.ts';
import { syntheticImages } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const withData = (data: Partial<TrainingConfig['data']>): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, ...data },
});

describe('splitIndices', () => {
  it('random: validation and training are disjoint and the split ignores the subset size', () => {
    const a = splitIndices(withData({ validationFraction: 0.1, trainingExamples: 100 }));
    const b = splitIndices(withData({ validationFraction: 0.1, trainingExamples: null }));
    expect(a.validation).toEqual(b.validation);
    expect(a.train).toEqual(b.train.subarray(0, 100));
    expect(b.train.length).toBe(54_000);
    const validation = new Set(b.validation);
    expect(b.train.some((i) => validation.has(i))).toBe(false);
    expect([...b.validation.subarray(0, 5)]).not.toEqual([0, 1, 2, 3, 4]);
  });

  it('first: trains on the head of the file in order and validates on the tail', () => {
    const split = splitIndices(
      withData({ splitMethod: 'first', validationFraction: 0.1, trainingExamples: 1000 }),
    );
    expect(split.train).toEqual(allIndices(1000));
    expect(split.validation.length).toBe(6000);
    expect(split.validation[0]).toBe(54_000);
    expect(split.validation.at(-1)).toBe(59_999);
  });

  it.each(['random', 'first'] as const)(
    '%s: on the shards received so far, each part is the complete split kept to received rows, in order',
    (splitMethod) => {
      const config = withData({ splitMethod, validationFraction: 0.1, trainingExamples: null });
      const complete = splitIndices(config);
      const partial = splitIndices(config, { received: 2 });
      const received = (rows: Int32Array) => rows.filter((row) => row % TRAIN_SHARD_COUNT < 2);
      expect(partial.train).toEqual(received(complete.train));
      expect(partial.validation).toEqual(received(complete.validation));
      // Every shard spans the whole file, the validation tail included: both parts get rows.
      expect(partial.train.length + partial.validation.length).toBe(2 * TRAIN_SHARD_ROWS);
      expect(partial.validation.length).toBeGreaterThan(TRAIN_SHARD_ROWS / 10);
    },
  );
});

describe('createBatchSource', () => {
  const images = syntheticImages(20);
  const stats = { mean: 0.2, std: 0.3 };

  it('builds normalised [B, 784] inputs and one-hot [B, 10] targets on both paths', () => {
    for (const config of [withData({}), withData({ rotationDegrees: 10, cropPadding: 1, shiftPixels: 1 })]) {
      const source = createBatchSource(
        config,
        images,
        Int32Array.from([4, 5, 6]),
        stats,
        new SeededRandom(1),
      );
      const { inputs, targets } = source.batch(Int32Array.from([2, 0]));
      expect(inputs.shape).toEqual([2, 784]);
      expect([...tf.argMax(targets, 1).dataSync()]).toEqual([6, 4]);
      expect(Math.min(...inputs.dataSync())).toBeCloseTo(-0.2 / 0.3, 5);
      tf.dispose([inputs, targets]);
      source.dispose();
    }
  });

  it('augments training batches reproducibly per seed', () => {
    const config = withData({ rotationDegrees: 20 });
    const take = (seed: number) => {
      const source = createBatchSource(config, images, allIndices(20), stats, new SeededRandom(seed));
      const { inputs, targets } = source.batch(allIndices(4));
      const values = inputs.dataSync().slice();
      tf.dispose([inputs, targets]);
      return values;
    };
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
  });
});
