import type { RangeTestPoint, RangeTestResult } from '../../core/lrFinder.ts';
import type { Point } from '../../core/series.ts';

/**
 * What the page shows of a range test, computed once per result: the plotted points (x is
 * log10 of the rate, for the chart's log axis), the suggestion marker, and the rows of the table
 * alternative. Pure, so it is tested without a browser.
 */

/** Rows the table alternative shows at most (evenly spaced over the sweep, plus the suggestion). */
const TABLE_ROWS = 16;

/** A rate as people write it: 0.0032, 3.2e-5, 1 (two significant digits). */
export function formatRate(rate: number): string {
  const rounded = Number(rate.toPrecision(2));
  return rounded >= 1e-4 ? String(rounded) : rounded.toExponential(1).replace('.0e', 'e');
}

/** A decade tick of the log axis: 1e-7 … 0.1, 1, 10. */
export function formatDecade(exponent: number): string {
  return exponent >= -1 ? String(10 ** exponent) : `1e${exponent}`;
}

export interface RangeTestView {
  /** `(log10 rate, smoothed loss)` per step. */
  readonly curve: Point[];
  /** The suggestion on the curve, and a vertical line through it; empty without a suggestion. */
  readonly marker: Point[];
  readonly markerLine: Point[];
  /** The axis span, log10 of the first and last rate. */
  readonly xMin: number;
  readonly xMax: number;
  /** The table alternative's rows; `suggested` marks the nearest row to the suggestion. */
  readonly rows: readonly (RangeTestPoint & { readonly suggested: boolean })[];
}

export function rangeTestView(result: RangeTestResult): RangeTestView {
  const { points, suggestion } = result;
  const curve = points.map((p) => ({ x: Math.log10(p.rate), y: p.smoothed }));
  const losses = points.map((p) => p.smoothed);
  const marker = suggestion === null ? [] : [{ x: Math.log10(suggestion.rate), y: suggestion.lossAtRate }];
  const markerLine =
    suggestion === null
      ? []
      : [
          { x: Math.log10(suggestion.rate), y: Math.min(...losses) },
          { x: Math.log10(suggestion.rate), y: Math.max(...losses) },
        ];
  const every = Math.max(1, Math.ceil(points.length / TABLE_ROWS));
  const nearest =
    suggestion === null
      ? -1
      : points.reduce(
          (best, p, i) =>
            Math.abs(Math.log(p.rate / suggestion.rate)) <
            Math.abs(Math.log((points[best]?.rate ?? 1) / suggestion.rate))
              ? i
              : best,
          0,
        );
  const rows = points
    .map((p, i) => ({
      ...p,
      suggested: i === nearest,
      keep: i % every === 0 || i === points.length - 1 || i === nearest,
    }))
    .filter((row) => row.keep)
    .map(({ keep: _keep, ...row }) => row);
  return {
    curve,
    marker,
    markerLine,
    xMin: curve[0]?.x ?? -7,
    xMax: curve.at(-1)?.x ?? 1,
    rows,
  };
}
