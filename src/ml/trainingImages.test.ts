import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, MNIST_TRAIN_COUNT, type TrainingConfig } from '../core/config.ts';
import type { ExtraTraining } from '../core/extraTraining.ts';
import { MNIST_PIXELS } from '../core/idx.ts';
import { runStreams } from '../core/runStreams.ts';
import { splitIndices } from './dataset.ts';
import { EpochOrders } from './dataOrder.ts';
import { trainingImages, trainingSplit } from './runResources.ts';

const train = {
  count: MNIST_TRAIN_COUNT,
  pixels: new Uint8Array(0),
  labels: Uint8Array.from({ length: MNIST_TRAIN_COUNT }, (_, i) => (i * 7) % 10),
};

const withNoise = (labelNoise: number, trainingExamples: number | null): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, labelNoise, trainingExamples },
});

describe('trainingImages: the labels every engine trains on', () => {
  it('without label noise is the training file itself', () => {
    expect(trainingImages(DEFAULT_CONFIG, train, runStreams(42).labelNoise)).toBe(train);
  });

  it('replaces round(share · N) labels of the split’s training rows, never a validation row', () => {
    const config = withNoise(0.2, 5_000);
    const noisy = trainingImages(config, train, runStreams(config.seed).labelNoise).labels;
    const { train: rows, validation } = splitIndices(config);
    const changed = Array.from(noisy.keys()).filter((row) => noisy[row] !== train.labels[row]);
    expect(changed).toHaveLength(1_000);
    const trainingRows = new Set(rows);
    expect(changed.every((row) => trainingRows.has(row))).toBe(true);
    for (const row of validation) expect(noisy[row]).toBe(train.labels[row]);
  });

  it('is seeded by the run’s label-noise stream', () => {
    const config = withNoise(0.5, null);
    const labelsFor = (seed: number) => trainingImages(config, train, runStreams(seed).labelNoise).labels;
    expect(labelsFor(1)).toEqual(labelsFor(1));
    expect(labelsFor(2)).not.toEqual(labelsFor(1));
  });
});

describe('trainingSplit: My digits mixed into the training split', () => {
  const mnist = {
    train: {
      count: MNIST_TRAIN_COUNT,
      pixels: new Uint8Array(MNIST_TRAIN_COUNT * MNIST_PIXELS),
      labels: train.labels,
    },
    test: { count: 0, pixels: new Uint8Array(0), labels: new Uint8Array(0) },
  };
  /** Three drawings, each filled with its own byte, labelled 3, 1, 4; ×5 = 15 rows. */
  const extra: ExtraTraining = {
    images: Uint8Array.from({ length: 3 * MNIST_PIXELS }, (_, i) => 200 + Math.floor(i / MNIST_PIXELS)),
    labels: Uint8Array.of(3, 1, 4),
    repeat: 5,
  };

  it('adds exactly n × repeat rows after MNIST’s, each drawing with its label and pixels', () => {
    const config = withNoise(0, 1_000);
    const split = trainingSplit(config, mnist, extra);
    expect(split.rows).toHaveLength(1_000 + 15);
    expect(split.rows.subarray(0, 1_000)).toEqual(splitIndices(config).train);
    expect(Array.from(split.extraRows)).toEqual(Array.from({ length: 15 }, (_, i) => MNIST_TRAIN_COUNT + i));
    expect(split.file.count).toBe(MNIST_TRAIN_COUNT + 15);
    expect(Array.from(split.file.labels.subarray(MNIST_TRAIN_COUNT))).toEqual([
      ...[3, 3, 3, 3, 3],
      ...[1, 1, 1, 1, 1],
      ...[4, 4, 4, 4, 4],
    ]);
    const firstPixelOf = (row: number) => split.file.pixels[row * MNIST_PIXELS];
    expect(firstPixelOf(MNIST_TRAIN_COUNT + 14)).toBe(202);
    expect(split.file.labels.subarray(0, MNIST_TRAIN_COUNT)).toEqual(train.labels);
    expect(trainingSplit(config, mnist, undefined).rows).toHaveLength(1_000);
  });

  it('shuffles them in by the seed: same seed same places, another seed other places', () => {
    const config = withNoise(0, 1_000);
    const { rows } = trainingSplit(config, mnist, extra);
    const placesFor = (seed: number) => {
      const order = new EpochOrders(runStreams(seed).shuffle, rows).next();
      return Array.from(order.keys()).filter((i) => (rows[order[i] ?? 0] ?? 0) >= MNIST_TRAIN_COUNT);
    };
    expect(placesFor(7)).toHaveLength(15);
    expect(placesFor(7)).toEqual(placesFor(7));
    expect(placesFor(8)).not.toEqual(placesFor(7));
  });

  it('label noise changes exactly its share of all training rows, drawings included', () => {
    const config = withNoise(0.5, 100);
    const split = trainingSplit(config, mnist, extra);
    const noisy = trainingImages(config, split.file, runStreams(3).labelNoise, split.extraRows).labels;
    const changed = Array.from(split.rows).filter((row) => noisy[row] !== split.file.labels[row]);
    expect(changed).toHaveLength(Math.round(0.5 * 115) /* 58 */);
    const outside = Array.from(noisy.keys()).filter((row) => noisy[row] !== split.file.labels[row]);
    expect(outside).toEqual(changed.sort((a, b) => a - b));
  });
});
