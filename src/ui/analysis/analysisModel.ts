import { MNIST_CLASSES } from '../../core/idx.ts';

/**
 * Small pure computations behind the error-analysis views, done on the main thread from what the
 * worker sends (each is one pass over at most 10,000 bytes, well under a millisecond).
 */

/** Test rows whose (true, predicted) pair is (`trueClass`, `predictedClass`), the first `limit` of them. */
export function pairIndices(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  trueClass: number,
  predictedClass: number,
  limit: number,
): { readonly indices: number[]; readonly total: number } {
  const indices: number[] = [];
  let total = 0;
  const n = Math.min(labels.length, predicted.length);
  for (let i = 0; i < n; i++) {
    if (labels[i] !== trueClass || predicted[i] !== predictedClass) continue;
    total += 1;
    if (indices.length < limit) indices.push(i);
  }
  return { indices, total };
}

/** `[rows]` class of each PCA row, from the test labels. */
export function rowClasses(rows: Int32Array, labels: ArrayLike<number>): Uint8Array {
  const classes = new Uint8Array(rows.length);
  for (let r = 0; r < rows.length; r++) classes[r] = labels[rows[r] ?? 0] ?? 0;
  return classes;
}

export interface Centroid {
  readonly label: number;
  readonly count: number;
  readonly x: number;
  readonly y: number;
}

/** Mean position of each class's points in a `[n, 2]` projection (NaN for a class with no points). */
export function classCentroids(xy: Float32Array, classes: Uint8Array, count = MNIST_CLASSES): Centroid[] {
  const sums = Array.from({ length: count }, () => ({ n: 0, x: 0, y: 0 }));
  for (let i = 0; i < classes.length; i++) {
    const sum = sums[classes[i] ?? 0];
    if (!sum) continue;
    sum.n += 1;
    sum.x += xy[2 * i] ?? 0;
    sum.y += xy[2 * i + 1] ?? 0;
  }
  return sums.map((s, label) => ({ label, count: s.n, x: s.x / s.n, y: s.y / s.n }));
}

/**
 * How strongly to tint a confusion cell, in [0, 1], from its share of the true class's row.
 * Errors are rare (a few percent of a row), so off-diagonal cells reach full strength at 10% of
 * the row and use a square-root ramp, which keeps a single stray image visible but faint.
 */
export function cellStrength(count: number, rowTotal: number, diagonal: boolean): number {
  if (count <= 0 || rowTotal <= 0) return 0;
  const share = count / rowTotal;
  return diagonal ? share : Math.min(1, Math.sqrt(share / 0.1));
}

/** Index into a list of `count` analyses shown by the slider: the pinned one, or the latest. */
export function shownIndex(pinned: number | null, count: number): number {
  if (count === 0) return -1;
  return pinned === null ? count - 1 : Math.min(Math.max(0, pinned), count - 1);
}
