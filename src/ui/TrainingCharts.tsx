import { MetricChart, type ChartSeries } from '../charts/MetricChart.tsx';
import { PALETTE } from '../charts/palette.ts';
import type { RunState } from '../client/runState.ts';
import { formatPercent } from '../core/format.ts';

const percent = (v: number) => formatPercent(v, 0);

/** Loss and accuracy: training per batch (thin line), validation per epoch (dots). */
export function TrainingCharts({ state }: { readonly state: RunState }) {
  const xMax = state.run?.epochs ?? 1;
  const loss: ChartSeries[] = [
    { name: 'Training loss', points: state.trainLoss, color: PALETTE.blue },
    {
      name: 'Validation loss',
      points: state.validationLoss,
      color: PALETTE.vermillion,
      dots: true,
      dashed: true,
    },
  ];
  const accuracy: ChartSeries[] = [
    { name: 'Training accuracy', points: state.trainAccuracy, color: PALETTE.blue },
    {
      name: 'Validation accuracy',
      points: state.validationAccuracy,
      color: PALETTE.vermillion,
      dots: true,
      dashed: true,
    },
  ];
  return (
    <div className="charts">
      <MetricChart
        title="Loss"
        series={loss}
        xMax={xMax}
        yDomain={[0, 'auto']}
        formatTick={(v) => v.toFixed(2)}
      />
      <MetricChart title="Accuracy" series={accuracy} xMax={xMax} yDomain={['auto', 1]} formatY={percent} />
    </div>
  );
}
