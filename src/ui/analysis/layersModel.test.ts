import { describe, expect, it } from 'vitest';
import type { EpochAnalysis, LayerHealthView } from '../../core/analysisTypes.ts';
import { commonRange, decadeRange, formatInactive, layerSeries } from './layersModel.ts';

const histogram = (min: number, max: number) => ({ min, max, counts: Uint32Array.of(1, 0, 2) });

function layer(name: string, gradientNorm: number, updateRatio: number | null): LayerHealthView {
  return {
    name,
    gradientNorm,
    updateRatio,
    weights: histogram(-1, 1),
    gradients: histogram(-0.1, 0.1),
    activations: histogram(0, 3),
    inactive: null,
  };
}

const analysis = (epoch: number, layers: LayerHealthView[]) =>
  ({ epoch, layerHealth: layers }) as unknown as EpochAnalysis;

describe('layersModel', () => {
  const analyses = [
    analysis(1, [layer('H1', 0.5, null), layer('Out', 0.02, null)]),
    analysis(2, [layer('H1', 0.004, 0.1), layer('Out', 0, 0.3)]),
  ];

  it('gives each layer its positive values over the epochs', () => {
    expect(layerSeries(analyses, 'gradientNorm')).toEqual([
      {
        name: 'H1',
        points: [
          { epoch: 1, value: 0.5 },
          { epoch: 2, value: 0.004 },
        ],
      },
      { name: 'Out', points: [{ epoch: 1, value: 0.02 }] },
    ]);
    expect(layerSeries(analyses, 'updateRatio').map((s) => s.points.length)).toEqual([1, 1]);
  });

  it('spans whole decades around the values, at least one', () => {
    expect(decadeRange(layerSeries(analyses, 'gradientNorm'))).toEqual({ low: -3, high: 0 });
    expect(decadeRange([{ name: 'x', points: [{ epoch: 1, value: 1 }] }])).toEqual({ low: 0, high: 1 });
    expect(decadeRange([])).toBeNull();
  });

  it('covers every histogram in the common range and names inactive units', () => {
    expect(commonRange([histogram(-1, 1), histogram(-2, 0.5)])).toEqual({ min: -2, max: 1 });
    expect(formatInactive({ kind: 'dead', share: 0.125 })).toBe('13% dead');
    expect(formatInactive(null)).toBe('—');
  });
});
