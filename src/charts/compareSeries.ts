/**
 * Pure maths of a comparison chart: which x each curve point goes to on the chosen axis, the
 * axis's extent, unit and labels, and per-run series with bounded, memoised point arrays.
 * Kept apart from CompareChart (React) so it is tested without a DOM.
 */
import type { CompareAxis, ComparedRun } from '../core/comparedRun.ts';
import { formatCount } from '../core/format.ts';
import type { CurvePoint, RunCurves } from '../core/runRecord.ts';
import { downsample, type Point } from '../core/series.ts';
import { formatEpoch } from './chartTicks.ts';
import type { LineSeries, XAxis } from './lineChartPlan.ts';

export type CompareMetric = keyof RunCurves;

/** An x axis of a comparison: what the engine needs, plus how to place points and fill tables. */
export interface CompareXAxis extends XAxis {
  /** Memo key of the point mapping: the axis and its unit ("ms/60000"). */
  readonly key: string;
  /** A curve point's x in the axis unit (epochs, examples, seconds or minutes). */
  readonly xOf: (p: CurvePoint) => number;
  /** Column heading of the text alternative: "Examples seen". */
  readonly header: string;
  /** A table cell: "12,800", "12.3 s". */
  readonly formatCell: (x: number) => string;
}

/** Below this much training time the time axis counts seconds, from it on minutes. */
export const MINUTES_FROM_MS = 120_000;

/** 3 significant digits without float noise or trailing zeros: 12.5, 0.25, 120. */
const short = (v: number) => String(Number(v.toPrecision(3)));

