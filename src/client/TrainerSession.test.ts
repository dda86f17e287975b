import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { fakeWorkerFactory, type FakeTrainerWorker } from '../testing/fakeTrainerWorker.ts';
import { makeRunStartReport } from '../testing/runReportFixtures.ts';
import type { WorkerEvent } from '../worker/protocol.ts';
import { TrainerSession } from './TrainerSession.ts';

const start = { config: DEFAULT_CONFIG, backend: 'wasm', engine: 'fused' } as const;

const shape = makeRunStartReport();

const weights = {
  config: DEFAULT_CONFIG,
  normalization: { mean: 0, std: 1 },
  origin: { epoch: 1, step: 2 },
  parameters: [],
};

function setUp(stepDelayMs?: number) {
  const factory = fakeWorkerFactory();
  const session = new TrainerSession(factory.create, stepDelayMs === undefined ? {} : { stepDelayMs });
  const worker = (): FakeTrainerWorker => {
    const last = factory.workers[factory.workers.length - 1];
    if (last === undefined) throw new Error('no worker yet');
    return last;
  };
  return { session, workers: factory.workers, worker };
}

const prediction = (requestId: number): WorkerEvent => ({
  type: 'prediction',
  runId: 'any',
  requestId,
  probabilities: new Float32Array(10),
  source: 'training',
  epoch: 1,
  ms: 2,
});

describe('TrainerSession: run commands', () => {
  it('records what a run was started with, and steers the current run', () => {
    const { session, worker } = setUp(250);
    const runId = session.train(start);
    expect(worker().last('start')).toMatchObject({ runId, config: DEFAULT_CONFIG, backend: 'wasm' });
    expect(worker().last('start')).toMatchObject({ engine: 'fused', stepDelayMs: 250 });
    expect(session.getSnapshot().run?.start).toEqual(start);
    expect(session.getSnapshot().phase).toBe('starting');
    worker().emit({ type: 'run-started', runId, ...shape });
    session.pause();
    session.setLearningRate(0.01);
    session.setSpeed(0);
    session.resume();
    session.stop();
    expect(worker().posted.slice(1)).toEqual([
      { type: 'pause', runId },
      { type: 'set-learning-rate', runId, learningRate: 0.01 },
      { type: 'set-speed', runId, stepDelayMs: 0 },
      { type: 'resume', runId },
      { type: 'stop', runId },
    ]);
    // The speed holds for the next runs too.
    session.train(start, { analysis: false });
    expect(worker().last('start')).toMatchObject({ stepDelayMs: 0, analysis: false });
  });

  it('steps the paused run, or starts one paused and steps that', () => {
    const { session, worker } = setUp();
    session.step('batch', start);
    const first = worker().last('start');
    expect(first.startPaused).toBe(true);
    expect(worker().last('step')).toEqual({ type: 'step', runId: first.runId, mode: 'batch' });
    worker().emit({ type: 'run-started', runId: first.runId, ...shape });
    worker().emit({ type: 'paused', runId: first.runId });
    session.step('epoch', start);
    expect(worker().posted.filter((c) => c.type === 'start')).toHaveLength(1);
    expect(worker().last('step')).toEqual({ type: 'step', runId: first.runId, mode: 'epoch' });
  });

  it('resets: stops the run and drops its late events', () => {
    const { session, worker } = setUp();
    const runId = session.train(start);
    session.reset();
    expect(worker().last('stop')).toEqual({ type: 'stop', runId });
    const reset = session.getSnapshot();
    expect(reset.run).toBeNull();
    expect(reset.runId).not.toBe(runId);
    worker().emit({ type: 'run-started', runId, ...shape });
    expect(session.getSnapshot()).toBe(reset);
  });

  it('notifies subscribers once per change, and not for what changes nothing', () => {
    const { session, worker } = setUp();
    let calls = 0;
    const unsubscribe = session.subscribe(() => (calls += 1));
    const runId = session.train(start);
    expect(calls).toBe(1);
    worker().emit({ type: 'paused', runId: 'stale' });
    expect(calls).toBe(1);
    worker().emit({ type: 'paused', runId });
    expect(calls).toBe(2);
    unsubscribe();
    worker().emit({ type: 'resumed', runId });
    expect(calls).toBe(2);
  });
});

