import { useMemo, type ReactElement, type ReactNode } from 'react';
import { slugify } from './chartExport.ts';
import { ChartPlot } from './ChartText.tsx';
import type { LineChartSpec } from './lineChartView.ts';
import { useLineChartView } from './useLineChartView.ts';
import { useSavePng } from './useSavePng.ts';
import './lineChart.css';

/** Wraps the "Save PNG" button, e.g. in the page's help tip (charts know nothing of the page). */
export type WrapSaveButton = (button: ReactElement<{ 'aria-describedby'?: string }>) => ReactNode;

/**
 * What the canvas draws (its series are also the PNG's legend); the figure memoises it, so keep
 * each field's identity while it is unchanged.
 */
interface LineChartFigureProps extends LineChartSpec {
  /** The caption, the figure's accessible name and the PNG's file name. */
  readonly title: string;
  /** The HTML legend above the plot. */
  readonly legend: ReactNode;
  /** The latest values in one sentence: the canvas's name and a hidden paragraph (test id `<slug>-summary`). */
  readonly summary: string;
  /** The visually hidden table alternative (a ChartDataTable). */
  readonly table: ReactNode;
  /** The Save PNG button's `title` (tooltip), where the page does not wrap it. */
  readonly saveTitle?: string | undefined;
  readonly wrapSaveButton?: WrapSaveButton | undefined;
}

const bare: WrapSaveButton = (button) => button;

/**
 * A line chart as a figure: caption, Save PNG (title, legend and plot at ≥ 2×), the legend, the
 * canvas drawn by a LineChartView, and the text alternatives. The Train view's MetricChart and
 * the Compare view's CompareChart differ only in the series and legend they pass.
 */
export function LineChartFigure({
  title,
  series,
  bands,
  xMax,
  xAxis,
  yDomain,
  yTicks,
  formatY,
  formatTick,
  legend,
  summary,
  table,
  saveTitle,
  wrapSaveButton = bare,
}: LineChartFigureProps) {
  const spec: LineChartSpec = useMemo(
    () => ({ series, bands, xMax, xAxis, yDomain, yTicks, formatY, formatTick }),
    [series, bands, xMax, xAxis, yDomain, yTicks, formatY, formatTick],
  );
  const { canvasRef, readoutRef, viewRef } = useLineChartView(spec);
  const png = useSavePng(viewRef, canvasRef, title, spec.series);
  return (
    <figure className="chart compare-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      {wrapSaveButton(
        <button
          type="button"
          className="compare-chart-save"
          title={saveTitle}
          onClick={() => void png.save()}
        >
          Save PNG
        </button>,
      )}
      {png.error ? (
        <p className="compare-chart-error" role="alert">
          {png.error}
        </p>
      ) : null}
      {legend}
      <ChartPlot
        title={title}
        summary={summary}
        canvasRef={canvasRef}
        readoutRef={readoutRef}
        summaryTestId={`${slugify(title)}-summary`}
      />
      {table}
    </figure>
  );
}
