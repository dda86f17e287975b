/**
 * Pure parts of the neuron inspector: which units of a wide layer the diagram shows, and where a
 * value falls on the diverging colour scale that lights units and contributions (blue negative,
 * red positive).
 */

/** One hidden unit's incoming weights and its effect on the logits, for one image. */
export interface UnitDetail {
  /** Hidden layer index (0 = first) and unit within it. */
  readonly layer: number;
  readonly unit: number;
  /** `[fanIn]` weights into the unit; `[784]` (28×28, row-major) for the first layer. */
  readonly incoming: Float32Array;
  /** `[10]` logit change the unit causes: logits − logits with the unit silenced (output 0). */
  readonly contributions: Float32Array;
}

/** At most this many units per column of the diagram; wider layers are sampled. */
export const MAX_SHOWN_UNITS = 16;

/**
 * Indices of the units to draw for a layer of `count` units: all of them up to `limit`, else
 * `limit` evenly spaced ones from the first to the last (sorted, distinct), so the sample is the
 * same for every image and comparable as one draws.
 */
export function sampleUnits(count: number, limit: number = MAX_SHOWN_UNITS): number[] {
  if (!Number.isInteger(count) || count <= 0) return [];
  if (!Number.isInteger(limit) || limit <= 0)
    throw new Error(`Sample size must be a positive whole number, got ${limit}`);
  if (count <= limit) return Array.from({ length: count }, (_, i) => i);
  if (limit === 1) return [0];
  return Array.from({ length: limit }, (_, i) => Math.round((i * (count - 1)) / (limit - 1)));
}

/** The largest absolute value (0 for none): the scale that maps a set of values to colours. */
export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i] ?? 0);
    if (Number.isFinite(v) && v > max) max = v;
  }
  return max;
}

/**
 * Entry 0–255 of a diverging colour table (blue 0, white 127.5, red 255; the page's BuRd ramp,
 * `charts/classColors.ts`) for `value` on a scale of ±`scale`, clamped beyond it — the same mapping
 * as the Weights view's tiles. A zero or invalid scale, or a non-finite value, gives the middle (128).
 */
export function divergingEntry(value: number, scale: number): number {
  if (!(scale > 0) || !Number.isFinite(value) || !Number.isFinite(scale)) return 128;
  return Math.min(255, Math.max(0, Math.round(127.5 + (value / scale) * 127.5)));
}