describe('TrainerSession.request', () => {
  it('pairs each answer with its request by id, in whatever order they come', async () => {
    const { session, worker } = setUp();
    session.prepare('auto');
    const first = session.request({ type: 'predict', pixels: new Uint8Array(784) });
    const second = session.request({ type: 'predict', pixels: new Uint8Array(784) });
    const [a, b] = worker().posted.slice(1) as { requestId: number; runId: string }[];
    expect(a?.requestId).not.toBe(b?.requestId);
    // Tagged with the current run, so a crash reported under it reaches them.
    expect(a?.runId).toBe(session.getSnapshot().runId);
    worker().emit(prediction(b?.requestId ?? 0));
    worker().emit(prediction(a?.requestId ?? 0));
    await expect(second).resolves.toMatchObject({ requestId: b?.requestId });
    await expect(first).resolves.toMatchObject({ requestId: a?.requestId });
  });

  it('hands a long request its progress, never mistaking it for the answer', async () => {
    const { session, worker } = setUp();
    const heard: [number, number][] = [];
    const found = session.request(
      { type: 'find-learning-rate', backend: 'wasm', config: DEFAULT_CONFIG },
      (done, total) => heard.push([done, total]),
    );
    const { requestId, runId } = worker().last('find-learning-rate');
    const state = session.getSnapshot();
    worker().emit({ type: 'request-progress', runId, progressOf: requestId, done: 40, total: 200 });
    worker().emit({ type: 'request-progress', runId, progressOf: requestId + 1, done: 1, total: 2 });
    expect(heard).toEqual([[40, 200]]);
    expect(session.getSnapshot()).toBe(state);
    const result = {
      points: [],
      stop: 'top-rate',
      suggestion: null,
      batchSize: 128,
      engine: 'the fused kernel',
      ms: 1,
    } as const;
    worker().emit({ type: 'learning-rate-found', runId, requestId, result });
    await expect(found).resolves.toMatchObject({ result });
  });

  it('routes each augmentation preview to the question that asked for it', async () => {
    const { session, worker } = setUp();
    const ask = (perClass?: number) =>
      session.request({
        type: 'preview-augmentation',
        config: DEFAULT_CONFIG,
        count: 16,
        seed: 1,
        ...(perClass === undefined ? {} : { perClass }),
      });
    const perClass = ask(6);
    const sample = ask();
    const answer = (requestId: number, n: number): WorkerEvent => ({
      type: 'augmentation-preview',
      runId: 'any',
      requestId,
      originals: new Uint8Array(784 * n),
      augmented: new Uint8Array(784 * n),
      labels: new Uint8Array(n),
    });
    const [datasetRequest, sampleRequest] = worker().posted as { requestId: number }[];
    worker().emit(answer(sampleRequest?.requestId ?? 0, 16));
    worker().emit(answer(datasetRequest?.requestId ?? 0, 60));
    expect((await perClass).labels.length).toBe(60);
    expect((await sample).labels.length).toBe(16);
    // An answer nobody is waiting for changes nothing.
    const before = session.getSnapshot();
    worker().emit(answer(99, 8));
    expect(session.getSnapshot()).toBe(before);
  });

  it('are side requests: they neither change the run nor drop its events, and survive a new run', async () => {
    const { session, worker } = setUp();
    const runId = session.train(start);
    worker().emit({ type: 'run-started', runId, ...shape });
    const asked = session.request({ type: 'predict', pixels: new Uint8Array(784) });
    const { requestId } = worker().last('predict');
    expect(session.getSnapshot().runId).toBe(runId);
    expect(session.getSnapshot().phase).toBe('training');
    worker().emit({ type: 'paused', runId });
    expect(session.getSnapshot().phase).toBe('paused');
    const next = session.train(start);
    worker().emit(prediction(requestId));
    await expect(asked).resolves.toMatchObject({ requestId, source: 'training' });
    expect(session.getSnapshot().runId).toBe(next);
  });

  it('rejects with the worker’s message when it answers a request with an error, leaving the run alone', async () => {
    const { session, worker } = setUp();
    const runId = session.train(start);
    const exported = session.request({ type: 'export-model' });
    const other = session.request({ type: 'export-model' });
    const { requestId } = worker().posted[1] as { requestId: number };
    worker().emit({ type: 'error', runId, requestId, message: 'reading the weights failed' });
    await expect(exported).rejects.toThrow('reading the weights failed');
    expect(session.getSnapshot().phase).toBe('starting');
    expect(session.getSnapshot().error).toBeNull();
    // The other question is still waiting for its own answer.
    const model = { ...weights, testAccuracy: 0.9 };
    worker().emit({ type: 'model-export', runId, requestId: requestId + 1, model, error: null });
    await expect(other).resolves.toMatchObject({ model, error: null });
  });

  it('rejects every question in flight when the worker crashes; the next command starts a fresh worker', async () => {
    const { session, workers, worker } = setUp();
    session.prepare('auto');
    const exported = session.request({ type: 'export-model' });
    const predicted = session.request({ type: 'predict', pixels: new Uint8Array(784) });
    worker().crash('out of memory');
    await expect(exported).rejects.toThrow('The training worker crashed: out of memory');
    await expect(predicted).rejects.toThrow('The training worker crashed');
    expect(session.getSnapshot().phase).toBe('error');
    expect(workers[0]?.terminated).toBe(true);
    session.prepare('auto');
    expect(workers).toHaveLength(2);
  });

  it('rejects what is in flight when disposed, and comes back with a fresh worker', async () => {
    const { session, workers } = setUp();
    session.prepare('auto');
    const asked = session.request({ type: 'predict', pixels: new Uint8Array(784) });
    session.dispose();
    await expect(asked).rejects.toThrow('closed');
    expect(workers[0]?.terminated).toBe(true);
    session.prepare('auto');
    expect(workers).toHaveLength(2);
  });
});

