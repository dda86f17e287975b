/**
 * Where a line chart puts everything, before anything is drawn: the series and axes it is given
 * (a {@link ChartFrame}), the y extent, ticks, margins and scales that fit them (a
 * {@link ChartPlan}), and which points lie under the cursor. Pure: a stub measures text in tests,
 * the canvas's measureText in the browser.
 */
import type { Point } from '../core/series.ts';
import {
  decadeTicks,
  epochTicks,
  linearScale,
  linearTicks,
  niceTicks,
  type Scale,
  type Ticks,
} from './chartTicks.ts';

export interface LineSeries {
  readonly name: string;
  /** Sorted by x (epochs), finite y; the caller downsamples. */
  readonly points: readonly Point[];
  readonly color: string;
  /** Per-epoch series: a dot on every point. */
  readonly dots?: boolean;
  readonly dashed?: boolean;
}

/**
 * A shaded band between two curves on the same x values (e.g. mean ± 1 standard deviation of a
 * config's seeds), drawn under the lines.
 */
export interface LineBand {
  readonly name: string;
  /** Filled translucent in this colour. */
  readonly color: string;
  /** Sorted by x, finite bounds, `lower ≤ upper`. */
  readonly points: readonly { readonly x: number; readonly lower: number; readonly upper: number }[];
}

export type DomainBound = number | 'auto';

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/**
 * An x axis other than epochs (examples seen, training time): the same chart then plots any
 * quantity that grows from 0. Values are in the caller's unit (seconds, say, not ms, so that
 * 1-2-5 ticks fall on round numbers of it).
 */
export interface XAxis {
  /** The data's extent; the axis spans 0…max, or to the tick after it with `ticks: 'nice'`. */
  readonly max: number;
  /** Under the axis, e.g. "examples seen". */
  readonly label: string;
  /** Tick labels: "20k", "5 s". */
  readonly formatTick: (value: number) => string;
  /** The cursor readout's heading: "12,800 examples", "12.3 s". */
  readonly formatValue: (value: number) => string;
  /**
   * 'epoch': {@link epochTicks} over 0…max; 'nice' (default): {@link linearTicks}; 'decades': a
   * log axis — the points' x are log10 values (1e-3 is −3), ticked on whole powers of ten over
   * `min`…`max` ({@link decadeTicks}); `formatTick` and `formatValue` get the log10 value.
   */
  readonly ticks?: 'epoch' | 'nice' | 'decades';
  /** Where a 'decades' axis starts (log10); the other axes start at 0. */
  readonly min?: number;
}

export interface ChartFrame {
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly series: readonly LineSeries[];
  /** Shaded bands under the series; they count towards the y extent. */
  readonly bands?: readonly LineBand[] | undefined;
  /** The x axis spans epochs 0…xMax (at least 1), unless `xAxis` is given. */
  readonly xMax: number;
  /** Replaces the epoch axis (and `xMax`); absent, the chart is today's epoch chart. */
  readonly xAxis?: XAxis;
  readonly yDomain: readonly [DomainBound, DomainBound];
  /**
   * 'nice' (default): 1-2-5 ticks; 'decades': a log y axis — the points' y are log10 values,
   * ticked on whole powers of ten ({@link decadeTicks}) so no tick reads 0.631.
   */
  readonly yTicks?: 'nice' | 'decades' | undefined;
  readonly formatTick: (value: number) => string;
  /** Hovered or keyboard-selected x, in the x axis's unit (epochs by default); null for none. */
  readonly cursorX: number | null;
}

/** Where everything goes: what a draw used, and what pointer handling needs afterwards. */
export interface ChartPlan {
  readonly plot: Rect;
  readonly x: Scale;
  readonly y: Scale;
  readonly xTicks: Ticks;
  readonly yTicks: Ticks;
  readonly yLabels: readonly string[];
}

/** Room around the plot (CSS px): above, right of it, below for the tick labels and axis title; and between a tick label and its axis. */
export const MARGIN = { top: 10, right: 18, bottom: 38, tickGap: 6 } as const;
/** How close (CSS px) a point must be to the cursor to be read out. */
export const HOVER_TOLERANCE_PX = 14;

