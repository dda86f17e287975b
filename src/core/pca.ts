import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * 2-D principal component analysis of activations, for the live PCA view: centre, covariance
 * (`cols × cols`, computed here in one pass), then ml-matrix's symmetric eigendecomposition.
 * Components come sorted by variance and with a stable sign, so the picture does not flip or
 * swap between epochs.
 *
 * Cost (2,000 rows, this 2-core machine): 10–128 columns 10–50 ms, 256 columns ≈ 0.25 s, 784
 * columns (input pixels) ≈ 4 s — the full eigendecomposition is O(cols³), so the input-pixel PCA,
 * which never changes during a run, should be computed once per run, not per epoch.
 */

export interface Pca2 {
  /** `[rows, 2]` row-major: each row's coordinates on the two components. */
  readonly projection: Float32Array;
  /** The two unit-length principal axes, `cols` each, first the one of larger variance. */
  readonly components: readonly [Float64Array, Float64Array];
  /** Variance along each axis (the covariance eigenvalues, divisor rows − 1). */
  readonly variances: readonly [number, number];
  /** Share of the total variance each axis explains, in [0, 1]. */
  readonly explained: readonly [number, number];
  /** Column means the data were centred with. */
  readonly mean: Float64Array;
}

/** Sample covariance `[cols, cols]` of row-major `data [rows, cols]` about `mean`. */
function covariance(data: ArrayLike<number>, rows: number, cols: number, mean: Float64Array): Matrix {
  const cov = new Matrix(cols, cols);
  const centred = new Float64Array(cols);
  const sums = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) centred[c] = (data[r * cols + c] ?? 0) - (mean[c] ?? 0);
    for (let i = 0; i < cols; i++) {
      const ci = centred[i] ?? 0;
      if (ci === 0) continue;
      const rowOffset = i * cols;
      for (let j = i; j < cols; j++)
        sums[rowOffset + j] = (sums[rowOffset + j] ?? 0) + ci * (centred[j] ?? 0);
    }
  }
  const divisor = Math.max(1, rows - 1);
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      const value = (sums[i * cols + j] ?? 0) / divisor;
      cov.set(i, j, value);
      cov.set(j, i, value);
    }
  }
  return cov;
}

/**
 * Flips `axis` in place so it points the same way as `reference` (non-negative dot product), or,
 * without a reference, so its largest-magnitude entry is positive. Eigenvectors are defined only
 * up to sign; this keeps the scatter from mirroring between epochs.
 */
export function stabiliseSign(axis: Float64Array, reference: ArrayLike<number> | null): void {
  let score = 0;
  if (reference !== null && reference.length === axis.length) {
    for (let i = 0; i < axis.length; i++) score += (axis[i] ?? 0) * (reference[i] ?? 0);
  }
  if (score === 0) {
    let largest = 0;
    for (const v of axis) if (Math.abs(v) > Math.abs(largest)) largest = v;
    score = largest;
  }
  if (score < 0) for (let i = 0; i < axis.length; i++) axis[i] = -(axis[i] ?? 0);
}

/**
 * The 2-D PCA of `data [rows, cols]` (row-major). `previous`, the components of the last epoch's
 * PCA of the same layer, fixes the signs so successive pictures line up.
 */
export function pca2(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  previous: Pca2['components'] | null = null,
): Pca2 {
  if (rows < 2 || cols < 2) throw new Error(`pca2 needs at least 2 rows and 2 columns (got ${rows}×${cols})`);
  if (data.length !== rows * cols) throw new Error(`pca2: ${data.length} values for ${rows}×${cols}`);
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) mean[c] = (mean[c] ?? 0) + (data[r * cols + c] ?? 0);
  for (let c = 0; c < cols; c++) mean[c] = (mean[c] ?? 0) / rows;

  const evd = new EigenvalueDecomposition(covariance(data, rows, cols, mean), { assumeSymmetric: true });
  const eigenvalues = evd.realEigenvalues;
  const order = eigenvalues.map((_, i) => i).sort((a, b) => (eigenvalues[b] ?? 0) - (eigenvalues[a] ?? 0));
  const total = eigenvalues.reduce((sum, v) => sum + Math.max(0, v), 0);
  const axes = [0, 1].map((k) => {
    const axis = Float64Array.from(evd.eigenvectorMatrix.getColumn(order[k] ?? k));
    stabiliseSign(axis, previous?.[k] ?? null);
    return axis;
  }) as [Float64Array, Float64Array];
  const variances = [0, 1].map((k) => Math.max(0, eigenvalues[order[k] ?? k] ?? 0)) as [number, number];

  const projection = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    let x = 0;
    let y = 0;
    for (let c = 0; c < cols; c++) {
      const v = (data[r * cols + c] ?? 0) - (mean[c] ?? 0);
      x += v * (axes[0][c] ?? 0);
      y += v * (axes[1][c] ?? 0);
    }
    projection[2 * r] = x;
    projection[2 * r + 1] = y;
  }
  const explained = variances.map((v) => (total > 0 ? v / total : 0)) as [number, number];
  return { projection, components: axes, variances, explained, mean };
}
