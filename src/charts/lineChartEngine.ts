/**
 * A small line-chart engine for live training metrics: pure maths (nice ticks, scales, the
 * points under a cursor) and one draw call on a CanvasRenderingContext2D. It never queries the
 * DOM: the view (lineChartView.ts) owns the canvas, sizes it, reads the theme and decides when to
 * draw. A draw of two 400-point series is a fraction of a millisecond, so it can run on every
 * update without the main-thread cost of an SVG chart library (which took 40–140 ms per update
 * here while the training worker held the other core).
 */
import type { Point } from '../core/series.ts';

export interface LineSeries {
  readonly name: string;
  /** Sorted by x (epochs), finite y; the caller downsamples. */
  readonly points: readonly Point[];
  readonly color: string;
  /** Per-epoch series: a dot on every point. */
  readonly dots?: boolean;
  readonly dashed?: boolean;
}

export type DomainBound = number | 'auto';

/** Tick positions and the domain they span. `domain` is where the plot's edges are, in data units. */
export interface Ticks {
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly step: number;
}

/** Colours and font, read from CSS by the view so the chart follows the page theme. */
export interface ChartTheme {
  readonly grid: string;
  readonly axis: string;
  readonly text: string;
  readonly muted: string;
  readonly background: string;
  readonly fontFamily: string;
}

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** A linear map from data to pixels (CSS px) and back. */
export interface Scale {
  readonly map: (value: number) => number;
  readonly invert: (pixel: number) => number;
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
  /** 'epoch': {@link epochTicks} over 0…max; 'nice' (default): {@link linearTicks}. */
  readonly ticks?: 'epoch' | 'nice';
}

export interface ChartFrame {
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly series: readonly LineSeries[];
  /** The x axis spans epochs 0…xMax (at least 1), unless `xAxis` is given. */
  readonly xMax: number;
  /** Replaces the epoch axis (and `xMax`); absent, the chart is today's epoch chart. */
  readonly xAxis?: XAxis;
  readonly yDomain: readonly [DomainBound, DomainBound];
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

export const FONT_SIZE = 12;
const MARGIN = { top: 10, right: 18, bottom: 38, tickGap: 6 } as const;
/** How close (CSS px) a point must be to the cursor to be read out. */
export const HOVER_TOLERANCE_PX = 14;

/** Rounds away float noise: 0.30000000000000004 → 0.3, for a tick that is a multiple of `step`. */
function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 20)));
}

/**
 * Step multipliers per decade, tried in order: 1-2-5 reads best; 2.5 when 1-2-5 cannot give 4–6
 * ticks; the last set, no two neighbours more than 1.5× apart, always can, even with both ends
 * fixed at arbitrary values (a window of 4–6 steps spans a factor of 1.5).
 */
const STEP_SETS: readonly (readonly number[])[] = [
  [1, 2, 5],
  [1, 2, 2.5, 5],
  [1, 1.5, 2, 2.5, 3, 4, 5, 7.5],
];

/**
 * Nice ticks for [min, max]: multiples of 1, 2 or 5 × 10^k (others as fallbacks), between
 * `minCount` and `maxCount` of them, the smallest such step. An unlocked side grows outward to a
 * tick (the domain then starts and ends on a labelled line); a locked side stays exactly where
 * the caller fixed it, and the ticks are the multiples inside. Equal bounds are widened first.
 */
export function niceTicks(
  min: number,
  max: number,
  { lockMin = false, lockMax = false, minCount = 4, maxCount = 6 } = {},
): Ticks {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    if (lockMin && lockMax)
      hi += pad; // both fixed and equal: grow the top
    else {
      if (!lockMin) lo -= pad;
      if (!lockMax) hi += pad;
    }
  }
  const span = hi - lo;
  const exponent = Math.floor(Math.log10(span / maxCount));
  const eps = 1e-9;
  let fallback: { step: number; a: number; b: number; miss: number } | null = null;
  for (const multipliers of STEP_SETS) {
    for (let e = exponent - 1; e <= exponent + 2; e++) {
      for (const m of multipliers) {
        const step = m * 10 ** e;
        const a = lockMin ? Math.ceil(lo / step - eps) : Math.floor(lo / step + eps);
        const b = lockMax ? Math.floor(hi / step + eps) : Math.ceil(hi / step - eps);
        const count = b - a + 1;
        if (count >= minCount && count <= maxCount) return build(step, a, b);
        const miss = count < minCount ? minCount - count : count - maxCount;
        if (fallback === null || miss < fallback.miss) fallback = { step, a, b, miss };
      }
    }
  }
  // Unreachable for sane counts (the sweep in the tests finds none), but never throw in a draw.
  const f = fallback ?? { step: span, a: 0, b: 1 };
  return build(f.step, f.a, f.b);

  function build(step: number, a: number, b: number): Ticks {
    const ticks: number[] = [];
    for (let i = a; i <= b; i++) ticks.push(roundToStep(i * step, step));
    const domain: [number, number] = [
      lockMin ? lo : roundToStep(a * step, step),
      lockMax ? hi : roundToStep(b * step, step),
    ];
    return { domain, ticks, step };
  }
}