/** "0", "500", "20k", "1.2M": examples seen, as a tick label. */
export function formatExamplesTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${short(v / 1e6)}M`;
  if (a >= 1e3) return `${short(v / 1e3)}k`;
  return short(v);
}

/** 2.4 (minutes) → "2 min 24 s". */
export function formatMinutes(minutes: number): string {
  const seconds = Math.round(minutes * 60);
  const rest = seconds % 60;
  return rest === 0 ? `${Math.floor(seconds / 60)} min` : `${Math.floor(seconds / 60)} min ${rest} s`;
}

// Module-level functions: the same identity on every render, so the view sees an unchanged axis.
const epochOf = (p: CurvePoint) => p.epoch;
const examplesOf = (p: CurvePoint) => p.examples;
const secondsOf = (p: CurvePoint) => p.ms / 1000;
const minutesOf = (p: CurvePoint) => p.ms / 60_000;
const epochCell = (x: number) => formatEpoch(Number(x.toFixed(2)));
const epochValue = (x: number) => `epoch ${epochCell(x)}`;
const examplesValue = (x: number) => `${formatCount(x)} examples`;
const secondsTick = (x: number) => `${short(x)} s`;
const secondsValue = (x: number) => `${x.toFixed(1)} s`;
const minutesTick = (x: number) => `${short(x)} min`;

/**
 * The furthest x of any run on `axis`, in raw units (epochs, examples, ms), rounded up to two
 * significant digits; 0 with no data. The rounding lets a streaming run move the axis about a
 * hundred times over its life rather than on every update, so charts whose own curves did not
 * change (validation, between epochs) need not redraw; the axis ends on a tick past it anyway.
 */
export function compareExtent(runs: readonly ComparedRun[], axis: CompareAxis): number {
  let max = 0;
  for (const run of runs) {
    if (axis === 'epoch' && run.plannedEpochs !== undefined) max = Math.max(max, run.plannedEpochs);
    for (const curve of [run.curves.trainLoss, run.curves.validationLoss, run.curves.validationAccuracy]) {
      const last = curve[curve.length - 1];
      if (last && Number.isFinite(last[axis]) && last[axis] > max) max = last[axis];
    }
  }
  if (max <= 0) return 0;
  const unit = 10 ** (Math.floor(Math.log10(max)) - 1);
  return Number((Math.ceil(max / unit - 1e-9) * unit).toPrecision(3));
}

/**
 * The axis for `extent` (raw units, from {@link compareExtent}). Epochs tick in whole epochs up to
 * the next whole epoch, so the axis grows an epoch at a time while runs stream; examples and time
 * use 1-2-5 ticks, time in seconds until {@link MINUTES_FROM_MS}, then in minutes.
 */
export function compareXAxis(axis: CompareAxis, extent: number): CompareXAxis {
  switch (axis) {
    case 'epoch':
      return {
        key: 'epoch',
        xOf: epochOf,
        max: Math.max(1, Math.ceil(extent - 1e-9)),
        ticks: 'epoch',
        label: 'epoch',
        header: 'Epoch',
        formatTick: formatEpoch,
        formatValue: epochValue,
        formatCell: epochCell,
      };
    case 'examples':
      return {
        key: 'examples',
        xOf: examplesOf,
        max: extent,
        ticks: 'nice',
        label: 'examples seen',
        header: 'Examples seen',
        formatTick: formatExamplesTick,
        formatValue: examplesValue,
        formatCell: formatCount,
      };
    case 'ms': {
      const minutes = extent >= MINUTES_FROM_MS;
      return {
        key: minutes ? 'ms/60000' : 'ms/1000',
        xOf: minutes ? minutesOf : secondsOf,
        max: minutes ? extent / 60_000 : extent / 1000,
        ticks: 'nice',
        label: 'training time',
        header: 'Training time',
        formatTick: minutes ? minutesTick : secondsTick,
        formatValue: minutes ? formatMinutes : secondsValue,
        formatCell: minutes ? formatMinutes : secondsValue,
      };
    }
    default: {
      const never: never = axis;
      throw new Error(`Unknown axis ${String(never)}`);
    }
  }
}

/**
 * Drawn copies keyed by the curve array, then by axis and size: a live run makes a new array only
 * when its curve grows, so the other runs' copies (and a whole re-render for a status change)
 * are reused, and a chart redraws only for runs that moved.
 */
const drawnCache = new WeakMap<readonly CurvePoint[], Map<string, Point[]>>();

/** `curve` placed on `axis`, bucket-averaged to at most `maxPoints` points (non-finite values dropped). */
export function axisPoints(curve: readonly CurvePoint[], axis: CompareXAxis, maxPoints: number): Point[] {
  const key = `${axis.key} ${maxPoints}`;
  let byAxis = drawnCache.get(curve);
  const hit = byAxis?.get(key);
  if (hit) return hit;
  const drawn = downsample(
    curve.map((p) => ({ x: axis.xOf(p), y: p.value })),
    maxPoints,
  );
  if (!byAxis) drawnCache.set(curve, (byAxis = new Map()));
  byAxis.set(key, drawn);
  return drawn;
}

/**
 * One series per run: the run's colour, dashed for runs from the history, a dot per epoch on the
 * validation curves (per-batch training loss has too many points for dots).
 */
export function compareSeries(
  runs: readonly ComparedRun[],
  metric: CompareMetric,
  axis: CompareXAxis,
  maxPoints: number,
): LineSeries[] {
  const dots = metric !== 'trainLoss';
  return runs.map((run) => ({
    name: run.label,
    color: run.color,
    dashed: run.origin === 'history',
    dots,
    points: axisPoints(run.curves[metric], axis, maxPoints),
  }));
}

const logCache = new WeakMap<readonly Point[], Point[]>();

/** `points` with y as log10(y) for a log-scale chart, memoised by array; y ≤ 0 is dropped. */
export function log10Points(points: readonly Point[]): Point[] {
  const hit = logCache.get(points);
  if (hit) return hit;
  const logged = points.filter((p) => p.y > 0).map((p) => ({ x: p.x, y: Math.log10(p.y) }));
  logCache.set(points, logged);
  return logged;
}
