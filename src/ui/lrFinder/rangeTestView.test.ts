import { describe, expect, it } from 'vitest';
import { rangeTestRate, RangeTestTracker, suggestRate, type RangeTestResult } from '../../core/lrFinder.ts';
import { formatDecade, formatRate, rangeTestView } from './rangeTestView.ts';

/** A swept valley: falls from 2.3 to 0.3 at 1e-2, then rises ×100 a decade. */
function result(): RangeTestResult {
  const tracker = new RangeTestTracker(200);
  for (;;) {
    const x = Math.log10(tracker.nextRate);
    const loss = x < -5 ? 2.3 : x <= -2 ? 2.3 - (2 / 3) * (x + 5) : 0.3 * 10 ** (2 * (x + 2));
    if (tracker.push(loss) !== null) break;
  }
  const { points } = tracker;
  return { points, stop: 'diverged', suggestion: suggestRate(points), batchSize: 32, engine: 'x', ms: 1 };
}

describe('range test view', () => {
  it('plots log10 of the rate against the smoothed loss, with the suggestion marked on the curve', () => {
    const r = result();
    const view = rangeTestView(r);
    expect(view.curve).toHaveLength(r.points.length);
    expect(view.xMin).toBeCloseTo(-7, 9);
    expect(view.curve[10]?.x).toBeCloseTo(Math.log10(rangeTestRate(10, 200)), 9);
    const rate = r.suggestion?.rate ?? 0;
    expect(view.marker).toEqual([{ x: Math.log10(rate), y: r.suggestion?.lossAtRate }]);
    expect(view.markerLine.map((p) => p.x)).toEqual([Math.log10(rate), Math.log10(rate)]);
    expect(view.rows.length).toBeLessThanOrEqual(18);
    expect(view.rows.filter((row) => row.suggested)).toHaveLength(1);
    expect(view.rows.at(-1)?.rate).toBe(r.points.at(-1)?.rate);
  });

  it('has no marker without a suggestion', () => {
    const view = rangeTestView({ ...result(), suggestion: null });
    expect(view.marker).toEqual([]);
    expect(view.rows.some((row) => row.suggested)).toBe(false);
  });

  it('writes rates and decades as people do', () => {
    expect(formatRate(0.0031622)).toBe('0.0032');
    expect(formatRate(3.2e-5)).toBe('3.2e-5');
    expect(formatRate(1e-7)).toBe('1e-7');
    expect(formatRate(10)).toBe('10');
    expect(formatDecade(-7)).toBe('1e-7');
    expect(formatDecade(-1)).toBe('0.1');
    expect(formatDecade(0)).toBe('1');
  });
});
