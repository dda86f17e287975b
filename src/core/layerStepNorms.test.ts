import { describe, expect, it } from 'vitest';
import { l2Norm } from './layerHealth.ts';
import {
  collectLayerStepNorms,
  foldLayerStepNorms,
  MAX_STEP_POINTS,
  NO_LAYER_STEPS,
  relativeChange,
  type LayerStepSeries,
} from './layerStepNorms.ts';

describe('layer step norms', () => {
  it('measures norms and relative changes', () => {
    expect(l2Norm(Float32Array.of(3, 4))).toBe(5);
    expect(l2Norm(Float32Array.of(9, 3, 4, 9), 1, 2)).toBe(5);
    expect(relativeChange(Float32Array.of(3, 4), 0, Float32Array.of(0, 3, 4.5), 1, 2)).toBeCloseTo(0.1, 6);
    expect(relativeChange(Float32Array.of(0, 0), 0, Float32Array.of(1, 1), 0, 2)).toBeNaN();
  });

  it('gathers per-sample [2L] vectors into a report', () => {
    const norms = collectLayerStepNorms(
      [4, 9],
      [Float32Array.of(1, 2, 0.1, 0.2), Float32Array.of(3, 4, 0.3, 0.4)],
    );
    expect(norms.layers).toBe(2);
    expect([...norms.steps]).toEqual([4, 9]);
    expect([...norms.gradientNorms]).toEqual([1, 2, 3, 4]);
    expect([...norms.updateRatios].map((v) => +v.toFixed(3))).toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it('folds samples per layer, skipping values a log axis cannot show', () => {
    const report = collectLayerStepNorms(
      [1, 2],
      [Float32Array.of(1, 0, 0.5, NaN), Float32Array.of(2, 3, 0.25, 0.1)],
    );
    const series = foldLayerStepNorms(NO_LAYER_STEPS, report);
    expect(series.gradientNorms[0]).toEqual([
      { step: 1, value: 1 },
      { step: 2, value: 2 },
    ]);
    expect(series.gradientNorms[1]).toEqual([{ step: 2, value: 3 }]);
    expect(series.updateRatios[1]?.map((p) => p.step)).toEqual([2]);
  });

  it('stays bounded on a batch-1 run of 20,000 sampled steps, thinned evenly', () => {
    let series: LayerStepSeries = NO_LAYER_STEPS;
    for (let step = 1; step <= 20_000; step++) {
      series = foldLayerStepNorms(
        series,
        collectLayerStepNorms([step], [Float32Array.of(step, 1, 1e-3, 1e-3)]),
      );
    }
    const first = series.gradientNorms[0] ?? [];
    expect(first.length).toBeLessThanOrEqual(MAX_STEP_POINTS);
    expect(first.length).toBeGreaterThan(MAX_STEP_POINTS / 4);
    expect(series.seen).toBe(20_000);
    // Evenly spaced real samples from the first step to near the last.
    const gaps = new Set(first.slice(1).map((p, i) => p.step - (first[i]?.step ?? 0)));
    expect([...gaps]).toEqual([series.stride]);
    expect(first[0]?.step).toBe(1);
    expect(first.at(-1)?.step).toBeGreaterThan(20_000 - series.stride);
    expect(first.every((p) => p.value === p.step)).toBe(true);
  });
});
