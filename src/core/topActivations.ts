/**
 * The "images that excite this unit most" of the neuron inspector: which rows of a scan over the
 * test images gave a unit its largest activations.
 */

/** How many top-activating test images the neuron inspector shows (a 3×3 grid). */
export const TOP_IMAGE_COUNT = 9;

/**
 * Indices of the `k` largest of `values` (one activation per test image, `[count]`), largest
 * first; equal values keep index order (the lower index first), and NaN never counts as large.
 * Fewer than `k` when there are fewer values. One pass with a sorted shortlist: O(count·k).
 */
export function topIndices(values: ArrayLike<number>, k: number = TOP_IMAGE_COUNT): number[] {
  if (!Number.isInteger(k) || k < 0) throw new Error(`k must be a whole number ≥ 0, got ${k}`);
  const best: number[] = [];
  const valueAt = (i: number) => {
    const v = values[i] ?? Number.NaN;
    return Number.isNaN(v) ? -Infinity : v;
  };
  for (let i = 0; i < values.length && k > 0; i++) {
    const v = valueAt(i);
    if (best.length === k && v <= valueAt(best[k - 1] as number)) continue;
    // Insert after every kept value ≥ v: ties stay in index order.
    let at = best.length;
    while (at > 0 && valueAt(best[at - 1] as number) < v) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

/** The test images that activate one hidden unit most, for the current weights. */
export interface UnitTopImages {
  /** Hidden layer index (0 = first) and unit within it. */
  readonly layer: number;
  readonly unit: number;
  /** Up to {@link TOP_IMAGE_COUNT} test-set indices, most activating first (ties by index). */
  readonly indices: Uint32Array;
  /** `[n]` the unit's output (after batch norm and activation) for each, non-increasing. */
  readonly activations: Float32Array;
  /** `[n, 784]` their bytes (28×28, row-major, white ink on black). */
  readonly images: Uint8Array;
  /** `[n]` their true labels. */
  readonly labels: Uint8Array;
  /** How many test images were scanned (all of the test split). */
  readonly scanned: number;
}
