import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { MAX_TRAIN_POINTS, parseRunRecord } from '../core/runRecord.ts';
import { makeRunStartReport } from '../testing/runReportFixtures.ts';
import { curvesOf, recordOf, summaryOf, type RecordMeta } from './runCurves.ts';
import { INITIAL_RUN_STATE, runReducer, type RunState, type StreamEvent } from './runState.ts';

const shape = makeRunStartReport({
  batchesPerEpoch: 3,
  batchSize: 4,
  trainingExamples: 10, // batches of 4, 4, 2
  validationExamples: 5,
  parameterCount: 100,
  fingerprints: { initialWeights: 'aaaaaaaa', dataOrder: 'bbbbbbbb' },
});

function replay(events: StreamEvent[]): RunState {
  let state = runReducer(INITIAL_RUN_STATE, {
    kind: 'sent',
    command: { type: 'start', runId: 'r', backend: 'wasm', config: DEFAULT_CONFIG },
  });
  state = runReducer(state, {
    kind: 'received',
    event: {
      type: 'backend-ready',
      runId: 'r',
      backend: { name: 'wasm', crossOriginIsolated: true, threads: 1, notes: [] },
    },
  });
  for (const event of events) state = runReducer(state, { kind: 'received', event });
  return state;
}

const run: StreamEvent[] = [
  { type: 'run-started', runId: 'r', ...shape },
  {
    type: 'batch',
    runId: 'r',
    epoch: 1,
    batchInEpoch: 3,
    examplesPerSecond: 100,
    learningRate: 0.001,
    tensors: 6,
    steps: Uint32Array.of(1, 2, 3),
    // The short last batch: 4 + 4 + 2 examples, as the loop counted them.
    examples: Float64Array.of(4, 8, 10),
    trainingMs: Float64Array.of(30, 60, 90),
    losses: Float32Array.of(2, 1.5, 1),
    accuracies: Float32Array.of(0.1, 0.3, 0.5),
  },
  {
    type: 'epoch',
    runId: 'r',
    epoch: 1,
    step: 3,
    examples: 10,
    validation: { loss: 0.9, accuracy: 0.7 },
    trainLoss: 1.5,
    trainAccuracy: 0.3,
    learningRate: 0.001,
    epochMs: 90,
    trainingMs: 90,
  },
  {
    type: 'run-finished',
    runId: 'r',
    stopped: true,
    diverged: null,
    finalTest: { loss: 0.8, accuracy: 0.75 },
    best: null,
    trainMs: 100,
    tensorsAlive: 0,
  },
];

const meta: RecordMeta = {
  id: 'id-1',
  name: 'A run',
  createdAt: 1_700_000_000_000,
  source: 'compare',
  differs: 'optimizer SGD',
  browser: 'Chrome 156',
  cores: 2,
  concurrentRuns: 3,
};

describe('curves, summary and record of a run', () => {
  it('places every point on epoch, examples and time axes, as reported', () => {
    const state = replay(run);
    const curves = curvesOf(state);
    expect(curves.trainLoss.map((p) => [p.epoch, p.examples, p.value])).toEqual([
      [1 / 3, 4, 2],
      [2 / 3, 8, 1.5],
      [1, 10, 1],
    ]);
    expect(curves.trainLoss.map((p) => Math.round(p.ms))).toEqual([30, 60, 90]);
    expect(curves.validationAccuracy).toEqual([{ epoch: 1, examples: 10, ms: 90, value: 0.7 }]);
  });

  it('averages examples and time over the same buckets as the loss when it downsamples', () => {
    const steps = Array.from({ length: 1200 }, (_, i) => i + 1);
    const long: StreamEvent[] = [
      { type: 'run-started', runId: 'r', ...shape, batchesPerEpoch: 1200, trainingExamples: 4800 },
      {
        type: 'batch',
        runId: 'r',
        epoch: 1,
        batchInEpoch: 1200,
        examplesPerSecond: 100,
        learningRate: 0.001,
        tensors: 6,
        steps: Uint32Array.from(steps),
        examples: Float64Array.from(steps, (step) => step * 4),
        trainingMs: Float64Array.from(steps, (step) => step * 10),
        losses: Float32Array.from(steps, (step) => (step === 7 ? Number.NaN : 1)),
        accuracies: Float32Array.from(steps, () => 0.5),
      },
    ];
    const trainLoss = curvesOf(replay(long)).trainLoss;
    expect(trainLoss.length).toBeLessThanOrEqual(MAX_TRAIN_POINTS);
    expect(trainLoss.length).toBeGreaterThan(MAX_TRAIN_POINTS / 2);
    for (const point of trainLoss) {
      // Every step's examples and time are 4 and 10 times its step, so the bucket means are too.
      const step = point.epoch * 1200;
      expect(point.examples).toBeCloseTo(step * 4, 6);
      expect(point.ms).toBeCloseTo(step * 10, 6);
      expect(point.value).toBe(1);
    }
  });

  it('sums up the figures a comparison table shows', () => {
    const summary = summaryOf(replay(run));
    expect(summary).toEqual({
      bestValidationAccuracy: 0.7,
      bestEpoch: 1,
      testAccuracy: 0.75,
      testLoss: 0.8,
      trainMs: 100,
      examplesPerSecond: 100,
      parameterCount: 100,
      epochsCompleted: 1,
      stopped: true,
    });
    // Mid-run: no test figures yet, time from the latest report.
    expect(summaryOf(replay(run.slice(0, 2)))).toMatchObject({
      testAccuracy: null,
      trainMs: 90,
      examplesPerSecond: (10 * 1000) / 90,
    });
  });

  it('makes a valid record only once the run is over', () => {
    expect(recordOf(replay(run.slice(0, 3)), meta)).toBeNull();
    const record = recordOf(replay(run), meta);
    expect(record).not.toBeNull();
    const parsed = parseRunRecord(JSON.parse(JSON.stringify(record)));
    expect(parsed.ok).toBe(true);
    expect(record?.environment).toEqual({
      backend: 'wasm',
      engine: 'fused',
      threads: 1,
      browser: 'Chrome 156',
      cores: 2,
      concurrentRuns: 3,
    });
    expect(record?.fingerprints).toEqual(shape.fingerprints);
  });
});
