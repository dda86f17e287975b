import type { Normalization } from './config.ts';
import { MNIST_PIXELS } from './idx.ts';

/**
 * Input normalisation as one affine map per pixel: `x ↦ (x / 255 − mean) / std`. Every option of
 * `data.normalization` is this map with different constants, so saving a model or preprocessing
 * a drawing needs only `{ mean, std }`.
 */

/** Constants of `(x / 255 − mean) / std`, both on the [0, 1] pixel scale. */
export interface NormalizationStats {
  readonly mean: number;
  readonly std: number;
}

/**
 * Mean and (population) standard deviation of `pixels / 255` over the images at `indices`
 * (`pixels` holds images of `pixelsPerImage` bytes back to back). Counted with a 256-bin histogram,
 * so it is exact and O(pixels) with no floating-point drift.
 */
export function pixelStats(
  pixels: Uint8Array,
  indices: ArrayLike<number>,
  pixelsPerImage = MNIST_PIXELS,
): NormalizationStats {
  const histogram = new Float64Array(256);
  for (let i = 0; i < indices.length; i++) {
    const start = (indices[i] ?? 0) * pixelsPerImage;
    const end = start + pixelsPerImage;
    for (let p = start; p < end; p++) {
      const value = pixels[p] ?? 0;
      histogram[value] = (histogram[value] ?? 0) + 1;
    }
  }
  let count = 0;
  let sum = 0;
  for (let v = 0; v < 256; v++) {
    const n = histogram[v] ?? 0;
    count += n;
    sum += n * (v / 255);
  }
  if (count === 0) return { mean: 0, std: 1 };
  const mean = sum / count;
  let squares = 0;
  for (let v = 0; v < 256; v++) squares += (histogram[v] ?? 0) * (v / 255 - mean) ** 2;
  const std = Math.sqrt(squares / count);
  return { mean, std: std > 0 ? std : 1 };
}

/**
 * The constants for `kind`: `scale` → {0, 1} (x/255), `center` → {0.5, 0.5} (into [−1, 1]),
 * `standardize` → {@link pixelStats} of the **training** images only (`trainIndices` rows of
 * `trainPixels`), one scalar mean and std as torchvision's `Normalize((0.1307,), (0.3081,))`.
 * Validation and test reuse these constants, so no statistic leaks from held-out data.
 */
export function normalizationStats(
  kind: Normalization,
  trainPixels: Uint8Array,
  trainIndices: ArrayLike<number>,
): NormalizationStats {
  switch (kind) {
    case 'scale':
      return { mean: 0, std: 1 };
    case 'center':
      return { mean: 0.5, std: 0.5 };
    case 'standardize':
      return pixelStats(trainPixels, trainIndices);
  }
}

/** Lookup table byte → normalised float32, so normalising is one read per pixel. `[256]`. */
export function normalizationTable(stats: NormalizationStats): Float32Array {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = (v / 255 - stats.mean) / stats.std;
  return table;
}

/**
 * Writes `length` normalised pixels from `source[sourceOffset…]` to `target[targetOffset…]`.
 * `table` comes from {@link normalizationTable}.
 */
export function normalizeInto(
  source: Uint8Array,
  sourceOffset: number,
  target: Float32Array,
  targetOffset: number,
  length: number,
  table: Float32Array,
): void {
  for (let p = 0; p < length; p++) target[targetOffset + p] = table[source[sourceOffset + p] ?? 0] ?? 0;
}
