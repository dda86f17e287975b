import { describe, expect, it } from 'vitest';
import type { ComparedRun } from '../core/comparedRun.ts';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { EMPTY_RUN_SUMMARY } from '../testing/runSummaryFixture.ts';
import { yExtent } from './lineChartPlan.ts';
import { chartSpreads, seedSpread, SPREAD_COLOR, spreadLines } from './seedSpread.ts';

const curve = (...ys: number[]) => ys.map((y, i) => ({ x: i + 1, y }));

describe('seedSpread', () => {
  it('gives the mean and sample standard deviation at each common x', () => {
    const spread = seedSpread([curve(0.9, 0.92, 0.95), curve(0.8, 0.9, 0.93), curve(0.85, 0.94, 0.94)], 100);
    expect(spread.map((p) => p.x)).toEqual([1, 2, 3]);
    expect(spread[0]?.mean).toBeCloseTo(0.85, 12);
    expect(spread[0]?.std).toBeCloseTo(0.05, 12); // values 0.9, 0.8, 0.85: deviations ±0.05, 0
    expect(spread[1]?.mean).toBeCloseTo(0.92, 12);
    expect(spread[1]?.std).toBeCloseTo(0.02, 12);
    expect(spread[2]?.lowest).toBe(0.93);
  });

  it('stops where the slowest run is and interpolates between another run’s points', () => {
    const fast = [
      { x: 0, y: 2 },
      { x: 1, y: 1 },
      { x: 2, y: 0 },
    ];
    const slow = [
      { x: 0, y: 2 },
      { x: 0.5, y: 1 },
    ];
    const spread = seedSpread([fast, slow], 100);
    expect(spread.map((p) => p.x)).toEqual([0, 0.5]);
    expect(spread[1]?.mean).toBeCloseTo(1.25, 12); // fast at 0.5 is 1.5
    expect(spread[1]?.std).toBeCloseTo(Math.SQRT1_2 * 0.5, 12);
    expect(spread[0]?.std).toBe(0);
  });

  it('is empty for fewer than two curves, an empty curve, or no x they share', () => {
    expect(seedSpread([curve(1, 2)], 10)).toEqual([]);
    expect(seedSpread([curve(1, 2), []], 10)).toEqual([]);
    expect(seedSpread([curve(1), [{ x: 5, y: 1 }]], 10)).toEqual([]);
  });

  it('thins a long grid to at most maxPoints, keeping both ends', () => {
    const long = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i }));
    const shifted = long.map((p) => ({ x: p.x + 0.5, y: p.y }));
    const spread = seedSpread([long, shifted], 50);
    expect(spread).toHaveLength(50);
    expect(spread[0]?.x).toBe(0.5);
    expect(spread[49]?.x).toBe(999);
  });
});

describe('chartSpreads and spreadLines', () => {
  const run = (key: string, seed: number, ys: number[], color = '#111'): ComparedRun => ({
    key,
    label: `seed ${seed}`,
    color,
    origin: 'live',
    status: 'training',
    curves: {
      trainLoss: [],
      validationLoss: ys.map((value, i) => ({ epoch: i + 1, examples: 0, ms: 0, value })),
      validationAccuracy: [],
    },
    summary: EMPTY_RUN_SUMMARY,
    record: null,
    config: { ...DEFAULT_CONFIG, seed },
  });
  const epochs = (r: ComparedRun) => r.curves.validationLoss.map((p) => ({ x: p.epoch, y: p.value }));

  it('summarises the runs of one config that differ by seed, grey when alone', () => {
    const spreads = chartSpreads([run('a', 1, [0.5, 0.3]), run('b', 2, [0.7, 0.1])], epochs, 100);
    expect(spreads).toHaveLength(1);
    expect(spreads[0]).toMatchObject({ meanLabel: 'mean of seeds 1, 2', color: SPREAD_COLOR });
    expect(spreads[0]?.bandLabel).toBe('±1 std of seeds 1, 2');
    expect(spreads[0]?.points.map((p) => Number(p.mean.toFixed(9)))).toEqual([0.6, 0.2]);
    expect(chartSpreads([run('a', 1, [0.5])], epochs, 100)).toEqual([]);
  });

  it('draws mean ± std, and on a log axis stops the band at the lowest run where mean − std ≤ 0', () => {
    const [spread] = chartSpreads([run('a', 1, [1, 0.01]), run('b', 2, [3, 2])], epochs, 100);
    if (spread === undefined) throw new Error('no spread');
    const linear = spreadLines(spread, false);
    expect(linear.mean.map((p) => p.y)).toEqual([2, 1.005]);
    expect(linear.band[0]?.lower).toBeCloseTo(2 - Math.SQRT2, 12);
    expect(linear.band[0]?.upper).toBeCloseTo(2 + Math.SQRT2, 12);
    const log = spreadLines(spread, true);
    expect(log.mean[0]?.y).toBeCloseTo(Math.log10(2), 12);
    expect(log.band[1]?.lower).toBeCloseTo(Math.log10(0.01), 12); // 1.005 − 1.407 < 0
  });

  it('counts towards the chart’s y extent', () => {
    const band = { name: 'b', color: '#000', points: [{ x: 1, lower: -0.5, upper: 2 }] };
    expect(yExtent([], ['auto', 'auto'], [band])).toEqual([-0.5, 2]);
  });
});
