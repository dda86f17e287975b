import { CLASS_COLORS } from '../../charts/classColors.ts';
import type { EpochAnalysis, LayerHealthView } from '../../core/analysisTypes.ts';
import { HISTOGRAM_BINS } from '../../core/layerHealth.ts';
import type { LayerStepSeries } from '../../core/layerStepNorms.ts';
import { LayerStepCharts } from './LayerStepCharts.tsx';
import {
  commonRange,
  decadeRange,
  formatHealth,
  formatInactive,
  layerSeries,
  type HealthMetric,
  type LayerSeries,
} from './layersModel.ts';
import './layers.css';

const CHART_WIDTH = 420;
const CHART_HEIGHT = 160;
const MARGIN = { left: 44, right: 8, top: 8, bottom: 20 };
const STRIP_HEIGHT = 72;
const STRIP_CELL = 10;

type StripKind = 'weights' | 'gradients' | 'activations';
const STRIP_LABELS: Record<StripKind, string> = {
  weights: 'Weights',
  gradients: 'Gradients',
  activations: 'Activations',
};

const colorOf = (i: number) => CLASS_COLORS[i % CLASS_COLORS.length] ?? '#444';

/**
 * Layer health while training: per dense layer, the gradient norm and the update-to-weight ratio
 * of sampled training steps, live (`LayerStepCharts`), and per analysed epoch on a fixed probe
 * batch the same two on log scales (vanishing gradients sink decades, exploding ones climb), heat
 * strips of the weights', gradients' and activations' distributions, and the share of dead or
 * saturated units; every figure also in tables.
 */
export function LayersView({
  analyses,
  layerSteps,
}: {
  readonly analyses: readonly EpochAnalysis[];
  /** The run's sampled per-step norms; null where the engine does not measure them. */
  readonly layerSteps: LayerStepSeries | null;
}) {
  const latest = analyses[analyses.length - 1];
  const steps = (
    <LayerStepCharts series={layerSteps} analysedNames={latest?.layerHealth.map((l) => l.name) ?? []} />
  );
  if (latest === undefined || latest.layerHealth.length === 0) {
    return (
      <div className="layers-view">
        {steps}
        <p className="muted">Train for an epoch: the per-epoch layer health fills in after each epoch.</p>
      </div>
    );
  }
  return (
    <div className="layers-view">
      {steps}
      <h3 className="layers-heading">Per epoch, on a probe batch</h3>
      <p className="muted">
        Measured after each epoch on 2,000 fixed test images (gradients on 250 of them), in inference mode,
        off the training thread.
      </p>
      <div className="layers-charts">
        <LogChart analyses={analyses} metric="gradientNorm" title="Gradient norm ‖∂L/∂W‖" />
        <LogChart analyses={analyses} metric="updateRatio" title="Update / weight ‖ΔW‖/‖W‖ per epoch" />
      </div>
      <div className="layers-table-box" tabIndex={0} role="region" aria-label="Layer health table">
        <LatestTable analysis={latest} />
      </div>
      <h3 className="layers-heading">Distributions over the epochs</h3>
      <div className="layers-strips">
        {latest.layerHealth.map((layer, i) => (
          <div key={layer.name} className="layers-strip-row">
            <span className="layers-strip-name">{layer.name}</span>
            <HeatStrip analyses={analyses} layer={i} kind="weights" />
            <HeatStrip analyses={analyses} layer={i} kind="gradients" />
            <HeatStrip analyses={analyses} layer={i} kind="activations" />
          </div>
        ))}
      </div>
      <details>
        <summary>Every analysed epoch as a table</summary>
        <div className="layers-table-box" tabIndex={0} role="region" aria-label="Layer health history table">
          <HistoryTable analyses={analyses} />
        </div>
      </details>
    </div>
  );
}

