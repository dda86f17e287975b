import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import type { RunRecord } from '../core/runRecord.ts';
import { makeRunStartReport } from '../testing/runReportFixtures.ts';
import { fakeWorkerFactory, type FakeTrainerWorker as FakeWorker } from '../testing/fakeTrainerWorker.ts';
import { ComparisonRunner, type VariantRun } from './ComparisonRunner.ts';

function setUp() {
  const { workers, create } = fakeWorkerFactory();
  const records: RunRecord[] = [];
  const runner = new ComparisonRunner({
    createWorker: create,
    onRecord: (record) => records.push(record),
    browser: 'Test 1',
    cores: 2,
    now: () => 1_700_000_000_000,
    schedule: (flush) => flush(),
  });
  return { runner, workers, records };
}

const variants: VariantRun[] = ['a', 'b', 'c'].map((key, i) => ({
  key,
  label: `variant ${key}`,
  color: ['#111111', '#222222', '#333333'][i] as string,
  config: { ...DEFAULT_CONFIG, seed: i },
}));

function playRun(worker: FakeWorker, stopped = false) {
  const runId = worker.runId;
  worker.emit({
    type: 'backend-ready',
    runId,
    backend: { name: 'wasm', crossOriginIsolated: false, threads: 1, notes: [] },
  });
  worker.emit({
    type: 'run-started',
    runId,
    ...makeRunStartReport({
      epochs: 1,
      batchesPerEpoch: 1,
      batchSize: 10,
      trainingExamples: 10,
      validationExamples: 5,
      parameterCount: 42,
      fingerprints: { initialWeights: '01234567', dataOrder: '89abcdef' },
    }),
  });
  worker.emit({
    type: 'batch',
    runId,
    epoch: 1,
    batchInEpoch: 1,
    examplesPerSecond: 100,
    learningRate: 0.001,
    tensors: 6,
    steps: Uint32Array.of(1),
    examples: Float64Array.of(10),
    trainingMs: Float64Array.of(100),
    losses: Float32Array.of(1),
    accuracies: Float32Array.of(0.5),
  });
  worker.emit({
    type: 'run-finished',
    runId,
    stopped,
    diverged: null,
    finalTest: { loss: 1, accuracy: 0.5 },
    best: null,
    trainMs: 100,
    tensorsAlive: 0,
  });
}

describe('ComparisonRunner', () => {
  it('runs every variant at once in its own worker, without the error analysis', () => {
    const { runner, workers } = setUp();
    runner.start(variants, { backend: 'wasm', engine: 'auto', maxParallel: Infinity });
    expect(workers).toHaveLength(3);
    for (const [i, worker] of workers.entries()) {
      expect(worker.posted[0]).toMatchObject({ type: 'start', analysis: false, config: { seed: i } });
    }
    expect(runner.getSnapshot().runs.map((r) => r.status)).toEqual(['starting', 'starting', 'starting']);
    expect(runner.getSnapshot().active).toBe(true);
  });

  it('queues beyond maxParallel and starts the next when one ends; records finished runs', () => {
    const { runner, workers, records } = setUp();
    runner.start(variants, { backend: 'wasm', engine: 'auto', maxParallel: 2 });
    expect(workers).toHaveLength(2);
    expect(runner.getSnapshot().runs.map((r) => r.status)).toEqual(['starting', 'starting', 'queued']);
    playRun(workers[0] as FakeWorker);
    expect(workers[0]?.terminated).toBe(true);
    expect(workers).toHaveLength(3);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ name: 'variant a', source: 'compare', differs: 'variant a' });
    expect(records[0]?.environment).toMatchObject({ browser: 'Test 1', concurrentRuns: 1, cores: 2 });
    const first = runner.getSnapshot().runs[0];
    expect(first).toMatchObject({ status: 'finished', summary: { testAccuracy: 0.5, parameterCount: 42 } });
    expect(first?.record?.id).toBe(records[0]?.id);
    expect(first?.fingerprints).toEqual({ initialWeights: '01234567', dataOrder: '89abcdef' });
  });

  it('pauses, resumes and stops one run on its own; a queued run stopped never starts', () => {
    const { runner, workers } = setUp();
    runner.start(variants, { backend: 'wasm', engine: 'auto', maxParallel: 2 });
    runner.pause('b');
    runner.resume('b');
    runner.stop('b');
    expect((workers[1] as FakeWorker).posted.map((c) => c.type)).toEqual([
      'start',
      'pause',
      'resume',
      'stop',
    ]);
    expect((workers[0] as FakeWorker).posted.map((c) => c.type)).toEqual(['start']);
    runner.stop('c');
    expect(runner.getSnapshot().runs[2]?.status).toBe('stopped');
    playRun(workers[0] as FakeWorker);
    playRun(workers[1] as FakeWorker, true);
    expect(workers).toHaveLength(2);
    expect(runner.getSnapshot().active).toBe(false);
  });

  it('drops events of another run and a new comparison replaces the old', () => {
    const { runner, workers } = setUp();
    runner.start(variants.slice(0, 2), { backend: 'wasm', engine: 'auto', maxParallel: Infinity });
    const before = runner.getSnapshot();
    (workers[0] as FakeWorker).emit({ type: 'paused', runId: 'someone-else' });
    expect(runner.getSnapshot().runs[0]?.status).toBe('starting');
    runner.start(variants.slice(2), { backend: 'wasm', engine: 'auto', maxParallel: Infinity });
    expect(workers[0]?.terminated && workers[1]?.terminated).toBe(true);
    expect(runner.getSnapshot().id).not.toBe(before.id);
    expect(runner.getSnapshot().runs.map((r) => r.key)).toEqual(['c']);
  });

  it('reports a crashed run as an error and carries on with the others', () => {
    const { runner, workers, records } = setUp();
    runner.start(variants.slice(0, 2), { backend: 'wasm', engine: 'auto', maxParallel: Infinity });
    const broken = workers[0] as FakeWorker;
    broken.emit({ type: 'error', runId: broken.runId, message: 'out of memory' });
    playRun(workers[1] as FakeWorker);
    const runs = runner.getSnapshot().runs;
    expect(runs.map((r) => r.status)).toEqual(['error', 'finished']);
    expect(runs[0]?.error).toBe('out of memory');
    expect(records).toHaveLength(1);
  });
});