/**
 * The y range to tick: the data's extent on each 'auto' side, the caller's number on a fixed
 * side (data beyond it is clipped), [0, 1] with no data.
 */
export function yExtent(
  series: readonly LineSeries[],
  [fixedMin, fixedMax]: readonly [DomainBound, DomainBound],
  bands: readonly LineBand[] = [],
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const include = (y: number) => {
    if (!Number.isFinite(y)) return;
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  };
  for (const s of series) for (const p of s.points) include(p.y);
  for (const band of bands) {
    for (const p of band.points) {
      include(p.lower);
      include(p.upper);
    }
  }
  if (lo > hi) [lo, hi] = [0, 1];
  if (fixedMin !== 'auto') lo = fixedMin;
  if (fixedMax !== 'auto') hi = fixedMax;
  if (lo > hi) {
    // The data lies wholly beyond a fixed side: keep the fixed side, show a unit of room.
    if (fixedMin !== 'auto') hi = lo + 1;
    else lo = hi - 1;
  }
  return [lo, hi];
}

/** Index of the point whose x is nearest `x` (points sorted by x), or -1 when there are none. */
export function nearestIndex(points: readonly Point[], x: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as Point).x < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs((points[lo - 1] as Point).x - x) <= Math.abs((points[lo] as Point).x - x))
    return lo - 1;
  return lo;
}

/** For each series, its point nearest the cursor when within `tolerancePx`: what a readout shows. */
export function pointsAtCursor(
  series: readonly LineSeries[],
  cursorX: number,
  x: Scale,
  tolerancePx = HOVER_TOLERANCE_PX,
): { readonly series: LineSeries; readonly point: Point }[] {
  const out: { series: LineSeries; point: Point }[] = [];
  const cursorPx = x.map(cursorX);
  for (const s of series) {
    const point = s.points[nearestIndex(s.points, cursorX)];
    if (point && Math.abs(x.map(point.x) - cursorPx) <= tolerancePx) out.push({ series: s, point });
  }
  return out;
}

/**
 * Ticks, margins and scales for a frame. `measure` gives a label's width in CSS px (the canvas's
 * measureText in the browser, a stub in tests), so the left margin fits the widest y label.
 */
export function planChart(frame: ChartFrame, measure: (text: string) => number): ChartPlan {
  const [fixedMin, fixedMax] = frame.yDomain;
  const [lo, hi] = yExtent(frame.series, frame.yDomain, frame.bands);
  const plotHeight = Math.max(1, frame.height - MARGIN.bottom - MARGIN.top);
  const yTicks =
    frame.yTicks === 'decades'
      ? decadeTicks(lo, hi, Math.floor(plotHeight / 28) + 1)
      : niceTicks(lo, hi, { lockMin: fixedMin !== 'auto', lockMax: fixedMax !== 'auto' });
  const yLabels = yTicks.ticks.map(frame.formatTick);
  const labelWidth = Math.max(0, ...yLabels.map(measure));
  const left = Math.ceil(labelWidth) + MARGIN.tickGap + 8;
  const plot: Rect = {
    left,
    top: MARGIN.top,
    right: Math.max(left + 1, frame.width - MARGIN.right),
    bottom: Math.max(MARGIN.top + 1, frame.height - MARGIN.bottom),
  };
  const width = plot.right - plot.left;
  const xTicks =
    frame.xAxis === undefined || frame.xAxis.ticks === 'epoch'
      ? epochTicks(frame.xAxis?.max ?? frame.xMax, Math.floor(width / 44) + 1)
      : frame.xAxis.ticks === 'decades'
        ? decadeTicks(frame.xAxis.min ?? 0, frame.xAxis.max, Math.floor(width / 56) + 1)
        : linearTicks(frame.xAxis.max, Math.floor(width / 64) + 1);
  return {
    plot,
    x: linearScale(xTicks.domain, [plot.left, plot.right]),
    y: linearScale(yTicks.domain, [plot.bottom, plot.top]),
    xTicks,
    yTicks,
    yLabels,
  };
}