function LogChart({
  analyses,
  metric,
  title,
}: {
  analyses: readonly EpochAnalysis[];
  metric: HealthMetric;
  title: string;
}) {
  const series = layerSeries(analyses, metric);
  const decades = decadeRange(series);
  const epochs = analyses.map((a) => a.epoch);
  const first = Math.min(...epochs);
  const last = Math.max(first + 1, ...epochs);
  const innerWidth = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (epoch: number) => MARGIN.left + ((epoch - first) / (last - first)) * innerWidth;
  const y = (value: number) =>
    decades === null
      ? MARGIN.top
      : MARGIN.top + (1 - (Math.log10(value) - decades.low) / (decades.high - decades.low)) * innerHeight;
  const ticks = decades === null ? [] : range(decades.low, decades.high);
  return (
    <figure className="layers-chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        role="img"
        aria-label={`${title}, log scale, per layer over epochs ${first} to ${Math.max(...epochs)} (see the table)`}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={MARGIN.left}
              x2={CHART_WIDTH - MARGIN.right}
              y1={y(10 ** t)}
              y2={y(10 ** t)}
              className="grid"
            />
            <text x={MARGIN.left - 4} y={y(10 ** t) + 4} textAnchor="end">{`1e${t}`}</text>
          </g>
        ))}
        <text x={MARGIN.left} y={CHART_HEIGHT - 4}>{`epoch ${first}`}</text>
        <text
          x={CHART_WIDTH - MARGIN.right}
          y={CHART_HEIGHT - 4}
          textAnchor="end"
        >{`epoch ${Math.max(...epochs)}`}</text>
        {series.map((s, i) => (
          <SeriesLine key={s.name} series={s} color={colorOf(i)} x={x} y={y} />
        ))}
      </svg>
      <ul className="layers-legend">
        {series.map((s, i) => (
          <li key={s.name}>
            <span className="swatch" style={{ background: colorOf(i) }} aria-hidden="true" />
            {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}

function SeriesLine(props: {
  series: LayerSeries;
  color: string;
  x: (e: number) => number;
  y: (v: number) => number;
}) {
  const { series, color, x, y } = props;
  const points = series.points.map((p) => `${x(p.epoch)},${y(p.value)}`).join(' ');
  return (
    <g stroke={color} fill={color}>
      <polyline points={points} fill="none" strokeWidth={1.5} />
      {series.points.map((p) => (
        <circle key={p.epoch} cx={x(p.epoch)} cy={y(p.value)} r={2.5} />
      ))}
    </g>
  );
}

/** One column per analysed epoch, value upwards, darker where more values fall (TensorBoard's distributions). */
function HeatStrip(props: { analyses: readonly EpochAnalysis[]; layer: number; kind: StripKind }) {
  const { analyses, layer, kind } = props;
  const histograms = analyses.flatMap((a) => {
    const view = a.layerHealth[layer];
    return view === undefined ? [] : [{ epoch: a.epoch, histogram: view[kind] }];
  });
  const { min, max } = commonRange(histograms.map((h) => h.histogram));
  const span = max - min || 1;
  const width = Math.max(1, histograms.length) * STRIP_CELL;
  const y = (value: number) => STRIP_HEIGHT - ((value - min) / span) * STRIP_HEIGHT;
  const label = STRIP_LABELS[kind];
  return (
    <figure className="layers-strip">
      <figcaption>
        {label} <span className="muted">{`${formatHealth(min)} … ${formatHealth(max)}`}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${STRIP_HEIGHT}`}
        height={STRIP_HEIGHT}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label} distribution over ${histograms.length} epochs, from ${formatHealth(min)} to ${formatHealth(max)}`}
      >
        {histograms.map(({ epoch, histogram }, column) => {
          const peak = Math.max(1, ...histogram.counts);
          const binWidth = (histogram.max - histogram.min) / HISTOGRAM_BINS;
          return [...histogram.counts].map((count, bin) => {
            if (count === 0) return null;
            const low = histogram.min + bin * binWidth;
            const top = y(low + binWidth);
            return (
              <rect
                key={`${epoch}-${bin}`}
                x={column * STRIP_CELL}
                y={top}
                width={STRIP_CELL}
                height={Math.max(1, y(low) - top)}
                fillOpacity={0.15 + 0.85 * (count / peak)}
                className="layers-cell"
              />
            );
          });
        })}
      </svg>
    </figure>
  );
}

function LatestTable({ analysis }: { analysis: EpochAnalysis }) {
  return (
    <table className="layers-table">
      <caption>Layer health after epoch {analysis.epoch}</caption>
      <HealthHead />
      <tbody>
        {analysis.layerHealth.map((layer) => (
          <HealthRow key={layer.name} layer={layer} />
        ))}
      </tbody>
    </table>
  );
}

function HistoryTable({ analyses }: { analyses: readonly EpochAnalysis[] }) {
  return (
    <table className="layers-table">
      <caption>Layer health at every analysed epoch</caption>
      <HealthHead withEpoch />
      <tbody>
        {analyses.flatMap((analysis) =>
          analysis.layerHealth.map((layer) => (
            <HealthRow key={`${analysis.epoch}-${layer.name}`} layer={layer} epoch={analysis.epoch} />
          )),
        )}
      </tbody>
    </table>
  );
}

function HealthHead({ withEpoch = false }: { withEpoch?: boolean }) {
  return (
    <thead>
      <tr>
        {withEpoch && <th scope="col">Epoch</th>}
        <th scope="col">Layer</th>
        <th scope="col">Gradient norm</th>
        <th scope="col">Update / weight</th>
        <th scope="col">Dead or saturated units</th>
        <th scope="col">Weights (min … max)</th>
        <th scope="col">Gradients (min … max)</th>
        <th scope="col">Activations (min … max)</th>
      </tr>
    </thead>
  );
}

function HealthRow({ layer, epoch }: { layer: LayerHealthView; epoch?: number }) {
  return (
    <tr data-testid="layer-health">
      {epoch !== undefined && <td>{epoch}</td>}
      <th scope="row">{layer.name}</th>
      <td>{formatHealth(layer.gradientNorm)}</td>
      <td>{formatHealth(layer.updateRatio)}</td>
      <td>{formatInactive(layer.inactive)}</td>
      <td>{`${formatHealth(layer.weights.min)} … ${formatHealth(layer.weights.max)}`}</td>
      <td>{`${formatHealth(layer.gradients.min)} … ${formatHealth(layer.gradients.max)}`}</td>
      <td>{`${formatHealth(layer.activations.min)} … ${formatHealth(layer.activations.max)}`}</td>
    </tr>
  );
}

function range(low: number, high: number): number[] {
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}
