import type { ChartSpread } from './seedSpread.ts';
import { LegendSwatch } from './ChartText.tsx';
import './lineChart.css';

/**
 * The words beside a seed group's mean line and ±1 standard deviation band: a legend (the line's
 * and the band's swatches, with the latest mean ± std) and a visually hidden table of the last
 * values, which screen readers read instead of the shading. Values are in the metric's own units
 * (`formatY` of the linear chart), whatever the drawn scale.
 */

/** Per-epoch rows of the hidden table per group, as the run table keeps. */
const EPOCH_ROWS = 10;

/** The band's swatch: a translucent block as drawn under the lines. */
function BandSwatch({ color }: { readonly color: string }) {
  return (
    <svg width="26" height="10" viewBox="0 0 26 10" aria-hidden="true">
      <rect x="1" y="1" width="24" height="8" fill={color} fillOpacity={0.25} />
    </svg>
  );
}

interface SpreadTextProps {
  readonly title: string;
  readonly spreads: readonly ChartSpread[];
  /** A value in the metric's units: "93.1%", "0.123". */
  readonly formatY: (value: number) => string;
  /** The x column's heading and cells ("Epoch", "12.3 s"). */
  readonly xHeader: string;
  readonly formatX: (x: number) => string;
  /** An x in a sentence ("epoch 2", "12.3 s"). */
  readonly formatAt: (x: number) => string;
  /** Per-epoch metrics list their last few points; a per-batch one only its latest. */
  readonly perEpoch: boolean;
}

/** Legend items and the hidden table for the chart's seed groups; nothing without one. */
export function SpreadText({
  title,
  spreads,
  formatY,
  xHeader,
  formatX,
  formatAt,
  perEpoch,
}: SpreadTextProps) {
  if (spreads.length === 0) return null;
  const meanStd = (p: ChartSpread['points'][number]) => `${formatY(p.mean)} ± ${formatY(p.std)}`;
  return (
    <>
      <ul className="chart-legend compare-legend" aria-label={`${title} spread across seeds`}>
        {spreads.flatMap((spread) => {
          const latest = spread.points[spread.points.length - 1];
          return [
            <li key={`${spread.key} mean`} data-testid="compare-legend-mean">
              <LegendSwatch color={spread.color} dots={perEpoch} />
              {spread.meanLabel}
            </li>,
            <li key={`${spread.key} band`} data-testid="compare-legend-band">
              <BandSwatch color={spread.color} />
              {spread.bandLabel}
              {latest ? ` (latest ${meanStd(latest)} at ${formatAt(latest.x)})` : ''}
            </li>,
          ];
        })}
      </ul>
      <div className="sr-only">
        <table data-testid="spread-table">
          <caption>{title}: mean ± 1 standard deviation across seeds</caption>
          <thead>
            <tr>
              <th scope="col">Seeds</th>
              <th scope="col">{xHeader}</th>
              <th scope="col">Mean ± std</th>
            </tr>
          </thead>
          <tbody>
            {spreads.flatMap((spread) =>
              spread.points.slice(perEpoch ? -EPOCH_ROWS : -1).map((p) => (
                <tr key={`${spread.key} ${p.x}`}>
                  <th scope="row">{spread.meanLabel}</th>
                  <td>{formatX(p.x)}</td>
                  <td>{meanStd(p)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
