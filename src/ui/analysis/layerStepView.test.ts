import { describe, expect, it } from 'vitest';
import { collectLayerStepNorms, foldLayerStepNorms, NO_LAYER_STEPS } from '../../core/layerStepNorms.ts';
import * as view from './layerStepView.ts';

const series = foldLayerStepNorms(
  NO_LAYER_STEPS,
  collectLayerStepNorms([3, 8], [Float32Array.of(0.1, 10, 1e-3, 1e-2), Float32Array.of(1, 100, 1e-4, 1e-2)]),
);

describe('the per-step layer charts', () => {
  it('plot log10 values against the step, one line per layer', () => {
    const lines = view.stepChartSeries(series, 'gradientNorms', ['Hidden 1', 'Output'], ['red']);
    expect(lines.map((l) => l.name)).toEqual(['Hidden 1', 'Output']);
    expect(lines[1]?.points.map((p) => [p.x, Math.round(p.y * 1e6) / 1e6])).toEqual([
      [3, 1],
      [8, 2],
    ]);
    expect(lines[1]?.color).toBe('red');
    expect(view.lastSampledStep(series)).toBe(8);
  });

  it('name layers by the analysis where it fits, by position otherwise', () => {
    expect(view.stepLayerNames(2, ['A', 'B'])).toEqual(['A', 'B']);
    expect(view.stepLayerNames(3, [])).toEqual(['Hidden 1', 'Hidden 2', 'Output']);
  });

  it('label log ticks as the values they stand for', () => {
    expect(view.formatLogTick(-3)).toBe('1e-3');
    expect(view.formatLogTick(-1)).toBe('0.1');
    expect(view.formatLogTick(1)).toBe('10');
    expect(view.formatLogTick(Math.log10(0.005))).toBe('0.00500');
  });

  it('tabulate and summarise the latest values', () => {
    const rows = view.latestStepRows(series, ['Hidden 1', 'Output']);
    expect(rows).toEqual([
      { name: 'Hidden 1', step: 8, gradientNorm: '1.00', updateRatio: '0.000100' },
      { name: 'Output', step: 8, gradientNorm: '100', updateRatio: '0.0100' },
    ]);
    expect(view.stepSummary(rows, 'gradientNorms')).toBe(
      'Latest gradient norm per layer (step 8): Hidden 1 1.00, Output 100.',
    );
    expect(view.stepSummary([], 'updateRatios')).toBe('No step sampled yet.');
  });
});
