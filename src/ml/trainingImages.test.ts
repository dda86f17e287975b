import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, MNIST_TRAIN_COUNT, type TrainingConfig } from '../core/config.ts';
import { runStreams } from '../core/runStreams.ts';
import { splitIndices } from './dataset.ts';
import { trainingImages } from './runResources.ts';

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
