import { memo, useMemo } from 'react';
import { ChartDataTable, ChartLegend } from '../../charts/ChartText.tsx';
import { CLASS_COLORS } from '../../charts/classColors.ts';
import { LineChartFigure } from '../../charts/LineChartFigure.tsx';
import type { DomainBound, XAxis } from '../../charts/lineChartPlan.ts';
import type { LayerStepSeries } from '../../core/layerStepNorms.ts';
import {
  formatLogTick,
  lastSampledStep,
  latestStepRows,
  stepChartSeries,
  stepLayerNames,
  stepSummary,
  type StepMeasure,
} from './layerStepView.ts';

const AUTO: readonly [DomainBound, DomainBound] = ['auto', 'auto'];
const TITLES: Record<StepMeasure, string> = {
  gradientNorms: 'Gradient norm ‖∂J/∂W‖ per step',
  updateRatios: 'Update / weight ‖ΔW‖/‖W‖ per step',
};

/**
 * The per-step half of the Layers view: per dense layer, the gradient norm and the update-to-weight
 * ratio of sampled training steps (about ten a second, measured by the engine on the step's own
 * batch) against the step, on log scales, live while training; and the latest values as a table.
 * `series` null: the engine does not measure them (fused WebGPU), and the view says so.
 */
export const LayerStepCharts = memo(function LayerStepCharts({
  series,
  analysedNames,
}: {
  readonly series: LayerStepSeries | null;
  /** The per-epoch analysis's layer names, when there is one. */
  readonly analysedNames: readonly string[];
}) {
  if (series === null) {
    return (
      <p className="muted" data-testid="layer-steps-unmeasured">
        Per-step gradient norms and update ratios are not measured on this engine (fused WebGPU); the
        per-epoch figures below are.
      </p>
    );
  }
  const layers = series.gradientNorms.length;
  if (layers === 0) return <p className="muted">Start training: per-step norms appear as it runs.</p>;
  const names = stepLayerNames(layers, analysedNames);
  const rows = latestStepRows(series, names);
  return (
    <div className="layers-steps">
      <p className="muted">
        Per step: sampled about ten times a second on the training batch, as the engine takes the step
        (gradient of the batch-mean loss plus any L1/L2 penalty).
      </p>
      <div className="layers-charts">
        <StepChart
          series={series}
          measure="gradientNorms"
          names={names}
          summary={stepSummary(rows, 'gradientNorms')}
        />
        <StepChart
          series={series}
          measure="updateRatios"
          names={names}
          summary={stepSummary(rows, 'updateRatios')}
        />
      </div>
      <div className="layers-table-box" tabIndex={0} role="region" aria-label="Latest per-step values table">
        <table className="layers-table">
          <caption>Latest sampled step per layer</caption>
          <thead>
            <tr>
              <th scope="col">Layer</th>
              <th scope="col">Step</th>
              <th scope="col">Gradient norm</th>
              <th scope="col">Update / weight</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name} data-testid="layer-step-latest">
                <th scope="row">{row.name}</th>
                <td>{row.step ?? '—'}</td>
                <td>{row.gradientNorm}</td>
                <td>{row.updateRatio}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});

function StepChart(props: {
  series: LayerStepSeries;
  measure: StepMeasure;
  names: readonly string[];
  summary: string;
}) {
  const { series, measure, names, summary } = props;
  const title = TITLES[measure];
  const lines = useMemo(
    () => stepChartSeries(series, measure, names, CLASS_COLORS),
    [series, measure, names],
  );
  const last = lastSampledStep(series);
  const xAxis: XAxis = useMemo(
    () => ({
      max: Math.max(last, 1),
      label: 'training step',
      formatTick: (v: number) => v.toLocaleString('en-US'),
      formatValue: (v: number) => `step ${Math.round(v).toLocaleString('en-US')}`,
    }),
    [last],
  );
  return (
    <div className="layers-step-chart">
      <LineChartFigure
        title={title}
        {...{ series: lines, xAxis, xMax: 1, yDomain: AUTO }}
        yTicks="decades"
        formatY={formatLogTick}
        formatTick={formatLogTick}
        legend={<ChartLegend series={lines} />}
        summary={`${summary} (logarithmic axis)`}
        table={
          <ChartDataTable
            title={title}
            series={lines}
            formatY={formatLogTick}
            xHeader="Step"
            formatX={(x) => String(Math.round(x))}
          />
        }
      />
    </div>
  );
}
