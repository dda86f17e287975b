import { memo, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { downsample, type Point } from '../core/series.ts';
import { formatEpoch, type DomainBound, type LineSeries } from './lineChartEngine.ts';
import { LineChartView, type LineChartSpec } from './lineChartView.ts';

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
}

const AUTO: readonly [DomainBound, DomainBound] = ['auto', 'auto'];
const fixed3 = (v: number) => v.toFixed(3);
/** Per-epoch rows of the hidden table per series: enough to read the trend, small enough to skim. */
const EPOCH_ROWS = 10;

/** One sentence per series with its latest value: the chart's text alternative. */
function describe(series: readonly ChartSeries[], formatY: (v: number) => string): string {
  const parts = series
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const last = s.points[s.points.length - 1] as Point;
      return `${s.name} ${formatY(last.y)} at epoch ${last.x.toFixed(2)}`;
    });
  return parts.length > 0 ? `Latest: ${parts.join('; ')}.` : 'No data yet.';
}

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
}: MetricChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const readoutRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<LineChartView | null>(null);
  const drawn = useMemo(
    () => series.map((s) => ({ ...s, points: drawnPoints(s.points, maxPoints) })),
    [series, maxPoints],
  );
  const spec: LineChartSpec = useMemo(
    () => ({ series: drawn, xMax, yDomain, formatY, formatTick: formatTick ?? formatY }),
    [drawn, xMax, yDomain, formatY, formatTick],
  );
  const specRef = useRef(spec);

  useLayoutEffect(() => {
    specRef.current = spec;
    viewRef.current?.update(spec);
  }, [spec]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const readout = readoutRef.current;
    if (!canvas || !readout) return;
    const view = new LineChartView(canvas, readout, specRef.current);
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, []);

  const summary = describe(series, formatY);
  const slug = title.toLowerCase().replace(/\s+/g, '-');
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ul className="chart-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.name}>
            <svg width="26" height="10" viewBox="0 0 26 10">
              <line
                x1="1"
                y1="5"
                x2="25"
                y2="5"
                stroke={s.color}
                strokeWidth={s.dots ? 2 : 1.5}
                strokeDasharray={s.dashed ? '6 3' : undefined}
              />
              {s.dots ? <circle cx="13" cy="5" r="3.5" fill={s.color} /> : null}
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
      <div className="chart-plot">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={`${title}. ${summary}`}
          aria-keyshortcuts="ArrowLeft ArrowRight Home End Escape"
          tabIndex={0}
        />
        <div ref={readoutRef} className="chart-readout" hidden />
      </div>
      <p className="sr-only" data-testid={`${slug}-summary`}>
        {summary}
      </p>
      <DataTable title={title} series={series} formatY={formatY} />
    </figure>
  );
});

/**
 * The visually hidden table alternative: the latest point of each per-batch series (hundreds of
 * rows would read as noise) and the last few per-epoch values, where the trend is.
 */
function DataTable({
  title,
  series,
  formatY,
}: {
  readonly title: string;
  readonly series: readonly ChartSeries[];
  readonly formatY: (v: number) => string;
}) {
  return (
    <table className="sr-only">
      <caption>{title}: latest values</caption>
      <thead>
        <tr>
          <th scope="col">Series</th>
          <th scope="col">Epoch</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {series.flatMap((s) =>
          s.points.slice(s.dots ? -EPOCH_ROWS : -1).map((p) => (
            <tr key={`${s.name} ${p.x}`}>
              <th scope="row">{s.name}</th>
              <td>{s.dots ? formatEpoch(p.x) : p.x.toFixed(2)}</td>
              <td>{formatY(p.y)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
