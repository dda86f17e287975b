import { describe, expect, it } from 'vitest';
import type { ComparedRun } from '../core/comparedRun.ts';
import type { CurvePoint, RunCurves } from '../core/runRecord.ts';
import { EMPTY_RUN_SUMMARY } from '../testing/runSummaryFixture.ts';
import {
  axisPoints,
  compareExtent,
  compareSeries,
  compareXAxis,
  formatExamplesTick,
  formatMinutes,
  log10Points,
  MINUTES_FROM_MS,
} from './compareSeries.ts';

const point = (epoch: number, value: number, msPerEpoch = 10_000): CurvePoint => ({
  epoch,
  examples: epoch * 54_000,
  ms: epoch * msPerEpoch,
  value,
});

const summary = EMPTY_RUN_SUMMARY;

function run(key: string, curves: RunCurves, origin: ComparedRun['origin'] = 'live'): ComparedRun {
  return {
    key,
    label: `run ${key}`,
    color: '#000',
    origin,
    status: 'training',
    curves,
    summary,
    record: null,
  };
}

const trainLoss = Array.from({ length: 1000 }, (_, i) => point((i + 1) / 500, 2 / (i + 1)));
const a = run('a', {
  trainLoss,
  validationLoss: [point(1, 0.5), point(2, 0.4)],
  validationAccuracy: [point(1, 0.9), point(2, 0.93)],
});
const b = run(
  'b',
  { trainLoss: [point(0.1, 2.2), point(2.6, 0.3, 20_000)], validationLoss: [], validationAccuracy: [] },
  'history',
);

describe('compareExtent and compareXAxis', () => {
  it('takes the furthest point of any run and curve on the axis', () => {
    expect(compareExtent([a, b], 'epoch')).toBe(2.6);
    expect(compareExtent([a, b], 'examples')).toBe(150_000); // 140,400 rounded up
    expect(compareExtent([a, b], 'ms')).toBe(52_000);
    expect(compareExtent([], 'ms')).toBe(0);
  });

  it('rounds the extent up to two significant digits, so small growth keeps the axis', () => {
    const at = (examples: number) =>
      compareExtent(
        [run('x', { trainLoss: [{ ...point(1, 1), examples }], validationLoss: [], validationAccuracy: [] })],
        'examples',
      );
    expect(at(54_321)).toBe(55_000);
    expect(at(54_999)).toBe(55_000);
    expect(at(55_000)).toBe(55_000);
    expect(at(0.0123)).toBe(0.013);
    expect(at(99.1)).toBe(100);
  });

  it('rounds the epoch axis up to a whole epoch, at least one', () => {
    expect(compareXAxis('epoch', 2.6)).toMatchObject({ max: 3, ticks: 'epoch', label: 'epoch' });
    expect(compareXAxis('epoch', 2).max).toBe(2);
    expect(compareXAxis('epoch', 0).max).toBe(1);
  });

  it('counts training time in seconds, then minutes for long runs', () => {
    const short = compareXAxis('ms', 52_000);
    expect(short.max).toBe(52);
    expect(short.formatTick(10)).toBe('10 s');
    expect(short.formatValue(12.34)).toBe('12.3 s');
    expect(short.xOf(point(1, 0))).toBe(10);
    const long = compareXAxis('ms', MINUTES_FROM_MS * 2);
    expect(long.max).toBe(4);
    expect(long.formatTick(1.5)).toBe('1.5 min');
    expect(long.formatValue(2.4)).toBe('2 min 24 s');
    expect(long.key).not.toBe(short.key);
  });

  it('keeps formatter identity across extents, so the view sees an unchanged axis', () => {
    const one = compareXAxis('examples', 1000);
    const two = compareXAxis('examples', 2000);
    expect(one.formatTick).toBe(two.formatTick);
    expect(one.xOf).toBe(two.xOf);
  });

  it('labels examples and minutes compactly', () => {
    expect([0, 500, 20_000, 12_500, 1_200_000].map(formatExamplesTick)).toEqual([
      '0',
      '500',
      '20k',
      '12.5k',
      '1.2M',
    ]);
    expect(formatMinutes(2)).toBe('2 min');
    expect(formatMinutes(0.5)).toBe('0 min 30 s');
  });
});

describe('compareSeries', () => {
  it('draws one series per run: colour, label, dashed history, dots on validation curves', () => {
    const axis = compareXAxis('epoch', 3);
    const train = compareSeries([a, b], 'trainLoss', axis, 400);
    expect(train.map((s) => [s.name, s.dashed, s.dots])).toEqual([
      ['run a', false, false],
      ['run b', true, false],
    ]);
    expect(train[0]?.points).toHaveLength(400);
    const accuracy = compareSeries([a], 'validationAccuracy', axis, 400);
    expect(accuracy[0]?.dots).toBe(true);
    expect(accuracy[0]?.points).toEqual([
      { x: 1, y: 0.9 },
      { x: 2, y: 0.93 },
    ]);
  });

  it('places points on the chosen axis and memoises them by curve identity', () => {
    const examples = compareXAxis('examples', 200_000);
    const first = axisPoints(a.curves.validationLoss, examples, 400);
    expect(first.map((p) => p.x)).toEqual([54_000, 108_000]);
    expect(axisPoints(a.curves.validationLoss, compareXAxis('examples', 300_000), 400)).toBe(first);
    expect(axisPoints(a.curves.validationLoss, compareXAxis('epoch', 2), 400)).not.toBe(first);
    expect(axisPoints([...a.curves.validationLoss], examples, 400)).not.toBe(first);
  });

  it('drops non-finite values (a diverged run) instead of breaking the line scale', () => {
    const curve = [point(0.1, 2), point(0.2, Number.NaN), point(0.3, Infinity), point(0.4, 1)];
    expect(axisPoints(curve, compareXAxis('epoch', 1), 400).map((p) => p.y)).toEqual([2, 1]);
  });
});

describe('log10Points', () => {
  it('maps y to log10 and drops values a log scale cannot show', () => {
    const points = [
      { x: 0, y: 1 },
      { x: 1, y: 0.01 },
      { x: 2, y: 0 },
      { x: 3, y: Number.NaN },
    ];
    expect(log10Points(points)).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: -2 },
    ]);
    expect(log10Points(points)).toBe(log10Points(points));
  });
});
