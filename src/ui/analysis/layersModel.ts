import type { EpochAnalysis, LayerHealthView } from '../../core/analysisTypes.ts';

/**
 * What the Layers view draws, derived from the analyses of a run: per layer, a series over the
 * analysed epochs for the log-scale charts, and a common value range for the heat strips.
 */

/** One layer's measurement over the analysed epochs; points with no positive value are left out. */
export interface LayerSeries {
  readonly name: string;
  readonly points: readonly { readonly epoch: number; readonly value: number }[];
}

/** The metrics the log-scale charts plot. */
export type HealthMetric = 'gradientNorm' | 'updateRatio';

/** Per layer (by position), the metric's positive values over the epochs, oldest first. */
export function layerSeries(analyses: readonly EpochAnalysis[], metric: HealthMetric): LayerSeries[] {
  const series: { name: string; points: { epoch: number; value: number }[] }[] = [];
  for (const analysis of analyses) {
    analysis.layerHealth.forEach((layer, i) => {
      const entry = (series[i] ??= { name: layer.name, points: [] });
      const value = layer[metric];
      if (value !== null && value > 0 && Number.isFinite(value))
        entry.points.push({ epoch: analysis.epoch, value });
    });
  }
  return series;
}

/**
 * Whole decades around every value of `series` (log10 exponents), at least one decade wide; null
 * when there is no value.
 */
export function decadeRange(
  series: readonly LayerSeries[],
): { readonly low: number; readonly high: number } | null {
  const logs = series.flatMap((s) => s.points.map((p) => Math.log10(p.value)));
  if (logs.length === 0) return null;
  const low = Math.floor(Math.min(...logs));
  const top = Math.ceil(Math.max(...logs)) || 0; // no −0
  const high = Math.max(low + 1, top);
  return { low, high };
}

/** The smallest and largest value any of `histograms` covers (a strip's common vertical axis). */
export function commonRange(histograms: readonly LayerHealthView['weights'][]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const h of histograms) {
    if (h.counts.every((c) => c === 0)) continue;
    min = Math.min(min, h.min);
    max = Math.max(max, h.max);
  }
  return min === Infinity ? { min: 0, max: 0 } : { min, max };
}

/** A number in 3 significant digits, "—" for none. */
export function formatHealth(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value === 0 ? '0' : value.toPrecision(3);
}

/** "12% dead", "3% saturated", or "—" where the activation has no such notion. */
export function formatInactive(inactive: LayerHealthView['inactive']): string {
  if (inactive === null) return '—';
  return `${Math.round(inactive.share * 100)}% ${inactive.kind}`;
}
