import { memo, useMemo } from 'react';
import { downsample, type Point } from '../core/series.ts';
import { ChartDataTable, ChartLegend, describeLatest } from './ChartText.tsx';
import { LineChartFigure, type WrapSaveButton } from './LineChartFigure.tsx';
import type { DomainBound, LineSeries } from './lineChartPlan.ts';

export type ChartSeries = LineSeries;

interface MetricChartProps {
  readonly title: string;
  readonly series: readonly ChartSeries[];
  readonly xMax: number;
  readonly yDomain?: readonly [DomainBound, DomainBound];
  /** Readout and text-alternative format. */
  readonly formatY?: (value: number) => string;
  /** Axis tick format; defaults to `formatY`. */
  readonly formatTick?: (value: number) => string;
  /** Upper bound of drawn points per series, whatever the run length. */
  readonly maxPoints?: number;
  /** Wraps the "Save PNG" button (the page adds its help tip). */
  readonly wrapSaveButton?: WrapSaveButton;
}

const AUTO: readonly [DomainBound, DomainBound] = ['auto', 'auto'];
const fixed3 = (v: number) => v.toFixed(3);
const atEpoch = (x: number) => `epoch ${x.toFixed(2)}`;

/**
 * Downsampled copies keyed by the points array: the run reducer makes a new array only when a
 * series grows, so a re-render for anything else (status, throughput) reuses the drawn copy.
 */
const drawnCache = new WeakMap<readonly Point[], { readonly maxPoints: number; readonly points: Point[] }>();

function drawnPoints(points: readonly Point[], maxPoints: number): Point[] {
  const hit = drawnCache.get(points);
  if (hit && hit.maxPoints === maxPoints) return hit.points;
  const drawn = downsample(points, maxPoints);
  drawnCache.set(points, { maxPoints, points: drawn });
  return drawn;
}

/**
 * A live line chart of metric series against epochs, drawn on a canvas by LineChartView (an
 * animation frame per change, nothing per idle frame). React keeps the legend, the text
 * alternatives and the props; updates arriving ~10 times a second cost a fraction of a millisecond.
 */
export const MetricChart = memo(function MetricChart({
  title,
  series,
  xMax,
  yDomain = AUTO,
  formatY = fixed3,
  formatTick,
  maxPoints = 400,
  wrapSaveButton,
}: MetricChartProps) {
  const drawn = useMemo(
    () => series.map((s) => ({ ...s, points: drawnPoints(s.points, maxPoints) })),
    [series, maxPoints],
  );
  const spec = { series: drawn, xMax, yDomain, formatY, formatTick: formatTick ?? formatY };
  return (
    <LineChartFigure
      title={title}
      {...spec}
      wrapSaveButton={wrapSaveButton}
      legend={<ChartLegend series={series} />}
      summary={describeLatest(series, formatY, atEpoch)}
      table={<ChartDataTable title={title} series={series} formatY={formatY} />}
    />
  );
});
