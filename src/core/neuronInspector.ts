/**
 * Pure parts of the neuron inspector: which units of a wide layer the diagram shows, and the
 * diverging colour scale that lights units, weights and contributions (blue negative, red positive).
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

/** An RGB colour, channels 0–255. */
export type Rgb = readonly [number, number, number];

/**
 * Diverging colour for `value` on a scale of ±`scale`: white at 0, full red (214, 39, 40) at
 * +scale and beyond, full blue (31, 119, 180) at −scale. A zero or invalid scale, or a non-finite
 * value, gives white.
 */
export function divergingColour(value: number, scale: number): Rgb {
  if (!(scale > 0) || !Number.isFinite(value) || !Number.isFinite(scale)) return [255, 255, 255];
  const t = Math.min(1, Math.abs(value) / scale);
  const [r, g, b] = value >= 0 ? RED : BLUE;
  const mix = (c: number) => Math.round(255 + (c - 255) * t);
  return [mix(r), mix(g), mix(b)];
}

const RED: Rgb = [214, 39, 40];
const BLUE: Rgb = [31, 119, 180];

/** CSS `rgb()` of {@link divergingColour}. */
export function divergingCss(value: number, scale: number): string {
  const [r, g, b] = divergingColour(value, scale);
  return `rgb(${r} ${g} ${b})`;
}
