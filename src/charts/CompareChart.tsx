import { memo, useMemo } from 'react';
import type { CompareAxis, ComparedRun } from '../core/comparedRun.ts';
import { formatPercent } from '../core/format.ts';
import { ChartDataTable, describeLatest, LegendSwatch } from './ChartText.tsx';
import {
  compareExtent,
  compareSeries,
  compareXAxis,
  log10Points,
  type CompareMetric,
} from './compareSeries.ts';
import type { DomainBound } from './lineChartPlan.ts';
import type { LineChartSpec } from './lineChartView.ts';
import { LineChartFigure, type WrapSaveButton } from './LineChartFigure.tsx';

export interface CompareChartProps {
  readonly title: string;
  readonly runs: readonly ComparedRun[];
  readonly metric: CompareMetric;
  readonly axis: CompareAxis;
  /**
   * Losses on a log scale: a loss falls by orders of magnitude, and on a linear axis the first
   * epoch's drop hides every later difference between runs.
   */
  readonly logY?: boolean;
  /** Wraps the "Save PNG" button, e.g. in the page's help tip (charts know nothing of the page). */
  readonly wrapSaveButton?: WrapSaveButton;
}

/** Upper bound of drawn points per run: a 6-run chart stays a few thousand segments. */
const MAX_POINTS = 400;
const LOSS_DOMAIN: readonly [DomainBound, DomainBound] = [0, 'auto'];
const ACCURACY_DOMAIN: readonly [DomainBound, DomainBound] = ['auto', 1];
const loss3 = (v: number) => v.toFixed(3);
const loss2 = (v: number) => v.toFixed(2);
const percent1 = (v: number) => formatPercent(v, 1);
const percent0 = (v: number) => formatPercent(v, 0);

/** Metric-dependent drawing: accuracy reads as a percentage capped at 100%, losses from 0. */
const METRIC_STYLE = {
  trainLoss: { yDomain: LOSS_DOMAIN, formatY: loss3, formatTick: loss2 },
  validationLoss: { yDomain: LOSS_DOMAIN, formatY: loss3, formatTick: loss2 },
  validationAccuracy: { yDomain: ACCURACY_DOMAIN, formatY: percent1, formatTick: percent0 },
} as const;

const LOG_DOMAIN: readonly [DomainBound, DomainBound] = ['auto', 'auto'];
const logTick = (v: number) => String(Number((10 ** v).toPrecision(2)));
const logValue = (v: number) => (10 ** v).toFixed(3);

/**
 * One metric of several runs overlaid, against epochs, examples seen or training time: the
 * comparison's race view. Each run keeps its colour; history runs are dashed. Drawn by the same
 * canvas engine as MetricChart, so streaming runs cost one animation-frame redraw per change;
 * the legend and text alternatives are HTML, and "Save PNG" exports title, legend and plot.
 */
export const CompareChart = memo(function CompareChart({
  title,
  runs,
  metric,
  axis,
  logY = false,
  wrapSaveButton,
}: CompareChartProps) {
  const extent = compareExtent(runs, axis);
  const xAxis = useMemo(() => compareXAxis(axis, extent), [axis, extent]);
  const log = logY && metric !== 'validationAccuracy';
  const series = useMemo(() => {
    const linear = compareSeries(runs, metric, xAxis, MAX_POINTS);
    return log ? linear.map((s) => ({ ...s, points: log10Points(s.points) })) : linear;
  }, [runs, metric, xAxis, log]);
  const { yDomain, formatY, formatTick } = log
    ? { yDomain: LOG_DOMAIN, formatY: logValue, formatTick: logTick }
    : METRIC_STYLE[metric];
  const spec: LineChartSpec = useMemo(
    () => ({ series, xMax: xAxis.max, xAxis, yDomain, formatY, formatTick }),
    [series, xAxis, yDomain, formatY, formatTick],
  );
  return (
    <LineChartFigure
      title={title}
      spec={spec}
      wrapSaveButton={wrapSaveButton}
      saveTitle={wrapSaveButton ? undefined : `Save ${title} with its legend as a PNG image`}
      legend={
        <ul className="chart-legend compare-legend" aria-label={`${title} legend`}>
          {series.map((s, i) => (
            <li key={runs[i]?.key ?? s.name} data-testid="compare-legend-item">
              {/* The history note is an attribute, so the item's text stays the run's label. */}
              <span role="img" aria-label={s.dashed ? 'dashed line: from history' : 'solid line'}>
                <LegendSwatch color={s.color} dots={s.dots} dashed={s.dashed} />
              </span>
              {s.name}
            </li>
          ))}
        </ul>
      }
      summary={describeLatest(series, formatY, xAxis.formatValue)}
      table={
        <ChartDataTable
          title={title}
          series={series}
          formatY={formatY}
          xHeader={xAxis.header}
          formatX={xAxis.formatCell}
        />
      }
    />
  );
});
