import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bandMnist, tinyConfig } from '../ml/testData.ts';
import type { WorkerCommand, WorkerEvent } from './protocol.ts';
import { WorkerSession } from './WorkerSession.ts';

/** `find-learning-rate` through the worker's session: answered once, the worker's own model untouched. */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(50);
const config = tinyConfig({ optimizer: { ...tinyConfig().optimizer, kind: 'adam', learningRate: 0.001 } });
const pixels = data.test.pixels.slice(0, 784);
const find = (requestId: number): WorkerCommand => ({
  type: 'find-learning-rate',
  runId: 'r',
  requestId,
  backend: 'cpu',
  config,
});
const train = (extra: Partial<Extract<WorkerCommand, { type: 'start' }>> = {}): WorkerCommand => ({
  type: 'start',
  runId: 'r',
  backend: 'cpu',
  config: { ...config, training: { ...config.training, epochs: 1 } },
  analysis: false,
  ...extra,
});

function workerWithEvents() {
  const events: WorkerEvent[] = [];
  let clock = 0;
  const worker = new WorkerSession({
    post: (event) => events.push(event),
    loadMnist: () => Promise.resolve(data),
    bringUpBackend: () => Promise.resolve({ name: 'cpu', crossOriginIsolated: false, threads: 1, notes: [] }),
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    // 50 ms a reading: every other step's progress is posted.
    now: () => (clock += 50),
  });
  const answersTo = (requestId: number) =>
    events.filter(
      (e) =>
        ('requestId' in e && e.requestId === requestId) ||
        (e.type === 'request-progress' && e.progressOf === requestId),
    );
  return { worker, events, answersTo };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('find-learning-rate', () => {
  it('answers with the sweep and a suggestion, reports progress, and leaves the trained model as it was', async () => {
    const { worker, answersTo } = workerWithEvents();
    await worker.receive(train());
    await worker.receive({ type: 'predict', runId: 'r', requestId: 1, pixels });
    const tensors = tf.memory().numTensors;
    await worker.receive(find(2));
    expect(tf.memory().numTensors).toBe(tensors);
    const events = answersTo(2);
    const answer = events.at(-1);
    expect(answer?.type).toBe('learning-rate-found');
    if (answer?.type !== 'learning-rate-found') return;
    expect(answer.result.points.length).toBeGreaterThan(20);
    expect(answer.result.suggestion?.rate).toBeGreaterThan(0);
    const progress = events.filter((e) => e.type === 'request-progress');
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.every((e) => e.type === 'request-progress' && e.total === 200)).toBe(true);
    // The model predictions use is the finished run's, unchanged (the test trained its own).
    await worker.receive({ type: 'predict', runId: 'r', requestId: 3, pixels });
    const [before, after] = [answersTo(1)[0], answersTo(3)[0]];
    expect(before?.type === 'prediction' && after?.type === 'prediction').toBe(true);
    if (before?.type !== 'prediction' || after?.type !== 'prediction') return;
    expect([...(after.probabilities ?? [])]).toEqual([...(before.probabilities ?? [])]);
    expect(after.source).toBe('finished');
  });

  it('is refused while a run is under way, and a Train press cancels a test in progress', async () => {
    const { worker, events, answersTo } = workerWithEvents();
    const paused = worker.receive(train({ startPaused: true }));
    while (!events.some((e) => e.type === 'paused')) await tick();
    await worker.receive(find(1));
    expect(answersTo(1)).toMatchObject([
      { type: 'error', requestId: 1, message: expect.stringContaining('Stop the run') },
    ]);
    await worker.receive({ type: 'stop', runId: 'r' });
    await paused;

    const finding = worker.receive(find(2));
    while (!events.some((e) => e.type === 'request-progress' && e.progressOf === 2)) await tick();
    await worker.receive(train());
    await finding;
    expect(answersTo(2).at(-1)).toMatchObject({
      type: 'error',
      message: expect.stringContaining('cancelled'),
    });
    expect(events.filter((e) => e.type === 'run-finished').map((e) => e.type)).toHaveLength(2);
  });
});
