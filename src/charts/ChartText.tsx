import type { RefObject } from 'react';
import type { Point } from '../core/series.ts';
import { formatEpoch } from './chartTicks.ts';
import type { LineSeries } from './lineChartPlan.ts';
import './lineChart.css';
import './readout.css';

/**
 * The HTML around a canvas chart that a canvas cannot give: legend swatches that match the
 * drawn lines, and the text alternatives (a sentence and a table) screen readers read instead.
 * Shared by MetricChart and CompareChart so both read the same way.
 */

/** Per-epoch rows of the hidden table per series: enough to read the trend, small enough to skim. */
const EPOCH_ROWS = 10;

/** A short sample of a series' line: its colour, width, dashes and dot, as drawn on the canvas. */
export function LegendSwatch({ color, dots, dashed }: Pick<LineSeries, 'color' | 'dots' | 'dashed'>) {
  return (
    <svg width="26" height="10" viewBox="0 0 26 10" aria-hidden="true">
      <line
        x1="1"
        y1="5"
        x2="25"
        y2="5"
        stroke={color}
        strokeWidth={dots ? 2 : 1.5}
        strokeDasharray={dashed ? '6 3' : undefined}
      />
      {dots ? <circle cx="13" cy="5" r="3.5" fill={color} /> : null}
    </svg>
  );
}

/**
 * The HTML legend above a plot: each series' swatch and name. With `label` it is a named list
 * that screen readers read, each swatch saying whether the line is solid or dashed (from the
 * history): the Compare charts, whose legend names the runs. Without it, it is hidden from them:
 * the Train charts' summary sentence already names their series.
 */
export function ChartLegend({
  series,
  label,
  keys,
}: {
  readonly series: readonly LineSeries[];
  readonly label?: string;
  /** React keys of the items, where names may repeat (two runs of one config); default the names. */
  readonly keys?: readonly (string | undefined)[];
}) {
  const named = label !== undefined;
  return (
    <ul
      className={named ? 'chart-legend compare-legend' : 'chart-legend'}
      aria-label={label}
      aria-hidden={named ? undefined : true}
    >
      {series.map((s, i) => {
        const swatch = <LegendSwatch color={s.color} dots={s.dots} dashed={s.dashed} />;
        return (
          <li key={keys?.[i] ?? s.name} data-testid={named ? 'compare-legend-item' : undefined}>
            {named ? (
              // The history note is an attribute, so the item's text stays the run's label.
              <span role="img" aria-label={s.dashed ? 'dashed line: from history' : 'solid line'}>
                {swatch}
              </span>
            ) : (
              swatch
            )}
            {s.name}
          </li>
        );
      })}
    </ul>
  );
}

/** One sentence per series with its latest value ("… at epoch 2.00"): the chart's text alternative. */
export function describeLatest(
  series: readonly LineSeries[],
  formatY: (v: number) => string,
  formatAt: (x: number) => string,
): string {
  const parts = series
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const last = s.points[s.points.length - 1] as Point;
      return `${s.name} ${formatY(last.y)} at ${formatAt(last.x)}`;
    });
  return parts.length > 0 ? `Latest: ${parts.join('; ')}.` : 'No data yet.';
}

const epochCell = (x: number, dots: boolean) => (dots ? formatEpoch(x) : x.toFixed(2));

/**
 * The visually hidden table alternative: the latest point of each per-batch series (hundreds of
 * rows would read as noise) and the last few per-epoch values, where the trend is.
 */
export function ChartDataTable({
  title,
  series,
  formatY,
  xHeader = 'Epoch',
  formatX = epochCell,
}: {
  readonly title: string;
  readonly series: readonly LineSeries[];
  readonly formatY: (v: number) => string;
  /** The x column: "Epoch" unless the chart plots against something else. */
  readonly xHeader?: string;
  /** An x cell; `dots` says the series is per-epoch. */
  readonly formatX?: (x: number, dots: boolean) => string;
}) {
  return (
    // Hidden in a box of its own: a table grows to fit its cells whatever its width, so a
    // visually hidden table would still widen the page.
    <div className="sr-only">
      <table>
        <caption>{title}: latest values</caption>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">{xHeader}</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {series.flatMap((s) =>
            s.points.slice(s.dots ? -EPOCH_ROWS : -1).map((p) => (
              <tr key={`${s.name} ${p.x}`}>
                <th scope="row">{s.name}</th>
                <td>{formatX(p.x, s.dots === true)}</td>
                <td>{formatY(p.y)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

interface ChartPlotProps {
  readonly title: string;
  /** One sentence with the latest values: the canvas's accessible name and a hidden paragraph. */
  readonly summary: string;
  readonly canvasRef: RefObject<HTMLCanvasElement | null>;
  readonly readoutRef: RefObject<HTMLDivElement | null>;
  /** `data-testid` of the hidden summary paragraph. */
  readonly summaryTestId: string;
}

/**
 * The drawn part of a line chart: the canvas (focusable, arrow keys move the readout), the hover
 * readout, and the summary sentence for screen readers. Shared by the Train and Compare charts.
 */
export function ChartPlot({ title, summary, canvasRef, readoutRef, summaryTestId }: ChartPlotProps) {
  return (
    <>
      <div className="chart-plot">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={`${title}. ${summary}`}
          aria-keyshortcuts="ArrowLeft ArrowRight Home End Escape"
          tabIndex={0}
        />
        <div ref={readoutRef} className="readout-box chart-readout" hidden />
      </div>
      <p className="sr-only" data-testid={summaryTestId}>
        {summary}
      </p>
    </>
  );
}
