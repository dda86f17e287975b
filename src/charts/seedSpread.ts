/**
 * The mean and ±1 standard deviation of a few runs' curves (the seeds of one config,
 * `core/seedGroups.ts`), point by point on a common x grid: what the comparison draws as a line
 * over a shaded band. Pure, so it is tested without a canvas.
 */
import type { ComparedRun } from '../core/comparedRun.ts';
import { seedGroups } from '../core/seedGroups.ts';
import type { Point } from '../core/series.ts';
import type { LineBand } from './lineChartPlan.ts';

/** The runs at one x. */
export interface SpreadPoint {
  readonly x: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 in the denominator), 0 for identical values. */
  readonly std: number;
  /** The smallest run value here (a log axis cannot show mean − std ≤ 0; it stops the band there). */
  readonly lowest: number;
}

/** Relative gap under which two x values count as one grid point. */
const SAME_X = 1e-9;

/** `points`' y at `x` by linear interpolation (x inside the points' range; points sorted by x). */
function valueAt(points: readonly Point[], x: number, from: { index: number }): number {
  while (from.index < points.length - 2 && (points[from.index + 1] as Point).x < x) from.index++;
  const a = points[from.index] as Point;
  const b = points[Math.min(from.index + 1, points.length - 1)] as Point;
  if (b.x === a.x || x <= a.x) return a.y;
  if (x >= b.x) return b.y;
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}

/**
 * Every x of the curves inside the range all of them cover, sorted, near-equal x merged, thinned
 * evenly to at most `maxPoints` (the last kept). Streaming runs end at different x; the grid ends
 * at the slowest, so the band grows as the last of them moves on.
 */
function commonGrid(curves: readonly (readonly Point[])[], maxPoints: number): number[] {
  let lo = -Infinity;
  let hi = Infinity;
  for (const curve of curves) {
    lo = Math.max(lo, (curve[0] as Point).x);
    hi = Math.min(hi, (curve[curve.length - 1] as Point).x);
  }
  if (lo > hi) return [];
  const xs = curves
    .flatMap((curve) => curve.map((p) => p.x))
    .filter((x) => x >= lo && x <= hi)
    .sort((a, b) => a - b);
  const grid: number[] = [];
  for (const x of xs) {
    const last = grid[grid.length - 1];
    if (last === undefined || x - last > SAME_X * Math.max(1, Math.abs(x))) grid.push(x);
  }
  if (grid.length <= maxPoints) return grid;
  const step = (grid.length - 1) / (Math.max(2, maxPoints) - 1);
  return Array.from({ length: Math.max(2, maxPoints) }, (_, i) => grid[Math.round(i * step)] as number);
}

/**
 * Mean and standard deviation across `curves` (each sorted by x, finite y) at each x of their
 * common grid, at most `maxPoints` points; empty with fewer than two non-empty curves or no x
 * that all of them reach.
 */
export function seedSpread(curves: readonly (readonly Point[])[], maxPoints: number): SpreadPoint[] {
  const present = curves.filter((curve) => curve.length > 0);
  if (present.length < 2 || present.length !== curves.length) return [];
  const cursors = present.map(() => ({ index: 0 }));
  return commonGrid(present, maxPoints).map((x) => {
    const values = present.map((curve, i) => valueAt(curve, x, cursors[i] as { index: number }));
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
    return { x, mean, std: Math.sqrt(squares / (values.length - 1)), lowest: Math.min(...values) };
  });
}

/** The mean line and band of one seed group on one chart. */
export interface ChartSpread {
  /** React key: the members' keys. */
  readonly key: string;
  /** The mean line's legend name: "mean of seeds 1, 2, 3". */
  readonly meanLabel: string;
  /** The band's legend name: "±1 std of seeds 1, 2, 3". */
  readonly bandLabel: string;
  readonly color: string;
  readonly points: readonly SpreadPoint[];
}

/** The spread of a lone group: neutral grey, so it reads as none of the seeds' own colours. */
export const SPREAD_COLOR = '#6e7781';

/**
 * The spread of each seed group among `runs` for one metric on one axis (`curveOf` gives a run's
 * drawn points): grey for a single group, the first member's colour where several share a chart.
 * Groups with no common x yet are left out.
 */
export function chartSpreads(
  runs: readonly ComparedRun[],
  curveOf: (run: ComparedRun) => readonly Point[],
  maxPoints: number,
): ChartSpread[] {
  const groups = seedGroups(runs);
  const byKey = new Map(runs.map((run) => [run.key, run]));
  return groups.flatMap((group) => {
    const members = group.keys.map((key) => byKey.get(key) as ComparedRun);
    const points = seedSpread(members.map(curveOf), maxPoints);
    if (points.length === 0) return [];
    const seeds = group.seeds.join(', ');
    return [
      {
        key: `spread-${group.keys.join('+')}`,
        meanLabel: `mean of seeds ${seeds}`,
        bandLabel: `±1 std of seeds ${seeds}`,
        color: groups.length === 1 ? SPREAD_COLOR : (members[0] as ComparedRun).color,
        points,
      },
    ];
  });
}

/**
 * A spread as drawn: linear, or on a log axis (log10 of the mean and bounds; where mean − std is
 * not above 0, the band stops at the lowest run, which a log axis can show).
 */
export function spreadLines(
  spread: ChartSpread,
  log: boolean,
): { readonly mean: Point[]; readonly band: LineBand['points'] } {
  const mean: Point[] = [];
  const band: { x: number; lower: number; upper: number }[] = [];
  for (const { x, mean: m, std, lowest } of spread.points) {
    if (!log) {
      mean.push({ x, y: m });
      band.push({ x, lower: m - std, upper: m + std });
    } else if (m > 0 && lowest > 0) {
      mean.push({ x, y: Math.log10(m) });
      band.push({ x, lower: Math.log10(m - std > 0 ? m - std : lowest), upper: Math.log10(m + std) });
    }
  }
  return { mean, band };
}