describe('TrainerSession: loaded models', () => {
  const load = (session: TrainerSession, name = 'digits') =>
    session.request({ type: 'load-model', name, model: weights });
  const loaded = (requestId: number, accuracy: number | null, error: string | null = null): WorkerEvent => ({
    type: 'model-loaded',
    runId: 'other',
    requestId,
    test: accuracy === null ? null : { loss: 0.3, accuracy },
    error,
    ms: 5,
  });

  it('tracks a load from request to answer, whatever run the answer is tagged with', async () => {
    const { session, worker } = setUp();
    session.prepare('auto');
    const answer = load(session);
    const { requestId } = worker().last('load-model');
    expect(session.getSnapshot().loadedModel).toEqual({
      requestId,
      name: 'digits',
      status: 'loading',
      test: null,
      error: null,
    });
    worker().emit(loaded(requestId, 0.91));
    await answer;
    expect(session.getSnapshot().loadedModel).toMatchObject({
      status: 'loaded',
      test: { loss: 0.3, accuracy: 0.91 },
    });
    void load(session);
    worker().emit(loaded(worker().last('load-model').requestId, null, 'digits could not be loaded: …'));
    expect(session.getSnapshot().loadedModel).toMatchObject({
      status: 'failed',
      error: 'digits could not be loaded: …',
    });
  });

  it('ignores answers to older loads, and keeps the phase', () => {
    const { session, worker } = setUp();
    session.prepare('auto');
    void load(session, 'older');
    const older = worker().last('load-model').requestId;
    void load(session, 'newer');
    const phase = session.getSnapshot().phase;
    worker().emit(loaded(older, 0.5));
    expect(session.getSnapshot().loadedModel).toMatchObject({ name: 'newer', status: 'loading' });
    worker().emit(loaded(worker().last('load-model').requestId, 0.91));
    expect(session.getSnapshot().loadedModel).toMatchObject({ name: 'newer', status: 'loaded' });
    expect(session.getSnapshot().phase).toBe(phase);
  });

  it('keeps the loaded model across a reset, and forgets it when a run starts', () => {
    const { session, worker } = setUp();
    session.prepare('auto');
    void load(session);
    worker().emit(loaded(worker().last('load-model').requestId, 0.91));
    session.reset();
    expect(session.getSnapshot().loadedModel?.status).toBe('loaded');
    session.train(start);
    expect(session.getSnapshot().loadedModel).toBeNull();
  });

  it('fails a load in flight when the worker crashes', async () => {
    const { session, worker } = setUp();
    session.prepare('auto');
    const answer = load(session);
    worker().crash('boom');
    await expect(answer).rejects.toThrow('The training worker crashed');
    expect(session.getSnapshot().loadedModel).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('The training worker crashed') as unknown,
    });
  });

  it('leaves the state alone for exports', async () => {
    const { session, worker } = setUp();
    session.prepare('auto');
    void load(session);
    const before = session.getSnapshot();
    const exported = session.request({ type: 'export-model' });
    const { runId, requestId } = worker().last('export-model');
    worker().emit({ type: 'model-export', runId, requestId, model: null, error: 'none' });
    await expect(exported).resolves.toMatchObject({ model: null, error: 'none' });
    expect(session.getSnapshot()).toBe(before);
  });
});
