import { describe, expect, it } from 'vitest';
import { epochTicks, linearScale } from './chartTicks.ts';
import {
  nearestIndex,
  planChart,
  pointsAtCursor,
  yExtent,
  type ChartFrame,
  type LineSeries,
} from './lineChartPlan.ts';

describe('yExtent', () => {
  const series: LineSeries[] = [
    {
      name: 'a',
      color: '#000',
      points: [
        { x: 0, y: 2.3 },
        { x: 1, y: Number.NaN },
        { x: 2, y: 0.4 },
      ],
    },
    { name: 'b', color: '#000', points: [{ x: 1, y: 0.6 }] },
  ];
  it('spans the finite data on auto sides and the fixed value elsewhere', () => {
    expect(yExtent(series, ['auto', 'auto'])).toEqual([0.4, 2.3]);
    expect(yExtent(series, [0, 'auto'])).toEqual([0, 2.3]);
    expect(yExtent(series, ['auto', 1])).toEqual([0.4, 1]);
    expect(yExtent([], ['auto', 'auto'])).toEqual([0, 1]);
    expect(yExtent([], ['auto', 1])).toEqual([0, 1]);
  });
  it('keeps a fixed side when all data lies beyond it', () => {
    expect(yExtent(series, ['auto', 0.1])).toEqual([-0.9, 0.1]);
  });
});

describe('nearestIndex and pointsAtCursor', () => {
  const points = [0, 0.1, 0.2, 0.5, 1].map((x) => ({ x, y: x * 2 }));
  it('finds the nearest x by binary search, ties to the left', () => {
    expect(nearestIndex([], 0.3)).toBe(-1);
    expect(nearestIndex(points, -5)).toBe(0);
    expect(nearestIndex(points, 0.14)).toBe(1);
    expect(nearestIndex(points, 0.15)).toBe(1);
    expect(nearestIndex(points, 0.4)).toBe(3);
    expect(nearestIndex(points, 9)).toBe(4);
  });
  it('reads out only series with a point within the pixel tolerance', () => {
    const x = linearScale([0, 1], [0, 500]); // 5 px per 0.01 epoch
    const train: LineSeries = { name: 'train', color: '#000', points };
    const validation: LineSeries = { name: 'val', color: '#000', points: [{ x: 1, y: 0.3 }] };
    expect(pointsAtCursor([train, validation], 0.98, x).map((h) => h.series.name)).toEqual(['train', 'val']);
    const far = pointsAtCursor([train, validation], 0.5, x);
    expect(far.map((h) => [h.series.name, h.point.x])).toEqual([['train', 0.5]]);
    expect(pointsAtCursor([train], 0.35, x)).toEqual([]);
  });
});

describe('planChart', () => {
  const frame: ChartFrame = {
    width: 500,
    height: 220,
    series: [
      {
        name: 'loss',
        color: '#000',
        points: [
          { x: 0, y: 2.2 },
          { x: 1, y: 0.4 },
        ],
      },
    ],
    xMax: 2,
    yDomain: [0, 'auto'],
    formatTick: (v) => v.toFixed(2),
    cursorX: null,
  };
  const measure = (text: string) => text.length * 7;

  it('maps data to pixels inside the plot: epoch 0 left, xMax right, y up', () => {
    const { plot, x, y, yTicks, xTicks } = planChart(frame, measure);
    expect(xTicks.ticks).toEqual([0, 1, 2]);
    expect(yTicks.domain).toEqual([0, 2.5]);
    expect(x.map(0)).toBe(plot.left);
    expect(x.map(2)).toBe(plot.right);
    expect(x.map(1)).toBe((plot.left + plot.right) / 2);
    expect(y.map(0)).toBe(plot.bottom);
    expect(y.map(2.5)).toBeCloseTo(plot.top, 9);
    expect(y.map(1.25)).toBeCloseTo((plot.top + plot.bottom) / 2, 9);
    expect(plot.right).toBeLessThan(frame.width);
    expect(plot.bottom).toBeLessThan(frame.height);
  });

  it('makes the left margin room for the widest y label', () => {
    const narrow = planChart(frame, measure);
    const wide = planChart({ ...frame, formatTick: (v) => `${v.toFixed(2)} nats` }, measure);
    expect(narrow.yLabels).toContain('2.00');
    expect(narrow.plot.left).toBeGreaterThan(4 * 7);
    expect(wide.plot.left - narrow.plot.left).toBe(5 * 7);
  });

  it('fits fewer epoch labels in a narrow chart', () => {
    const narrow = planChart({ ...frame, xMax: 20, width: 200 }, measure);
    const wide = planChart({ ...frame, xMax: 20, width: 900 }, measure);
    expect(narrow.xTicks.ticks.length).toBeLessThan(wide.xTicks.ticks.length);
    expect(narrow.xTicks.ticks.length).toBeLessThanOrEqual((narrow.plot.right - narrow.plot.left) / 44 + 1);
  });
});

