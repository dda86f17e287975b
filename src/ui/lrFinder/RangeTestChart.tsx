import { memo, useMemo } from 'react';
import { describeStop, type RangeTestResult } from '../../core/lrFinder.ts';
import { PALETTE } from '../../charts/palette.ts';
import { ChartLegend } from '../../charts/ChartText.tsx';
import { LineChartFigure } from '../../charts/LineChartFigure.tsx';
import type { DomainBound, LineSeries, XAxis } from '../../charts/lineChartPlan.ts';
import { formatDecade, formatRate, rangeTestView } from './rangeTestView.ts';

const AUTO: readonly [DomainBound, DomainBound] = ['auto', 'auto'];
const fixed3 = (v: number) => v.toFixed(3);
const TITLE = 'Learning-rate range test';

/**
 * The range test's curve: the smoothed loss against the learning rate on a log axis (the
 * chart engine's 'decades' axis, fed log10 rates), the suggested rate marked by a dot on the
 * curve and a dashed line, and a table of the curve as the text alternative.
 */
export const RangeTestChart = memo(function RangeTestChart({ result }: { readonly result: RangeTestResult }) {
  const view = useMemo(() => rangeTestView(result), [result]);
  const xAxis: XAxis = useMemo(
    () => ({
      ticks: 'decades',
      min: view.xMin,
      max: view.xMax,
      label: 'learning rate (log scale)',
      formatTick: formatDecade,
      formatValue: (x: number) => `rate ${formatRate(10 ** x)}`,
    }),
    [view],
  );
  const series: LineSeries[] = useMemo(
    () => [
      { name: 'smoothed loss', points: view.curve, color: PALETTE.blue },
      ...(view.marker.length > 0
        ? [
            { name: 'suggested rate', points: view.marker, color: PALETTE.vermillion, dots: true },
            { name: 'suggested rate line', points: view.markerLine, color: PALETTE.vermillion, dashed: true },
          ]
        : []),
    ],
    [view],
  );
  const { suggestion } = result;
  const summary =
    suggestion === null
      ? `The smoothed loss never fell clearly below its start. ${describeStop(result.stop)}`
      : `The smoothed loss was lowest (${fixed3(suggestion.minimumLoss)}) at rate ${formatRate(suggestion.minimumRate)}; suggested rate ${formatRate(suggestion.rate)}. ${describeStop(result.stop)}`;
  return (
    <LineChartFigure
      title={TITLE}
      series={series}
      xMax={1}
      xAxis={xAxis}
      yDomain={AUTO}
      formatY={fixed3}
      formatTick={fixed3}
      legend={<ChartLegend series={series.slice(0, 2)} />}
      summary={summary}
      table={
        <details className="lr-finder-table">
          <summary>The curve as a table</summary>
          <div className="table-scroll">
            <table>
              <caption>Smoothed loss at each learning rate (every few steps)</caption>
              <thead>
                <tr>
                  <th scope="col">Learning rate</th>
                  <th scope="col">Batch loss</th>
                  <th scope="col">Smoothed loss</th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((row) => (
                  <tr key={row.rate} aria-current={row.suggested ? 'true' : undefined}>
                    <th scope="row">
                      {formatRate(row.rate)}
                      {row.suggested ? ' (nearest the suggestion)' : ''}
                    </th>
                    <td>{fixed3(row.loss)}</td>
                    <td>{fixed3(row.smoothed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      }
    />
  );
});
