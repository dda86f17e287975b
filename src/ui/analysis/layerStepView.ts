import type { LineSeries } from '../../charts/lineChartPlan.ts';
import type { LayerStepSeries, StepValuePoint } from '../../core/layerStepNorms.ts';
import { formatHealth } from './layersModel.ts';

/**
 * What the Layers view's per-step charts draw, from the run's sampled layer norms
 * (`core/layerStepNorms.ts`): one line per dense layer against the training step, its values as
 * log10 (the chart engine's axes are linear, so a log y axis is log10 values with 10^ tick labels).
 */

/** Which per-step measure a chart shows. */
export type StepMeasure = 'gradientNorms' | 'updateRatios';

/** "Hidden 1", …, "Output" by position, or the analysis's names where there are enough. */
export function stepLayerNames(layers: number, analysedNames: readonly string[]): string[] {
  if (analysedNames.length === layers) return [...analysedNames];
  return Array.from({ length: layers }, (_, l) => (l === layers - 1 ? 'Output' : `Hidden ${l + 1}`));
}

/** Per layer, `(step, log10 value)` lines in `colors` (cycled). */
export function stepChartSeries(
  series: LayerStepSeries,
  measure: StepMeasure,
  names: readonly string[],
  colors: readonly string[],
): LineSeries[] {
  return series[measure].map((points, l) => ({
    name: names[l] ?? `Layer ${l + 1}`,
    color: colors[l % colors.length] ?? '#444',
    points: points.map((p) => ({ x: p.step, y: Math.log10(p.value) })),
  }));
}

/** The last step any layer was sampled at (0 before any sample): the x axis's end. */
export function lastSampledStep(series: LayerStepSeries): number {
  let last = 0;
  for (const points of [...series.gradientNorms, ...series.updateRatios])
    last = Math.max(last, points.at(-1)?.step ?? 0);
  return last;
}

/** A log10 tick as the value it stands for: "1e-3", "0.1", "10", or 3 digits between decades. */
export function formatLogTick(exponent: number): string {
  const rounded = Math.round(exponent);
  if (Math.abs(exponent - rounded) < 1e-9)
    return rounded >= -1 && rounded <= 3 ? String(10 ** rounded) : `1e${rounded}`;
  return formatHealth(10 ** exponent);
}

/** One row of the latest-values table: a layer and its latest sampled step's two measures. */
export interface LatestStepRow {
  readonly name: string;
  readonly step: number | null;
  readonly gradientNorm: string;
  readonly updateRatio: string;
}

/** Per layer, the latest sampled values (as text; "—" where none). */
export function latestStepRows(series: LayerStepSeries, names: readonly string[]): LatestStepRow[] {
  return series.gradientNorms.map((points, l) => {
    const last: StepValuePoint | undefined = points.at(-1);
    const ratio = series.updateRatios[l]?.at(-1);
    return {
      name: names[l] ?? `Layer ${l + 1}`,
      step: last?.step ?? ratio?.step ?? null,
      gradientNorm: formatHealth(last?.value ?? null),
      updateRatio: formatHealth(ratio?.value ?? null),
    };
  });
}

/** One sentence of the latest values, the chart's accessible summary. */
export function stepSummary(rows: readonly LatestStepRow[], measure: StepMeasure): string {
  if (rows.length === 0) return 'No step sampled yet.';
  const what = measure === 'gradientNorms' ? 'gradient norm' : 'update / weight';
  const values = rows.map((r) => `${r.name} ${measure === 'gradientNorms' ? r.gradientNorm : r.updateRatio}`);
  return `Latest ${what} per layer${rows[0]?.step == null ? '' : ` (step ${rows[0].step})`}: ${values.join(', ')}.`;
}
