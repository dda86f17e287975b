import { memo, useMemo } from 'react';
import type { CompareAxis, ComparedRun } from '../core/comparedRun.ts';
import { formatPercent } from '../core/format.ts';
import { ChartDataTable, ChartLegend, describeLatest } from './ChartText.tsx';
import {
  axisPoints,
  compareExtent,
  compareSeries,
  compareXAxis,
  log10Points,
  type CompareMetric,
} from './compareSeries.ts';
import type { DomainBound, LineBand, LineSeries } from './lineChartPlan.ts';
import { LineChartFigure, type WrapSaveButton } from './LineChartFigure.tsx';
import { chartSpreads, spreadLines } from './seedSpread.ts';
import { SpreadText } from './SpreadText.tsx';

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

/** Losses on a log scale: the points are log10 of the loss; ticks and readout show the loss. */
const LOG_STYLE = {
  yDomain: ['auto', 'auto'] as const,
  formatY: (v: number) => (10 ** v).toFixed(3),
  formatTick: (v: number) => String(Number((10 ** v).toPrecision(2))),
};

/**
 * One metric of several runs overlaid, against epochs, examples seen or training time: the
 * comparison's race view. Each run keeps its colour; history runs are dashed. Runs that differ
 * only by seed (`core/seedGroups.ts`) also get their mean as a line over a ±1 standard deviation
 * band, so a difference between configs can be held against the spread luck alone gives. Drawn by the same
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
  const spreads = useMemo(
    () => chartSpreads(runs, (run) => axisPoints(run.curves[metric], xAxis, MAX_POINTS), MAX_POINTS),
    [runs, metric, xAxis],
  );
  const { series, bands } = useMemo(() => {
    const linear = compareSeries(runs, metric, xAxis, MAX_POINTS);
    const lines = log ? linear.map((s) => ({ ...s, points: log10Points(s.points) })) : linear;
    const means: LineSeries[] = [];
    const shaded: LineBand[] = [];
    for (const spread of spreads) {
      const { mean, band } = spreadLines(spread, log);
      means.push({ name: spread.meanLabel, color: spread.color, dots: metric !== 'trainLoss', points: mean });
      shaded.push({ name: spread.bandLabel, color: spread.color, points: band });
    }
    return { series: [...lines, ...means], bands: shaded };
  }, [runs, metric, xAxis, log, spreads]);
  const style = log ? LOG_STYLE : METRIC_STYLE[metric];
  const spec = { series, bands, xMax: xAxis.max, xAxis, ...style };
  const runSeries = series.slice(0, runs.length);
  return (
    <LineChartFigure
      title={title}
      {...spec}
      wrapSaveButton={wrapSaveButton}
      saveTitle={wrapSaveButton ? undefined : `Save ${title} with its legend as a PNG image`}
      legend={
        <>
          <ChartLegend series={runSeries} label={`${title} legend`} keys={runs.map((run) => run.key)} />
          <SpreadText
            title={title}
            spreads={spreads}
            formatY={METRIC_STYLE[metric].formatY}
            xHeader={xAxis.header}
            formatX={xAxis.formatCell}
            formatAt={xAxis.formatValue}
            perEpoch={metric !== 'trainLoss'}
          />
        </>
      }
      summary={describeLatest(series, style.formatY, xAxis.formatValue)}
      table={
        <ChartDataTable
          title={title}
          series={series}
          formatY={style.formatY}
          xHeader={xAxis.header}
          formatX={xAxis.formatCell}
        />
      }
    />
  );
});
