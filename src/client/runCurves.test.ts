import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { parseRunRecord } from '../core/runRecord.ts';
import type { WorkerEvent } from '../worker/protocol.ts';
import { curvesOf, examplesAt, msAt, recordOf, summaryOf, type RecordMeta } from './runCurves.ts';
import { INITIAL_RUN_STATE, runReducer, type RunShape, type RunState } from './runState.ts';

const shape: RunShape = {
  epochs: 2,
  batchesPerEpoch: 3,
  batchSize: 4,
  normalization: { mean: 0, std: 1 },
  trainingExamples: 10, // batches of 4, 4, 2
  validationExamples: 5,
  parameterCount: 100,
  engine: { path: 'fused', reason: 'test' },
  fingerprints: { initialWeights: 'aaaaaaaa', dataOrder: 'bbbbbbbb' },
};

describe('examplesAt and msAt', () => {
  it('counts whole batches exactly, the short last batch included', () => {
    expect(examplesAt(1 / 3, shape)).toBe(4);
    expect(examplesAt(2 / 3, shape)).toBe(8);
    expect(examplesAt(1, shape)).toBe(10);
    expect(examplesAt(1 + 1 / 3, shape)).toBe(14);
    expect(examplesAt(2, shape)).toBe(20);
  });

  it('interpolates training time between reports, from (0, 0)', () => {
    const time = [
      { x: 0.5, y: 100 },
      { x: 1, y: 300 },
    ];
    expect(msAt(0.25, time)).toBe(50);
    expect(msAt(0.75, time)).toBe(200);
    expect(msAt(1, time)).toBe(300);
    expect(msAt(5, time)).toBe(300);
    expect(msAt(0.5, [])).toBe(0);
  });
});

function replay(events: WorkerEvent[]): RunState {
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

const { engine, fingerprints, ...shapeFields } = shape;
const run: WorkerEvent[] = [
  { type: 'run-started', runId: 'r', ...shapeFields, engine, fingerprints },
  {
    type: 'batch',
    runId: 'r',
    epoch: 1,
    batchInEpoch: 3,
    examplesPerSecond: 100,
    trainingMs: 90,
    points: {
      steps: Uint32Array.of(1, 2, 3),
      losses: Float32Array.of(2, 1.5, 1),
      accuracies: Float32Array.of(0.1, 0.3, 0.5),
    },
  },
  {
    type: 'epoch',
    runId: 'r',
    epoch: 1,
    step: 3,
    validationLoss: 0.9,
    validationAccuracy: 0.7,
    trainLoss: 1.5,
    trainAccuracy: 0.3,
    learningRate: 0.001,
    epochMs: 100,
    trainingMs: 100,
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
  config: DEFAULT_CONFIG,
  browser: 'Chrome 156',
  cores: 2,
  concurrentRuns: 3,
};

describe('curves, summary and record of a run', () => {
  it('places every point on epoch, examples and time axes', () => {
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
