import { describe, expect, it } from 'vitest';
import type { EpochAnalysis, WorkerEvent } from '../worker/protocol.ts';
import { INITIAL_RUN_STATE, canStartTraining, runReducer, type RunState } from './runState.ts';
import { DEFAULT_CONFIG } from '../core/config.ts';

const start = (state: RunState, runId: string) =>
  runReducer(state, {
    kind: 'sent',
    command: { type: 'start', runId, backend: 'wasm', config: DEFAULT_CONFIG },
  });
const receive = (state: RunState, event: WorkerEvent) => runReducer(state, { kind: 'received', event });

const started: WorkerEvent = {
  type: 'run-started',
  runId: 'b',
  epochs: 2,
  batchesPerEpoch: 4,
  batchSize: 128,
  normalization: { mean: 0, std: 1 },
  engine: { path: 'fused', reason: 'test' },
  trainingExamples: 512,
  validationExamples: 100,
  parameterCount: 109_386,
  fingerprints: { initialWeights: '0badcafe', dataOrder: '12345678' },
};

describe('runReducer', () => {
  it('follows a run from start to finish', () => {
    let state = start(INITIAL_RUN_STATE, 'b');
    expect(state.phase).toBe('starting');
    expect(canStartTraining(state)).toBe(false);
    state = receive(state, started);
    expect(state.phase).toBe('training');
    state = receive(state, {
      type: 'batch',
      runId: 'b',
      epoch: 1,
      batchInEpoch: 2,
      examplesPerSecond: 1000,
      trainingMs: 20,
      points: {
        steps: Uint32Array.of(1, 2),
        losses: Float32Array.of(2, 1.5),
        accuracies: Float32Array.of(0.25, 0.5),
      },
    });
    expect(state.trainLoss).toEqual([
      { x: 0.25, y: 2 },
      { x: 0.5, y: 1.5 },
    ]);
    state = receive(state, {
      type: 'epoch',
      runId: 'b',
      epoch: 1,
      step: 4,
      validationLoss: 1.2,
      validationAccuracy: 0.6,
      trainLoss: 1.4,
      trainAccuracy: 0.55,
      learningRate: 0.001,
      epochMs: 50,
      trainingMs: 50,
    });
    expect(state.validationAccuracy).toEqual([{ x: 1, y: 0.6 }]);
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
    expect(state.result?.finalTest.accuracy).toBe(0.979);
    expect(state.result?.best?.epoch).toBe(1);
    expect(state.learningRate).toBe(0.001);
    expect(canStartTraining(state)).toBe(true);
  });

  it('resets to a fresh, untrained state whose late events are stale', () => {
    let state = receive(start(INITIAL_RUN_STATE, 'b'), started);
    state = runReducer(state, { kind: 'reset', runId: 'r' });
    expect(state.run).toBeNull();
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
    expect(state.dataReady).toBe(true);
    expect(state.error).toBeNull();
    expect(state.trainLoss).toEqual([]);
  });

  it('keeps the test images across runs and resets, whichever preparation sent them', () => {
    let state = start(INITIAL_RUN_STATE, 'b');
    const images = new Uint8Array(784 * 2);
    state = receive(state, { type: 'test-images', runId: 'p-old', images, labels: Uint8Array.of(7, 2) });
    expect(state.testImages?.images).toBe(images);
    state = runReducer(state, { kind: 'reset', runId: 'r' });
    state = start(state, 'c');
    expect(state.testImages?.labels).toEqual(Uint8Array.of(7, 2));
  });

  it('collects one analysis per epoch of the current run and clears them on a new run', () => {
    let state = receive(start(INITIAL_RUN_STATE, 'b'), started);
    state = receive(state, { type: 'analysis', runId: 'b', analysis: analysis(1) });
    state = receive(state, { type: 'analysis', runId: 'b', analysis: analysis(2) });
    state = receive(state, { type: 'analysis', runId: 'stale', analysis: analysis(3) });
    expect(state.analyses.map((a) => a.epoch)).toEqual([1, 2]);
    // An epoch analysed again (say, after a step) replaces the earlier one, in epoch order.
    const again = analysis(1);
    state = receive(state, { type: 'analysis', runId: 'b', analysis: again });
    expect(state.analyses.map((a) => a.epoch)).toEqual([1, 2]);
    expect(state.analyses[0]).toBe(again);
    expect(start(state, 'c').analyses).toEqual([]);
    expect(runReducer(state, { kind: 'reset', runId: 'r' }).analyses).toEqual([]);
  });

  it('routes each augmentation preview to the view that asked for it, in order', () => {
    const ask = (state: RunState, perClass?: number) =>
      runReducer(state, {
        kind: 'sent',
        command: {
          type: 'preview-augmentation',
          runId: 'b',
          config: DEFAULT_CONFIG,
          count: 16,
          seed: 1,
          perClass,
        },
      });
    const preview = (n: number): WorkerEvent => ({
      type: 'augmentation-preview',
      runId: 'any',
      originals: new Uint8Array(784 * n),
      augmented: new Uint8Array(784 * n),
      labels: new Uint8Array(n),
    });
    let state = ask(ask(start(INITIAL_RUN_STATE, 'b'), 6), undefined);
    expect(state.pendingPreviews).toEqual(['perClass', 'sample']);
    state = receive(state, preview(60));
    expect(state.datasetPreview?.labels.length).toBe(60);
    expect(state.augmentationPreview).toBeNull();
    // Kept across a new run, like the sample preview.
    state = start(state, 'c');
    state = receive(state, preview(16));
    expect(state.augmentationPreview?.labels.length).toBe(16);
    expect(state.datasetPreview?.labels.length).toBe(60);
    expect(state.pendingPreviews).toEqual([]);
    // An answer nobody is waiting for goes to the sample preview.
    expect(receive(state, preview(8)).augmentationPreview?.labels.length).toBe(8);
    // A crash drops the requests in flight.
    state = receive(ask(state, 6), { type: 'error', runId: 'c', message: 'The training worker crashed' });
    expect(state.pendingPreviews).toEqual([]);
  });
});