describe('planChart with another x axis', () => {
  const base: ChartFrame = {
    width: 500,
    height: 220,
    series: [],
    xMax: 5,
    yDomain: [0, 'auto'],
    formatTick: (v) => v.toFixed(2),
    cursorX: null,
  };
  const measure = (text: string) => text.length * 7;
  const examples = {
    max: 54_000,
    label: 'examples seen',
    formatTick: String,
    formatValue: String,
    ticks: 'nice' as const,
  };

  it('defaults to the epoch axis over 0…xMax', () => {
    const { plot, xTicks } = planChart(base, measure);
    expect(xTicks).toEqual(epochTicks(5, Math.floor((plot.right - plot.left) / 44) + 1));
    expect(xTicks.ticks).toEqual([0, 1, 2, 3, 4, 5]);
    expect(planChart({ ...base, xMax: 0.5 }, measure).xTicks.domain).toEqual([0, 1]);
  });

  it('ticks a nice axis from its own max, ignoring xMax, with wider label spacing', () => {
    const plan = planChart({ ...base, xAxis: examples }, measure);
    expect(plan.xTicks.domain).toEqual([0, 60_000]);
    expect(plan.x.map(60_000)).toBe(plan.plot.right);
    expect(plan.x.map(0)).toBe(plan.plot.left);
    expect(plan.xTicks.ticks.length).toBeLessThanOrEqual((plan.plot.right - plan.plot.left) / 64 + 1);
  });

  it('can keep epoch ticks with its own formatting', () => {
    const plan = planChart({ ...base, xAxis: { ...examples, max: 10, ticks: 'epoch' } }, measure);
    expect(plan.xTicks.domain).toEqual([0, 10]);
    expect(plan.xTicks.step).toBe(1);
  });

  it('draws a log axis from log10 values: decades from min to max, the same width each', () => {
    const rates = { ...examples, ticks: 'decades' as const, min: -7, max: Math.log10(0.75) };
    const plan = planChart({ ...base, xAxis: rates }, measure);
    expect(plan.xTicks.domain).toEqual([-7, 0]);
    expect(plan.x.map(-7)).toBe(plan.plot.left);
    expect(plan.x.map(0)).toBe(plan.plot.right);
    // 1e-5…1e-4 is as wide as 1e-2…1e-1: a log scale.
    expect(plan.x.map(-4) - plan.x.map(-5)).toBeCloseTo(plan.x.map(-1) - plan.x.map(-2), 9);
    expect(plan.xTicks.ticks).toEqual([-7, -6, -5, -4, -3, -2, -1, 0]);
  });

  it('draws a log y axis from log10 values on whole powers of ten, never between them', () => {
    const norms = {
      name: 'gradient norm',
      color: '#000',
      points: [
        { x: 0, y: Math.log10(0.158) },
        { x: 500, y: Math.log10(1.58) },
      ],
    };
    const plan = planChart(
      { ...base, series: [norms], yDomain: ['auto', 'auto'], yTicks: 'decades' },
      measure,
    );
    expect(plan.yTicks.ticks).toEqual([-1, 0, 1]);
    expect(plan.yTicks.domain).toEqual([-1, 1]);
    // The same data on the default axis gets 1-2-5 ticks between the decades.
    const nice = planChart({ ...base, series: [norms], yDomain: ['auto', 'auto'] }, measure);
    expect(nice.yTicks.ticks.some((t) => !Number.isInteger(t))).toBe(true);
  });
});