/**
 * Epoch ticks over 0…xMax: quarter epochs for a one-epoch run, whole epochs once there are two
 * or more (an epoch is the unit a person counts in), then 2, 5, 10, 20, … as room runs out.
 * `maxCount` comes from the plot width, so labels never crowd.
 */
export function epochTicks(xMax: number, maxCount = 11): Ticks {
  const hi = Math.max(xMax, 1);
  const steps = hi < 2 ? [0.25, 0.5, 1] : [];
  for (let e = 0; e < 12; e++) for (const m of [1, 2, 5]) steps.push(m * 10 ** e);
  const step = steps.find((s) => Math.floor(hi / s + 1e-9) + 1 <= Math.max(2, maxCount)) ?? hi;
  const ticks: number[] = [];
  for (let i = 0; i * step <= hi + 1e-9; i++) ticks.push(roundToStep(i * step, step));
  return { domain: [0, hi], ticks, step };
}

/**
 * Ticks over 0…max for a quantity without a natural unit step (examples, seconds): the smallest
 * 1-2-5 × 10^k step giving at most `maxCount` ticks, with the domain grown to the tick at or
 * after `max`, so a live axis moves in whole steps rather than on every update.
 */
export function linearTicks(max: number, maxCount = 6): Ticks {
  const hi = Number.isFinite(max) && max > 0 ? max : 1;
  const count = Math.max(2, maxCount);
  for (let e = Math.floor(Math.log10(hi)) - 3; ; e++) {
    for (const m of [1, 2, 5]) {
      const step = m * 10 ** e;
      const n = Math.max(1, Math.ceil(hi / step - 1e-9));
      if (n + 1 > count) continue;
      const ticks: number[] = [];
      for (let i = 0; i <= n; i++) ticks.push(roundToStep(i * step, step));
      return { domain: [0, ticks[n] as number], ticks, step };
    }
  }
}

/** "0", "0.25", "3": epochs as a person writes them. */
export function formatEpoch(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(2)));
}

/** Maps [d0, d1] onto [r0, r1] (either may run backwards, as y does on a canvas). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return {
    map: (v) => r0 + (v - d0) * k,
    invert: (p) => (k === 0 ? d0 : d0 + (p - r0) / k),
  };
}

/**
 * The y range to tick: the data's extent on each 'auto' side, the caller's number on a fixed
 * side (data beyond it is clipped), [0, 1] with no data.
 */
