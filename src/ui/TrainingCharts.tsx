import { useMemo } from 'react';
import { MetricChart, type ChartSeries } from '../charts/MetricChart.tsx';
import { PALETTE } from '../charts/palette.ts';
import type { LiveCurves, RunState } from '../client/runState.ts';
import { formatPercent } from '../core/format.ts';
import { withSaveHelp } from './saveHelp.tsx';
import './trainingCharts.css';

// Module-level formatters and domains: the same identity on every render, so a chart repaints
// only when its points change.
const percent = (v: number) => formatPercent(v, 0);
const twoDecimals = (v: number) => v.toFixed(2);
const LOSS_DOMAIN = [0, 'auto'] as const;
const ACCURACY_DOMAIN = ['auto', 1] as const;
const NO_CURVES: LiveCurves = {
  trainLoss: [],
  trainAccuracy: [],
  validationLoss: [],
  validationAccuracy: [],
};

/** Loss and accuracy: training per batch (thin line), validation per epoch (dashed, dots). */
export function TrainingCharts({ state }: { readonly state: RunState }) {
  const xMax = state.run?.shape?.epochs ?? 1;
  const { trainLoss, validationLoss, trainAccuracy, validationAccuracy } = state.run?.curves ?? NO_CURVES;
  const loss = useMemo(
    (): ChartSeries[] => [
      { name: 'Training loss', points: trainLoss, color: PALETTE.blue },
      {
        name: 'Validation loss',
        points: validationLoss,
        color: PALETTE.vermillion,
        dots: true,
        dashed: true,
      },
    ],
    [trainLoss, validationLoss],
  );
  const accuracy = useMemo(
    (): ChartSeries[] => [
      { name: 'Training accuracy', points: trainAccuracy, color: PALETTE.blue },
      {
        name: 'Validation accuracy',
        points: validationAccuracy,
        color: PALETTE.vermillion,
        dots: true,
        dashed: true,
      },
    ],
    [trainAccuracy, validationAccuracy],
  );
  return (
    <div className="charts">
      <MetricChart
        wrapSaveButton={withSaveHelp}
        title="Loss"
        series={loss}
        xMax={xMax}
        yDomain={LOSS_DOMAIN}
        formatTick={twoDecimals}
      />
      <MetricChart
        wrapSaveButton={withSaveHelp}
        title="Accuracy"
        series={accuracy}
        xMax={xMax}
        yDomain={ACCURACY_DOMAIN}
        formatY={percent}
      />
    </div>
  );
}
