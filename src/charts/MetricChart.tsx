import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { downsample, type Point } from '../core/series.ts';

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly Point[];
  readonly color: string;
  /** Per-epoch series are drawn with dots; per-batch ones as a plain line. */
  readonly dots?: boolean;
  readonly dashed?: boolean;
}

interface MetricChartProps {
  readonly title: string;
  readonly series: readonly ChartSeries[];
  readonly xMax: number;
  readonly yDomain?: [number | 'auto', number | 'auto'];
  /** Tooltip and text-alternative format. */
  readonly formatY?: (value: number) => string;
  /** Axis tick format; defaults to `formatY`. */
  readonly formatTick?: (value: number) => string;
  /** Upper bound of drawn points per series, whatever the run length. */
  readonly maxPoints?: number;
}

const formatEpoch = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

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
 * A line chart of metric series against epochs. Knows nothing of workers: it takes plain
 * points, draws a bounded downsampled copy, and never animates (updates arrive ~10 times a second).
 */
export const MetricChart = memo(function MetricChart({
  title,
  series,
  xMax,
  yDomain = ['auto', 'auto'],
  formatY = (v) => v.toFixed(3),
  formatTick,
  maxPoints = 400,
}: MetricChartProps) {
  const drawn = useMemo(
    () => series.map((s) => ({ ...s, points: downsample(s.points, maxPoints) })),
    [series, maxPoints],
  );
  const summary = describe(series, formatY);
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart margin={{ top: 4, right: 16, bottom: 12, left: 0 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[0, Math.max(xMax, 1)]}
            tickFormatter={formatEpoch}
            allowDecimals
            label={{ value: 'epoch', position: 'insideBottom', offset: -8 }}
          />
          <YAxis domain={yDomain} tickFormatter={formatTick ?? formatY} width={56} />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? formatY(value) : String(value))}
            labelFormatter={(x) => `epoch ${typeof x === 'number' ? x.toFixed(2) : String(x)}`}
          />
          <Legend verticalAlign="top" align="right" height={28} />
          {drawn.map((s) => (
            <Line
              key={s.name}
              name={s.name}
              data={s.points as Point[]}
              dataKey="y"
              stroke={s.color}
              strokeWidth={s.dots ? 2 : 1.5}
              strokeDasharray={s.dashed ? '6 3' : undefined}
              dot={s.dots ? { r: 3 } : false}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
      <p className="sr-only" data-testid={`${title.toLowerCase().replace(/\s+/g, '-')}-summary`}>
        {summary}
      </p>
    </figure>
  );
});
