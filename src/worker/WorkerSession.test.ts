import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../core/config.ts';
import { bandMnist, tinyConfig } from '../ml/testData.ts';
import type { WorkerCommand, WorkerEvent } from './protocol.ts';
import { WorkerSession } from './WorkerSession.ts';

/**
 * The worker's session without a worker: commands in, the events it posts out. Streams are the
 * loop's reports tagged `{ type, runId }`; every request is answered once with its `requestId`.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100);
const config: TrainingConfig = tinyConfig({
  training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1 },
});

function session() {
  const events: WorkerEvent[] = [];
  const worker = new WorkerSession({
    post: (event) => events.push(event),
    loadMnist: async (onProgress) => {
      onProgress(1, 1);
      return data;
    },
    bringUpBackend: async () => ({ name: 'cpu', crossOriginIsolated: false, threads: 1, notes: [] }),
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    now: () => performance.now(),
  });
  const of = <T extends WorkerEvent['type']>(type: T) =>
    events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);
  return { worker, events, of };
}

const start = (
  runId: string,
  extra: Partial<Extract<WorkerCommand, { type: 'start' }>> = {},
): WorkerCommand => ({
  type: 'start',
  runId,
  backend: 'cpu',
  config,
  engine: 'fused',
  analysis: false,
  ...extra,
});

describe('WorkerSession', () => {
  it('forwards the loop reports as { type, runId, ...report } and ends with run-finished', async () => {
    const { worker, events, of } = session();
    const tensors = tf.memory().numTensors;
    await worker.receive(start('r1'));
    const types = events.map((e) => e.type).filter((t) => t !== 'batch');
    // The download starts with the backend's bring-up (issue 17: the link never idles), so its first progress comes first.
    expect(types).toEqual([
      'data-progress',
      'backend-ready',
      'data-ready',
      'test-images',
      'run-started',
      'epoch',
      'evaluating',
      'run-finished',
    ]);
    expect(events.every((e) => e.runId === 'r1')).toBe(true);
    const [started] = of('run-started');
    expect(started).toMatchObject({ batchSize: 32, batchesPerEpoch: 10, trainingExamples: 320 });
    expect(started?.engine.path).toBe('fused');
    expect(started?.fingerprints.dataOrder).toMatch(/^[0-9a-f]{8}$/);
    const batches = of('batch');
    expect(batches.flatMap((b) => [...b.steps])).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(batches.at(-1)?.examples.at(-1)).toBe(320);
    expect(batches.every((b) => b.trainingMs.length === b.steps.length)).toBe(true);
    const [epoch] = of('epoch');
    expect(epoch).toMatchObject({ epoch: 1, step: 10, examples: 320 });
    expect(epoch?.validation?.accuracy).toBeGreaterThanOrEqual(0);
    const [finished] = of('run-finished');
    expect(finished).toMatchObject({ stopped: false, diverged: null, tensorsAlive: tensors });
    expect(Object.keys(finished ?? {}).sort()).toEqual(
      ['best', 'diverged', 'finalTest', 'runId', 'stopped', 'tensorsAlive', 'trainMs', 'type'].sort(),
    );
  });

  it('answers each request with its requestId, a failure as an error carrying it', async () => {
    const { worker, events, of } = session();
    const pixels = data.test.pixels.slice(0, 784);
    await worker.receive({ type: 'predict', runId: 'r', requestId: 1, pixels });
    expect(of('prediction')).toMatchObject([{ requestId: 1, probabilities: null, source: null }]);
    await worker.receive({ type: 'export-model', runId: 'r', requestId: 2 });
    expect(of('model-export')).toMatchObject([{ requestId: 2, model: null }]);

    await worker.receive(start('r'));
    await worker.receive({ type: 'predict', runId: 'r', requestId: 3, pixels });
    expect(of('prediction')[1]).toMatchObject({ requestId: 3, source: 'finished', epoch: 1 });
    expect(of('prediction')[1]?.probabilities).toHaveLength(10);
    const preview = { type: 'preview-augmentation', runId: 'r', config, count: 4, seed: 1 } as const;
    await worker.receive({ ...preview, requestId: 4 });
    expect(of('augmentation-preview')).toMatchObject([{ requestId: 4 }]);
    expect(of('augmentation-preview')[0]?.labels).toHaveLength(4);

    events.length = 0;
    await worker.receive({ ...preview, requestId: 5, config: { ...config, seed: -1 } });
    expect(events).toEqual([
      { type: 'error', runId: 'r', requestId: 5, message: 'Invalid config for the augmentation preview' },
    ]);
    // A command that is not a request fails without a requestId.
    events.length = 0;
    await worker.receive(start('r2', { config: { ...config, seed: -1 } }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', runId: 'r2' });
    expect(events[0]).not.toHaveProperty('requestId');
  });

  it('a new start stops the run in progress first; commands for another run are ignored', async () => {
    const { worker, events, of } = session();
    const first = worker.receive(start('a', { startPaused: true }));
    while (of('paused').length === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    await worker.receive({ type: 'resume', runId: 'elsewhere' });
    await worker.receive(start('b'));
    await first;
    const order = events
      .filter((e) => ['paused', 'run-started', 'run-finished'].includes(e.type))
      .map((e) => `${e.runId}:${e.type}`);
    expect(order).toEqual(['a:run-started', 'a:paused', 'a:run-finished', 'b:run-started', 'b:run-finished']);
    expect(of('run-finished').map((e) => e.stopped)).toEqual([true, false]);
  });
});
