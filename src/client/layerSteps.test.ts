import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import type { BatchReport } from '../core/runReports.ts';
import { collectLayerStepNorms, MAX_STEP_POINTS } from '../core/layerStepNorms.ts';
import { makeRunStartReport } from '../testing/runReportFixtures.ts';
import { INITIAL_RUN_STATE, runReducer, type RunState, type StreamEvent } from './runState.ts';

/** The page's state keeps the per-step layer norms bounded, and says when an engine measures none. */

const receive = (state: RunState, event: StreamEvent) => runReducer(state, { kind: 'received', event });

function started(): RunState {
  const state = runReducer(INITIAL_RUN_STATE, {
    kind: 'sent',
    command: { type: 'start', runId: 'r', backend: 'wasm', config: DEFAULT_CONFIG },
  });
  return receive(state, { type: 'run-started', runId: 'r', ...makeRunStartReport() });
}

function batch(step: number, layerNorms: BatchReport['layerNorms']): StreamEvent {
  return {
    type: 'batch',
    runId: 'r',
    epoch: 1,
    batchInEpoch: step,
    examplesPerSecond: 1000,
    learningRate: 0.001,
    tensors: 0,
    steps: Uint32Array.of(step),
    examples: Float64Array.of(step),
    trainingMs: Float64Array.of(step),
    losses: Float32Array.of(1),
    accuracies: Float32Array.of(0.5),
    ...(layerNorms === undefined ? {} : { layerNorms }),
  };
}

describe('per-step layer norms in the run state', () => {
  it('stay bounded over a batch-1 run of 20,000 sampled steps', () => {
    let state = started();
    for (let step = 1; step <= 20_000; step++) {
      const norms = collectLayerStepNorms([step], [Float32Array.of(1, 2, 3, 1e-3, 1e-3, 1e-3)]);
      state = receive(state, batch(step, norms));
    }
    const series = state.run?.layerSteps;
    expect(series?.gradientNorms).toHaveLength(3);
    for (const points of [...(series?.gradientNorms ?? []), ...(series?.updateRatios ?? [])]) {
      expect(points.length).toBeGreaterThan(MAX_STEP_POINTS / 4);
      expect(points.length).toBeLessThanOrEqual(MAX_STEP_POINTS);
    }
  });

  it('keep the series when a report has no sample, and note an engine that measures none', () => {
    let state = started();
    state = receive(state, batch(1, collectLayerStepNorms([1], [Float32Array.of(1, 0.1)])));
    state = receive(state, batch(2, undefined));
    expect(state.run?.layerSteps?.gradientNorms[0]).toEqual([{ step: 1, value: 1 }]);
    state = receive(state, batch(3, null));
    expect(state.run?.layerSteps).toBeNull();
  });
});
