import type { Activation } from './config.ts';

/**
 * The pure arithmetic of the Layers view ("layer health"): norms, the update-to-weight ratio,
 * histogram bins and the share of dead or saturated units. The analysis (`ml/layerHealthProbe.ts`)
 * feeds it what it read back from one epoch's weights and the fixed probe batch; kept free of
 * TF.js so it is tested against hand-made cases.
 */

/** Bins of every weight and activation histogram the Layers view draws. */
export const HISTOGRAM_BINS = 24;

/**
 * A unit of a sigmoid or tanh layer counts as saturated when its output lies within this share
 * of its range from either end (sigmoid below 0.02 or above 0.98, tanh beyond ±0.96)…
 */
export const SATURATION_MARGIN = 0.02;
/** …on at least this share of the probe rows (its gradient then nearly vanishes on most inputs). */
export const SATURATED_ROW_SHARE = 0.95;

/**
 * The Euclidean norm √Σv² of `values[start … start+count)` (all of them by default), summed in
 * double precision: per epoch on read-back gradients, per step on the fused kernel's memory.
 */
export function l2Norm(values: ArrayLike<number>, start = 0, count = values.length - start): number {
  let sum = 0;
  for (let i = start; i < start + count; i++) {
    const v = values[i] ?? 0;
    sum += v * v;
  }
  return Math.sqrt(sum);
}

/**
 * ‖current − previous‖ / ‖current‖: how far one epoch moved a layer's kernel relative to its size
 * (healthy training is often around 1e-3 per step; per epoch it is larger). Null without a
 * previous kernel of the same size, or when the kernel is all zeros.
 */
export function updateToWeightRatio(
  current: ArrayLike<number>,
  previous: ArrayLike<number> | null,
): number | null {
  if (previous === null || previous.length !== current.length) return null;
  const weightNorm = l2Norm(current);
  if (weightNorm === 0) return null;
  let sum = 0;
  for (let i = 0; i < current.length; i++) {
    const d = (current[i] ?? 0) - (previous[i] ?? 0);
    sum += d * d;
  }
  return Math.sqrt(sum) / weightNorm;
}

/** Counts of values in equal-width bins from `min` to `max` (the values' own extremes). */
export interface Histogram {
  readonly min: number;
  readonly max: number;
  /** `[bins]` counts; bin k covers [min + k·w, min + (k+1)·w), the last one includes `max`. */
  readonly counts: Uint32Array;
}

/**
 * The histogram of the finite values of `values` in `bins` equal-width bins over their own range.
 * When every value is the same (or there are none) all land in the middle bin, min = max.
 */
export function histogram(values: ArrayLike<number>, bins = HISTOGRAM_BINS): Histogram {
  if (!Number.isInteger(bins) || bins < 1)
    throw new Error(`histogram: bins must be a positive integer, got ${bins}`);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? NaN;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Uint32Array(bins);
  if (min === Infinity) return { min: 0, max: 0, counts };
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? NaN;
    if (!Number.isFinite(v)) continue;
    const bin = width === 0 ? bins >> 1 : Math.min(bins - 1, Math.floor((v - min) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return { min, max, counts };
}

/** What "unhealthy unit" means for a layer's activation, or none where the notion does not apply. */
export type InactiveKind = 'dead' | 'saturated';

/** Which units of an activation can be dead (ReLU) or saturated (sigmoid, tanh); null for the rest. */
export function inactiveKindOf(activation: Activation): InactiveKind | null {
  switch (activation) {
    case 'relu':
      return 'dead';
    case 'sigmoid':
    case 'tanh':
      return 'saturated';
    case 'leakyRelu':
    case 'elu':
    case 'gelu':
    case 'selu':
    case 'linear':
      return null;
    default: {
      const unknown: never = activation;
      throw new Error(`Unknown activation ${String(unknown)}`);
    }
  }
}

function isSaturated(value: number, activation: 'sigmoid' | 'tanh'): boolean {
  if (activation === 'sigmoid') return value < SATURATION_MARGIN || value > 1 - SATURATION_MARGIN;
  return Math.abs(value) > 1 - 2 * SATURATION_MARGIN;
}

/**
 * The share of a layer's units that are dead (ReLU: output 0 on every probe row) or saturated
 * (sigmoid/tanh: near either end on at least {@link SATURATED_ROW_SHARE} of the probe rows), from
 * its outputs `values [rows, units]` row-major. Null when the activation has no such notion or
 * there are no rows.
 */
export function inactiveUnitShare(
  values: ArrayLike<number>,
  units: number,
  activation: Activation,
): { readonly kind: InactiveKind; readonly share: number } | null {
  const kind = inactiveKindOf(activation);
  if (kind === null || units < 1) return null;
  const rows = Math.floor(values.length / units);
  if (rows < 1) return null;
  let inactive = 0;
  for (let u = 0; u < units; u++) {
    let hits = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r * units + u] ?? 0;
      if (activation === 'relu' ? v <= 0 : isSaturated(v, activation === 'sigmoid' ? 'sigmoid' : 'tanh'))
        hits++;
    }
    if (kind === 'dead' ? hits === rows : hits >= SATURATED_ROW_SHARE * rows) inactive++;
  }
  return { kind, share: inactive / units };
}
