import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { makeRunStartReport } from '../testing/runReportFixtures.ts';
import { describeDivergence, divergedLossText, explosionLimit, formatLoss } from '../core/divergence.ts';
import {
  INITIAL_RUN_STATE,
  canStartTraining,
  runReducer,
  type RunState,
  type StreamEvent,
} from './runState.ts';

const receive = (state: RunState, event: StreamEvent) => runReducer(state, { kind: 'received', event });

function running(): RunState {
  const state = runReducer(INITIAL_RUN_STATE, {
    kind: 'sent',
    command: { type: 'start', runId: 'r', backend: 'wasm', config: DEFAULT_CONFIG },
  });
  return receive(state, {
    type: 'run-started',
    runId: 'r',
    ...makeRunStartReport({
      epochs: 5,
      batchesPerEpoch: 16,
      trainingExamples: 2000,
      validationExamples: 6000,
    }),
  });
}

const batch = (steps: number[], losses: number[], tensors: number): StreamEvent => ({
  type: 'batch',
  runId: 'r',
  epoch: 1,
  batchInEpoch: steps[steps.length - 1] ?? 0,
  examplesPerSecond: 1000,
  learningRate: 50,
  tensors,
  steps: Uint32Array.from(steps),
  examples: Float64Array.from(steps, (step) => step * 128),
  trainingMs: Float64Array.from(steps, (step) => step * 2),
  losses: Float32Array.from(losses),
  accuracies: Float32Array.from(losses, () => 0.1),
});

const diverged = describeDivergence({
  step: 5,
  epoch: 1,
  value: Number.NaN,
  firstLoss: 2.49,
  learningRate: 50,
  optimizer: 'sgd',
  restored: { step: 2, epoch: 1 },
});

describe('runReducer: reliability', () => {
  it('ends a diverged run as stopped, keeping why and which weights it kept', () => {
    let state = receive(running(), batch([1, 2, 3, 4, 5], [2.3, 1854, 7e9, 9e21, Number.NaN], 16));
    state = receive(state, { type: 'evaluating', runId: 'r' });
    state = receive(state, {
      type: 'run-finished',
      runId: 'r',
      stopped: false,
      diverged,
      finalTest: { loss: 1e10, accuracy: 0.095 },
      best: null,
      trainMs: 12,
      tensorsAlive: 0,
    });
    expect(state.phase).toBe('stopped');
    expect(canStartTraining(state)).toBe(true);
    expect(state.run?.result?.diverged).toEqual(diverged);
    expect(state.run?.result?.diverged?.message).toBe(
      'The loss became NaN at step 5 (epoch 1): training diverged. The learning rate 50 is probably too high for SGD — try 0.1, or Adam at 0.001. The run kept the weights of step 2 (epoch 1), the last checked good before it went bad; the results below are theirs.',
    );
    expect(state.run?.result?.finalTest.accuracy).toBe(0.095);
    // The NaN point is kept in the series (the chart skips it), so the curve shows the blow-up.
    expect(state.run?.curves.trainLoss.map((p) => p.y)).toHaveLength(5);
  });

  it('a run that finished normally has no divergence', () => {
    const state = receive(running(), {
      type: 'run-finished',
      runId: 'r',
      stopped: false,
      diverged: null,
      finalTest: { loss: 0.1, accuracy: 0.97 },
      best: null,
      trainMs: 12,
      tensorsAlive: 0,
    });
    expect(state.phase).toBe('finished');
    expect(state.run?.result?.diverged).toBeNull();
  });

  it('follows the worker’s tensor count: sampled with batches, then the count after the run', () => {
    let state = running();
    expect(state.run?.tensorsAlive).toBeNull();
    state = receive(state, batch([1], [2.3], 38));
    expect(state.run?.tensorsAlive).toBe(38);
    state = receive(state, batch([2], [2.2], 38));
    expect(state.run?.tensorsAlive).toBe(38);
    state = receive(state, {
      type: 'run-finished',
      runId: 'r',
      stopped: true,
      diverged: null,
      finalTest: { loss: 0.5, accuracy: 0.8 },
      best: null,
      trainMs: 12,
      tensorsAlive: 0,
    });
    expect(state.run?.tensorsAlive).toBe(0);
    expect(state.run?.result?.tensorsAlive).toBe(0);
    // A new run starts from no sample.
    state = runReducer(state, {
      kind: 'sent',
      command: { type: 'start', runId: 's', backend: 'wasm', config: DEFAULT_CONFIG },
    });
    expect(state.run?.tensorsAlive).toBeNull();
  });
});

describe('describeDivergence', () => {
  it('blames a rate above the optimizer’s usual one, and suggests it', () => {
    const adam = describeDivergence({
      step: 1234,
      epoch: 3,
      value: Number.POSITIVE_INFINITY,
      firstLoss: 2.3,
      learningRate: 0.5,
      optimizer: 'adam',
      restored: { step: 0, epoch: 1 },
    });
    expect(adam.loss).toBe('Infinity');
    expect(adam.restored).toBe('initial weights');
    expect(adam.message).toBe(
      'The loss became Infinity at step 1,234 (epoch 3): training diverged. The learning rate 0.5 is probably too high for Adam — try 0.001. The run kept its initial weights (nothing later was checked good), so the results below are theirs.',
    );
  });

  it('says how far an exploded loss went, from where', () => {
    const exploded = describeDivergence({
      step: 3,
      epoch: 1,
      value: 7.36e9,
      firstLoss: 2.49,
      learningRate: 50,
      optimizer: 'sgd',
      restored: { step: 0, epoch: 1 },
    });
    expect(exploded.loss).toBe('exploded');
    expect(divergedLossText(exploded)).toBe('7.4e+9');
    expect(exploded.message).toBe(
      'The loss exploded to 7.4e+9 at step 3 (epoch 1), from 2.5 at the start: training diverged. The learning rate 50 is probably too high for SGD — try 0.1, or Adam at 0.001. The run kept its initial weights (nothing later was checked good), so the results below are theirs.',
    );
    expect(formatLoss(1854.7)).toBe('1,855');
    expect(explosionLimit(2.49)).toBeCloseTo(24_900);
    expect(explosionLimit(0.05)).toBe(10_000);
  });

  it('at a usual rate, still suggests a smaller one, and what else helps', () => {
    const sgd = describeDivergence({
      step: 9,
      epoch: 1,
      value: Number.NaN,
      firstLoss: 2.3,
      learningRate: 0.1,
      optimizer: 'momentum',
      restored: { step: 400, epoch: 1 },
    });
    expect(sgd.message).toContain(
      'The learning rate 0.1 is probably too high for SGD with momentum — try 0.01, or Adam at 0.001.',
    );
    const low = describeDivergence({
      ...sgd,
      value: Number.NaN,
      optimizer: 'sgd',
      learningRate: 0.05,
      restored: { step: 400, epoch: 1 },
    });
    expect(low.message).toContain(
      'The learning rate 0.05 is not unusually high for SGD, yet the updates blew up — try 0.005, or Adam at 0.001, or batch norm and the default (He) initialisation.',
    );
    expect(low.message).toContain('The run kept the weights of step 400 (epoch 1)');
  });
});
