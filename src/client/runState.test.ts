import { describe, expect, it } from 'vitest';
import type { EpochAnalysis } from '../worker/protocol.ts';
import {
  INITIAL_RUN_STATE,
  canStartTraining,
  hasRunToForget,
  runReducer,
  type RunState,
  type StreamEvent,
} from './runState.ts';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { makeRunStartReport } from '../testing/runReportFixtures.ts';

const start = (state: RunState, runId: string) =>
  runReducer(state, {
    kind: 'sent',
    command: { type: 'start', runId, backend: 'wasm', config: DEFAULT_CONFIG },
  });
const receive = (state: RunState, event: StreamEvent) => runReducer(state, { kind: 'received', event });

const started: StreamEvent = {
  type: 'run-started',
  runId: 'b',
  ...makeRunStartReport(),
};

describe('runReducer', () => {
  it('notes while the worker measures the engines for auto, until the run starts', () => {
    let state = start(INITIAL_RUN_STATE, 'b');
    expect(state.run?.measuringEngines).toBeUndefined();
    state = receive(state, { type: 'measuring-engines', runId: 'b' });
    expect(state.phase).toBe('starting');
    expect(state.run?.measuringEngines).toBe(true);
    state = receive(state, started);
    expect(state.phase).toBe('training');
  });

  it('follows a run from start to finish', () => {
    let state = start(INITIAL_RUN_STATE, 'b');
    expect(state.phase).toBe('starting');
    expect(canStartTraining(state)).toBe(false);
    // The run records what it was started with, so nothing outside has to remember it.
    expect(state.run?.start).toEqual({ config: DEFAULT_CONFIG, backend: 'wasm', engine: 'auto' });
    state = receive(state, started);
    expect(state.phase).toBe('training');
    state = receive(state, {
      type: 'batch',
      runId: 'b',
      epoch: 1,
      batchInEpoch: 2,
      examplesPerSecond: 1000,
      learningRate: 0.001,
      tensors: 16,
      steps: Uint32Array.of(1, 2),
      examples: Float64Array.of(128, 256),
      trainingMs: Float64Array.of(10, 20),
      losses: Float32Array.of(2, 1.5),
      accuracies: Float32Array.of(0.25, 0.5),
    });
    expect(state.run?.curves.trainLoss).toEqual([
      { x: 0.25, y: 2, examples: 128, ms: 10 },
      { x: 0.5, y: 1.5, examples: 256, ms: 20 },
    ]);
    state = receive(state, {
      type: 'epoch',
      runId: 'b',
      epoch: 1,
      step: 4,
      examples: 512,
      validation: { loss: 1.2, accuracy: 0.6 },
      trainLoss: 1.4,
      trainAccuracy: 0.55,
      learningRate: 0.001,
      epochMs: 50,
      trainingMs: 50,
    });
    expect(state.run?.curves.validationAccuracy).toEqual([{ x: 1, y: 0.6, examples: 512, ms: 50 }]);
    state = receive(state, { type: 'paused', runId: 'b' });
    expect(state.phase).toBe('paused');
    state = receive(state, { type: 'resumed', runId: 'b' });
    state = receive(state, { type: 'evaluating', runId: 'b' });
    state = receive(state, {
      type: 'run-finished',
      runId: 'b',
      stopped: false,
      diverged: null,
      finalTest: { loss: 0.1, accuracy: 0.979 },
      best: { epoch: 1, validationAccuracy: 0.6, test: { loss: 0.09, accuracy: 0.98 } },
      tensorsAlive: 0,
      trainMs: 100,
    });
    expect(state.phase).toBe('finished');
    expect(state.run?.result?.finalTest.accuracy).toBe(0.979);
    expect(state.run?.result?.best?.epoch).toBe(1);
    expect(state.run?.learningRate).toBe(0.001);
    expect(canStartTraining(state)).toBe(true);
    expect(hasRunToForget(state)).toBe(true);
  });

  it('keeps no validation points for a run without a validation split', () => {
    const state = receive(receive(start(INITIAL_RUN_STATE, 'b'), started), {
      type: 'epoch',
      runId: 'b',
      epoch: 1,
      step: 4,
      examples: 512,
      validation: null,
      trainLoss: 1.4,
      trainAccuracy: 0.55,
      learningRate: 0.001,
      epochMs: 50,
      trainingMs: 50,
    });
    expect(state.run?.curves.validationLoss).toEqual([]);
    expect(state.run?.epochMs).toEqual([50]);
    expect(state.run?.examples).toBe(512);
  });

  it('resets to a fresh, untrained state whose late events are stale', () => {
    let state = receive(start(INITIAL_RUN_STATE, 'b'), started);
    state = runReducer(state, { kind: 'reset', runId: 'r' });
    expect(state.run).toBeNull();
    expect(hasRunToForget(state)).toBe(false);
    expect(state.runId).toBe('r');
    expect(receive(state, { ...started, runId: 'b' })).toBe(state);
  });

  it('drops events of an abandoned run', () => {
    const state = start(start(INITIAL_RUN_STATE, 'a'), 'b');
    const after = receive(state, { ...started, runId: 'a' });
    expect(after).toBe(state);
  });

  it('clears the previous run but keeps data and backend status on a new start', () => {
    let state = runReducer(INITIAL_RUN_STATE, {
      kind: 'sent',
      command: { type: 'prepare', runId: 'p', backend: 'auto' },
    });
    state = receive(state, {
      type: 'data-ready',
      runId: 'p',
      trainCount: 60_000,
      testCount: 10_000,
      loadMs: 5,
    });
    expect(state.phase).toBe('ready');
    state = receive(state, { type: 'error', runId: 'p', message: 'boom' });
    expect(state.error).toBe('boom');
    state = start(state, 'c');
    expect(state.worker.data).toEqual({ trainCount: 60_000, testCount: 10_000, loadMs: 5 });
    expect(state.error).toBeNull();
    expect(state.run?.curves.trainLoss).toEqual([]);
  });

  it('keeps the test images across runs and resets, whichever preparation sent them', () => {
    let state = start(INITIAL_RUN_STATE, 'b');
    const images = new Uint8Array(784 * 2);
    state = receive(state, { type: 'test-images', runId: 'p-old', images, labels: Uint8Array.of(7, 2) });
    expect(state.worker.testImages?.images).toBe(images);
    state = runReducer(state, { kind: 'reset', runId: 'r' });
    state = start(state, 'c');
    expect(state.worker.testImages?.labels).toEqual(Uint8Array.of(7, 2));
  });

  it('collects one analysis per epoch of the current run and clears them on a new run', () => {
    let state = receive(start(INITIAL_RUN_STATE, 'b'), started);
    state = receive(state, { type: 'analysis', runId: 'b', analysis: analysis(1) });
    state = receive(state, { type: 'analysis', runId: 'b', analysis: analysis(2) });
    state = receive(state, { type: 'analysis', runId: 'stale', analysis: analysis(3) });
    expect(state.run?.analyses.map((a) => a.epoch)).toEqual([1, 2]);
    // An epoch analysed again (say, after a step) replaces the earlier one, in epoch order.
    const again = analysis(1);
    state = receive(state, { type: 'analysis', runId: 'b', analysis: again });
    expect(state.run?.analyses.map((a) => a.epoch)).toEqual([1, 2]);
    expect(state.run?.analyses[0]).toBe(again);
    expect(start(state, 'c').run?.analyses).toEqual([]);
    // A reset forgets the run, its analyses with it.
    expect(runReducer(state, { kind: 'reset', runId: 'r' }).run).toBeNull();
  });

  it('takes analyses that trail their epochs, also after run-finished, and drops those of abandoned runs', () => {
    let state = receive(start(INITIAL_RUN_STATE, 'b'), started);
    state = receive(state, epochEvent('b', 1));
    state = receive(state, epochEvent('b', 2));
    state = receive(state, { type: 'analysis', runId: 'b', analysis: analysis(1) });
    state = receive(state, epochEvent('b', 3));
    state = receive(state, { type: 'evaluating', runId: 'b' });
    state = receive(state, { type: 'run-finished', runId: 'b', ...finished });
    expect(state.phase).toBe('finished');
    // Epoch 2 was overtaken while it waited; the newest comes after the run ended.
    state = receive(state, { type: 'analysis', runId: 'b', analysis: analysis(3) });
    expect(state.phase).toBe('finished');
    expect(state.run?.analyses.map((a) => a.epoch)).toEqual([1, 3]);
    expect(state.run?.epochMs).toEqual([50, 50, 50]);
    expect(state.run?.epochEnds).toEqual([
      { validationMs: 4, analysisMs: 1 },
      { validationMs: 4, analysisMs: 1 },
      { validationMs: 4, analysisMs: 1 },
    ]);

    // A new Train, or a Reset, abandons the run: its late analyses are dropped.
    const next = start(state, 'c');
    expect(receive(next, { type: 'analysis', runId: 'b', analysis: analysis(4) }).run?.analyses).toEqual([]);
    const reset = runReducer(state, { kind: 'reset', runId: 'r' });
    expect(receive(reset, { type: 'analysis', runId: 'b', analysis: analysis(4) })).toBe(reset);
  });

  it('records a failed analysis without ending the run', () => {
    let state = receive(start(INITIAL_RUN_STATE, 'b'), started);
    state = receive(state, { type: 'analysis-failed', runId: 'b', epoch: 2, message: 'out of memory' });
    expect(state.phase).toBe('training');
    expect(state.error).toBeNull();
    expect(state.run?.analysisError).toEqual({ epoch: 2, message: 'out of memory' });
    state = receive(state, { type: 'analysis-failed', runId: 'stale', epoch: 3, message: 'x' });
    expect(state.run?.analysisError?.epoch).toBe(2);
  });
});

const finished = {
  stopped: false,
  diverged: null,
  trainMs: 150,
  finalTest: { loss: 0.5, accuracy: 0.9 },
  best: null,
  tensorsAlive: 0,
};

function epochEvent(runId: string, epoch: number): StreamEvent {
  return {
    type: 'epoch',
    runId,
    epoch,
    step: 4 * epoch,
    examples: 512 * epoch,
    validation: { loss: 1.2, accuracy: 0.6 },
    trainLoss: 1.4,
    trainAccuracy: 0.55,
    learningRate: 0.001,
    epochMs: 50,
    trainingMs: 50 * epoch,
    endOfEpoch: { validationMs: 4, analysisMs: 1 },
  };
}

function analysis(epoch: number): EpochAnalysis {
  return {
    epoch,
    predicted: new Uint8Array(4),
    confidence: new Float32Array(4),
    confusion: new Uint32Array(100),
    misclassified: [],
    pca: { rows: Int32Array.of(0, 1), layers: [] },
    layerHealth: [],
    weights: null,
    timings: { forward: 0, confusion: 0, misclassified: 0, pca: 0, weights: 0, layerHealth: 0 },
  };
}
