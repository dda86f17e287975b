import { describe, expect, it } from 'vitest';
import type { WorkerCommand, WorkerEvent } from '../worker/protocol.ts';
import { awaitModelExport } from './modelRequests.ts';
import { INITIAL_RUN_STATE, runReducer, type RunState } from './runState.ts';

const send = (state: RunState, command: WorkerCommand) => runReducer(state, { kind: 'sent', command });
const receive = (state: RunState, event: WorkerEvent) => runReducer(state, { kind: 'received', event });

const weights = {
  config: {} as never,
  normalization: { mean: 0, std: 1 },
  origin: { epoch: 1, step: 2 },
  parameters: [],
};

function loaded(requestId: number, accuracy: number | null, error: string | null = null): WorkerEvent {
  return {
    type: 'model-loaded',
    runId: 'other',
    requestId,
    test: accuracy === null ? null : { loss: 0.3, accuracy },
    error,
    ms: 5,
  };
}

describe('loaded models in the run state', () => {
  const prepared = send(INITIAL_RUN_STATE, { type: 'prepare', runId: 'p', backend: 'auto' });
  const loading = send(prepared, {
    type: 'load-model',
    runId: 'p',
    requestId: 4,
    name: 'digits',
    model: weights,
  });

  it('tracks a load from request to answer, whatever run the answer is tagged with', () => {
    expect(loading.loadedModel).toEqual({
      requestId: 4,
      name: 'digits',
      status: 'loading',
      test: null,
      error: null,
    });
    expect(receive(loading, loaded(4, 0.91)).loadedModel).toMatchObject({
      status: 'loaded',
      test: { loss: 0.3, accuracy: 0.91 },
    });
    expect(receive(loading, loaded(4, null, 'digits could not be loaded: …')).loadedModel).toMatchObject({
      status: 'failed',
      error: 'digits could not be loaded: …',
    });
  });

  it('ignores answers to older loads, and keeps the phase', () => {
    const answered = receive(loading, loaded(3, 0.5));
    expect(answered.loadedModel?.status).toBe('loading');
    expect(receive(loading, loaded(4, 0.91)).phase).toBe(loading.phase);
  });

  it('keeps the loaded model across a reset, and forgets it when a run starts', () => {
    const done = receive(loading, loaded(4, 0.91));
    expect(runReducer(done, { kind: 'reset', runId: 'r2' }).loadedModel?.status).toBe('loaded');
    const started = send(done, { type: 'start', runId: 's', backend: 'auto', config: {} as never });
    expect(started.loadedModel).toBeNull();
  });

  it('fails a load in flight when the worker crashes', () => {
    const crashed = receive(loading, { type: 'error', runId: 'p', message: 'The training worker crashed' });
    expect(crashed.loadedModel).toMatchObject({ status: 'failed', error: 'The training worker crashed' });
  });

  it('leaves the state alone for exports', () => {
    const exported = receive(loading, {
      type: 'model-export',
      runId: 'p',
      requestId: 1,
      model: null,
      error: 'none',
    });
    expect(exported).toBe(loading);
  });
});

describe('awaitModelExport', () => {
  function bus() {
    const listeners = new Set<(event: WorkerEvent) => void>();
    return {
      subscribe: (listener: (event: WorkerEvent) => void) => {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      emit: (event: WorkerEvent) => [...listeners].forEach((l) => l(event)),
      get size() {
        return listeners.size;
      },
    };
  }

  it('resolves with the answer to its request and unsubscribes', async () => {
    const events = bus();
    const reply = awaitModelExport(events.subscribe, 'p', 7);
    const model = { ...weights, testAccuracy: 0.9 };
    events.emit({ type: 'model-export', runId: 'p', requestId: 6, model: null, error: 'old' });
    events.emit({ type: 'model-export', runId: 'p', requestId: 7, model, error: null });
    await expect(reply).resolves.toBe(model);
    expect(events.size).toBe(0);
  });

  it('rejects with the worker’s message when there is no model, or on a crash', async () => {
    const events = bus();
    const none = awaitModelExport(events.subscribe, 'p', 1);
    events.emit({ type: 'model-export', runId: 'p', requestId: 1, model: null, error: 'There is no model' });
    await expect(none).rejects.toThrow('There is no model');
    const crash = awaitModelExport(events.subscribe, 'p', 2);
    events.emit({ type: 'error', runId: 'p', message: 'crashed' });
    await expect(crash).rejects.toThrow('crashed');
    expect(events.size).toBe(0);
  });
});