describe('predictions', () => {
  const predict = (state: RunState, requestId: number) =>
    runReducer(state, {
      kind: 'sent',
      command: { type: 'predict', runId: `p-${requestId}`, requestId, pixels: new Uint8Array(784) },
    });
  const answer = (
    requestId: number,
    probabilities: Float32Array | null = new Float32Array(10),
  ): WorkerEvent => ({
    type: 'prediction',
    runId: `p-${requestId}`,
    requestId,
    probabilities,
    source: probabilities ? 'training' : null,
    epoch: probabilities ? 1 : null,
    ms: 2,
  });

  it('are side requests: they neither change the run nor drop its events', () => {
    let state = receive(start(INITIAL_RUN_STATE, 'b'), started);
    state = predict(state, 1);
    expect(state.runId).toBe('b');
    expect(state.phase).toBe('training');
    expect(state.predictionRequested).toBe(1);
    state = receive(state, answer(1));
    expect(state.prediction?.requestId).toBe(1);
    expect(state.prediction?.source).toBe('training');
    // The run's own events still arrive.
    state = receive(state, { type: 'paused', runId: 'b' });
    expect(state.phase).toBe('paused');
  });

  it('keep only the newest answer, and survive a new run', () => {
    let state = predict(predict(INITIAL_RUN_STATE, 1), 2);
    state = receive(state, answer(2, null));
    expect(state.prediction?.probabilities).toBeNull();
    // A late answer to an older request is dropped.
    expect(receive(state, answer(1))).toBe(state);
    state = start(state, 'c');
    expect(state.prediction?.requestId).toBe(2);
    expect(state.predictionRequested).toBe(2);
  });
});

function analysis(epoch: number): EpochAnalysis {
  return {
    epoch,
    predicted: new Uint8Array(4),
    confidence: new Float32Array(4),
    confusion: new Uint32Array(100),
    misclassified: [],
    pca: { rows: Int32Array.of(0, 1), layers: [] },
    weights: null,
    timings: { forward: 0, confusion: 0, misclassified: 0, pca: 0, weights: 0 },
  };
}