export function yExtent(
  series: readonly LineSeries[],
  [fixedMin, fixedMax]: readonly [DomainBound, DomainBound],
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const p of s.points) {
      if (!Number.isFinite(p.y)) continue;
      if (p.y < lo) lo = p.y;
      if (p.y > hi) hi = p.y;
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
  const [lo, hi] = yExtent(frame.series, frame.yDomain);
  const yTicks = niceTicks(lo, hi, { lockMin: fixedMin !== 'auto', lockMax: fixedMax !== 'auto' });
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

/**
 * Paints a frame: grid, axes and labels, then each series (a polyline; per-epoch series dashed
 * with dots), then the cursor line and markers. The context's backing store is `dpr` device
 * pixels per CSS pixel; everything here is in CSS pixels, with 1-px lines aligned to device pixels.
 */
export function drawLineChart(
  ctx: CanvasRenderingContext2D,
  frame: ChartFrame,
  theme: ChartTheme,
  dpr: number,
): ChartPlan {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, frame.width, frame.height);
  ctx.font = `${FONT_SIZE}px ${theme.fontFamily}`;
  const plan = planChart(frame, (text) => ctx.measureText(text).width);
  const { plot, x, y, xTicks, yTicks, yLabels } = plan;
  // A hairline of whole device pixels sits on a pixel centre: crisp at any devicePixelRatio.
  const hairline = Math.max(1, Math.round(dpr));
  const crisp = (v: number) => (Math.round(v * dpr - (hairline % 2) / 2) + (hairline % 2) / 2) / dpr;

  ctx.lineWidth = hairline / dpr;
  ctx.strokeStyle = theme.grid;
  ctx.setLineDash([]);
  ctx.beginPath();
  for (const t of yTicks.ticks) {
    const py = crisp(y.map(t));
    ctx.moveTo(plot.left, py);
    ctx.lineTo(plot.right, py);
  }
  for (const t of xTicks.ticks) {
    const px = crisp(x.map(t));
    ctx.moveTo(px, plot.top);
    ctx.lineTo(px, plot.bottom);
  }
  ctx.stroke();

  ctx.strokeStyle = theme.axis;
  ctx.beginPath();
  ctx.moveTo(crisp(plot.left), plot.top);
  ctx.lineTo(crisp(plot.left), crisp(plot.bottom));
  ctx.lineTo(plot.right, crisp(plot.bottom));
  ctx.stroke();

  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  yTicks.ticks.forEach((t, i) => ctx.fillText(yLabels[i] ?? '', plot.left - MARGIN.tickGap, y.map(t)));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const formatX = frame.xAxis?.formatTick ?? formatEpoch;
  for (const t of xTicks.ticks) ctx.fillText(formatX(t), x.map(t), plot.bottom + MARGIN.tickGap);
  ctx.fillStyle = theme.text;
  ctx.textBaseline = 'bottom';
  ctx.fillText(frame.xAxis?.label ?? 'epoch', (plot.left + plot.right) / 2, frame.height - 2);

  ctx.save();
  ctx.beginPath();
  // A little beyond the plot so a dot on the edge (epoch xMax, accuracy 100%) is not cut in half.
  ctx.rect(plot.left - 4, plot.top - 4, plot.right - plot.left + 8, plot.bottom - plot.top + 8);
  ctx.clip();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const s of frame.series) drawSeries(ctx, s, x, y, theme);
  if (frame.cursorX !== null) drawCursor(ctx, frame, plan, theme, crisp, hairline / dpr);
  ctx.restore();
  return plan;
}

function drawSeries(ctx: CanvasRenderingContext2D, s: LineSeries, x: Scale, y: Scale, theme: ChartTheme) {
  if (s.points.length === 0) return;
  ctx.strokeStyle = s.color;
  ctx.lineWidth = s.dots ? 2 : 1.5;
  ctx.setLineDash(s.dashed ? [6, 3] : []);
  ctx.beginPath();
  s.points.forEach((p, i) => {
    if (i === 0) ctx.moveTo(x.map(p.x), y.map(p.y));
    else ctx.lineTo(x.map(p.x), y.map(p.y));
  });
  ctx.stroke();
  ctx.setLineDash([]);
  if (!s.dots) return;
  ctx.fillStyle = s.color;
  ctx.strokeStyle = theme.background;
  ctx.lineWidth = 1;
  for (const p of s.points) {
    ctx.beginPath();
    ctx.arc(x.map(p.x), y.map(p.y), 3.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}

function drawCursor(
  ctx: CanvasRenderingContext2D,
  frame: ChartFrame,
  { plot, x, y }: ChartPlan,
  theme: ChartTheme,
  crisp: (v: number) => number,
  lineWidth: number,
) {
  const cursorX = frame.cursorX ?? 0;
  const px = crisp(x.map(cursorX));
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = lineWidth;
  ctx.globalAlpha = 0.6;
  ctx.beginPath();
  ctx.moveTo(px, plot.top);
  ctx.lineTo(px, plot.bottom);
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2;
  ctx.strokeStyle = theme.background;
  for (const { series, point } of pointsAtCursor(frame.series, cursorX, x)) {
    ctx.fillStyle = series.color;
    ctx.beginPath();
    ctx.arc(x.map(point.x), y.map(point.y), 4.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}
