import { describe, expect, it } from 'vitest';
import { EpochRecorder } from './recorder.ts';
import { formatDuration, formatEpochLine, formatKernelThreads, progressBar } from './report.ts';

describe('report formatting', () => {
  it('draws a progress bar', () => {
    expect(progressBar(0, 10)).toBe('[..........]   0%');
    expect(progressBar(0.5, 10)).toBe('[#####.....]  50%');
    expect(progressBar(1.2, 10)).toBe('[##########] 100%');
  });

  it('says which kernel build ran on how many threads, and the rates measured to choose', () => {
    expect(formatKernelThreads({ kernel: null, kernelThreads: null })).toBeNull();
    expect(formatKernelThreads({ kernel: 'relaxed', kernelThreads: null })).toBe(
      'kernel relaxed, thread count not settled',
    );
    const measured = [
      { threads: 1, examplesPerSecond: 70_000.4 },
      { threads: 2, examplesPerSecond: 120_000 },
    ];
    expect(
      formatKernelThreads({
        kernel: 'relaxed',
        kernelThreads: { threads: 2, measured, reason: 'measured fastest' },
      }),
    ).toBe('kernel relaxed, 2 threads: measured fastest (1: 70,000 ex/s, 2: 120,000 ex/s)');
    expect(
      formatKernelThreads({ kernel: 'simd', kernelThreads: { threads: 1, measured: [], reason: 'forced' } }),
    ).toBe('kernel simd, 1 thread: forced');
  });

  it('formats durations', () => {
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('formats one epoch per line', () => {
    const line = formatEpochLine(
      {
        epoch: 3,
        trainLoss: 0.12345,
        trainAccuracy: 0.9612,
        validationLoss: null,
        validationAccuracy: null,
        learningRate: 0.001,
        epochMs: 4400,
        examplesPerSecond: 12345.6,
      },
      10,
    );
    expect(line).toBe(
      'epoch  3/10  train loss 0.1235 acc 96.12%  val loss  n/a   acc   n/a   12,346 ex/s  lr 1.00e-3  4.4 s',
    );
  });
});

describe('EpochRecorder', () => {
  const start = {
    epochs: 2,
    batchesPerEpoch: 2,
    batchSize: 64,
    trainingExamples: 100,
    validationExamples: 10,
    parameterCount: 1,
    normalization: { mean: 0, std: 1 },
    engine: { path: 'fused' as const, reason: 'test' },
    fingerprints: { initialWeights: '00000000', dataOrder: '00000000' },
  };
  const epoch = {
    epoch: 1,
    step: 2,
    examples: 100,
    validation: { loss: 0.4, accuracy: 0.9 },
    epochMs: 500,
    trainingMs: 500,
    learningRate: 0.5,
    trainLoss: 0.75,
    trainAccuracy: 0.8,
  };

  it('records each epoch with its examples per second', () => {
    const recorder = new EpochRecorder();
    recorder.start(start);
    recorder.batches({ examples: Float64Array.of(64, 100) });
    expect(recorder.epoch(epoch)).toEqual({
      epoch: 1,
      trainLoss: 0.75,
      trainAccuracy: 0.8,
      validationLoss: 0.4,
      validationAccuracy: 0.9,
      learningRate: 0.5,
      epochMs: 500,
      examplesPerSecond: 200,
    });
    expect(recorder.examplesSeen()).toBe(100);
  });

  it('counts the examples of an epoch cut short by a stop', () => {
    const recorder = new EpochRecorder();
    recorder.start(start);
    recorder.batches({ examples: Float64Array.of(64, 100) });
    recorder.epoch({ ...epoch, validation: null, epochMs: 0 });
    recorder.batches({ examples: Float64Array.of(164) });
    expect(recorder.epochs[0]).toMatchObject({ validationLoss: null, examplesPerSecond: 0 });
    expect(recorder.examplesSeen()).toBe(164);
  });
});
