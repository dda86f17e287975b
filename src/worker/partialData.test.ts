import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRAIN_SHARD_ROWS } from '../core/mnistShards.ts';
import { bandMnist, tinyConfig } from '../ml/testData.ts';
import type { MnistData } from '../ml/trainingLoop.ts';
import { splitIndices } from '../ml/dataset.ts';
import type { WorkerCommand, WorkerEvent } from './protocol.ts';
import { WorkerSession } from './WorkerSession.ts';

/**
 * A first visit: the worker hears of the first training shard (with the test set) before the
 * rest. The page is told it can train then; a run started on it keeps to the rows received and
 * says so; a fresh worker's first run (a comparison's) waits for all of it.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100);
const config = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 8, epochs: 1 } });

/** A session whose download has delivered shard 0 and waits for `finish()` to deliver the rest. */
function streamingSession() {
  const events: WorkerEvent[] = [];
  let finish: () => void = () => {};
  const worker = new WorkerSession({
    post: (event) => events.push(event),
    loadMnist: (onProgress, onPartial) => {
      onProgress(1, 1);
      onPartial?.({ ...data, receivedShards: { received: 1 } });
      return new Promise<MnistData>((resolve) => (finish = () => resolve(data)));
    },
    bringUpBackend: async () => ({ name: 'cpu', crossOriginIsolated: false, threads: 1, notes: [] }),
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    now: () => performance.now(),
  });
  const of = <T extends WorkerEvent['type']>(type: T) =>
    events.filter((e): e is Extract<WorkerEvent, { type: T }> => e.type === type);
  return { worker, of, finish: () => finish() };
}

const start = (runId: string): WorkerCommand => ({
  type: 'start',
  runId,
  backend: 'cpu',
  config,
  engine: 'tfjs',
  analysis: false,
});

describe('training on the shards received so far', () => {
  it('the page is told it can train on the first shard; a run on it keeps to those rows and says so', async () => {
    const { worker, of, finish } = streamingSession();
    await worker.receive({ type: 'prepare', runId: 'p', backend: 'cpu' });
    expect(of('data-ready').map((e) => e.trainCount)).toEqual([TRAIN_SHARD_ROWS]);

    await worker.receive(start('r1'));
    const [started] = of('run-started');
    expect(started?.receivedImages).toBe(TRAIN_SHARD_ROWS);
    expect(started?.trainingExamples).toBe(splitIndices(config, { received: 1 }).train.length);
    expect(started?.trainingExamples).toBeLessThan(splitIndices(config).train.length);

    finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(of('data-ready').at(-1)?.trainCount).toBe(60_000);
    await worker.receive(start('r2'));
    expect(of('run-started')[1]?.receivedImages).toBeUndefined();
    expect(of('run-started')[1]?.trainingExamples).toBe(splitIndices(config).train.length);
  });

  it("a fresh worker's first run (a comparison's) waits for all the data", async () => {
    const { worker, of, finish } = streamingSession();
    const running = worker.receive(start('c1'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(of('run-started')).toEqual([]);
    finish();
    await running;
    expect(of('run-started')[0]?.receivedImages).toBeUndefined();
    expect(of('run-finished')).toHaveLength(1);
  });
});
