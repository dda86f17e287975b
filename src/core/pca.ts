import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { SeededRandom } from './random.ts';

/**
 * 2-D principal component analysis of activations, for the live PCA view: centre, then the two
 * largest eigenpairs of the sample covariance. Components come sorted by variance and with a
 * stable sign, so the picture does not flip or swap between epochs.
 *
 * Two ways to the eigenpairs (see {@link PcaMethod}): up to {@link EIGEN_MAX_COLUMNS} columns the
 * covariance (`cols × cols`, one pass) goes through ml-matrix's full symmetric eigendecomposition,
 * O(cols³): 2,000 rows × 10–128 columns take 10–50 ms on this 2-core machine, 256 ≈ 0.25 s, but
 * 784 (the input pixels) ≈ 4 s. Wider inputs use a block Krylov iteration that only multiplies
 * by the data, O(rows·cols) per step and a few dozen steps.
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
 * How {@link pca2} finds the two axes: `eigen` decomposes the full covariance (exact, O(cols³),
 * the better choice for narrow layers); `krylov` runs a block Krylov (Lanczos-style) iteration on
 * the covariance without forming it, O(rows·cols) per step (for wide inputs such as the 784
 * pixels); `auto` picks `krylov` above {@link EIGEN_MAX_COLUMNS} columns.
 */
export type PcaMethod = 'auto' | 'eigen' | 'krylov';

/** Widest input `auto` still decomposes fully (256 columns ≈ 0.25 s here; 784 ≈ 4 s). */
export const EIGEN_MAX_COLUMNS = 256;

export interface Pca2Options {
  readonly method?: PcaMethod;
}

/** The two largest covariance eigenpairs, largest first, and the total variance (the trace). */
interface TopTwo {
  readonly axes: [Float64Array, Float64Array];
  readonly variances: [number, number];
  readonly total: number;
}

function topTwoEigen(data: ArrayLike<number>, rows: number, cols: number, mean: Float64Array): TopTwo {
  const evd = new EigenvalueDecomposition(covariance(data, rows, cols, mean), { assumeSymmetric: true });
  const eigenvalues = evd.realEigenvalues;
  const order = eigenvalues.map((_, i) => i).sort((a, b) => (eigenvalues[b] ?? 0) - (eigenvalues[a] ?? 0));
  return {
    axes: [0, 1].map((k) => Float64Array.from(evd.eigenvectorMatrix.getColumn(order[k] ?? k))) as [
      Float64Array,
      Float64Array,
    ],
    variances: [0, 1].map((k) => Math.max(0, eigenvalues[order[k] ?? k] ?? 0)) as [number, number],
    total: eigenvalues.reduce((sum, v) => sum + Math.max(0, v), 0),
  };
}

/** Vectors per Krylov block: a few, so near-equal top eigenvalues still converge quickly. */
const KRYLOV_BLOCK = 4;
/** Basis size at which the iteration restarts from its two best Ritz vectors. */
const KRYLOV_MAX_BASIS = 64;
/** Restarts before giving up on the tolerance and returning the best Ritz pairs found. */
const KRYLOV_MAX_RESTARTS = 10;
/** Converged when ‖C·u − θ·u‖ ≤ tolerance · θ₁ for both Ritz pairs. */
const KRYLOV_TOLERANCE = 1e-9;

function dotProduct(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** `target −= scale · v`. */
function subtractScaled(target: Float64Array, v: Float64Array, scale: number): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) - scale * (v[i] ?? 0);
}

/**
 * The covariance times each of `vectors` (`cols` each), as `Xcᵀ(Xc·v)/(rows − 1)` with the
 * centring folded in (`Xc·v = X·v − mean·v`), so neither the covariance nor a centred copy of
 * the data is ever built. One pass over the rows for the whole block.
 */
function applyCovariance(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  mean: Float64Array,
  vectors: readonly Float64Array[],
): Float64Array[] {
  const b = vectors.length;
  // Interleaved `[cols, b]` copies, so the inner loops walk memory in order.
  const v = new Float64Array(cols * b);
  const out = new Float64Array(cols * b);
  const shift = new Float64Array(b);
  vectors.forEach((vector, k) => {
    for (let c = 0; c < cols; c++) v[c * b + k] = vector[c] ?? 0;
    shift[k] = dotProduct(mean, vector);
  });
  const y = new Float64Array(b);
  const ySums = new Float64Array(b);
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    y.fill(0);
    for (let c = 0; c < cols; c++) {
      const x = data[offset + c] ?? 0;
      if (x === 0) continue;
      for (let k = 0; k < b; k++) y[k] = (y[k] ?? 0) + x * (v[c * b + k] ?? 0);
    }
    for (let k = 0; k < b; k++) {
      y[k] = (y[k] ?? 0) - (shift[k] ?? 0);
      ySums[k] = (ySums[k] ?? 0) + (y[k] ?? 0);
    }
    for (let c = 0; c < cols; c++) {
      const x = data[offset + c] ?? 0;
      if (x === 0) continue;
      for (let k = 0; k < b; k++) out[c * b + k] = (out[c * b + k] ?? 0) + x * (y[k] ?? 0);
    }
  }
  // Xcᵀ·y = Xᵀ·y − mean·Σy (Σy is 0 up to rounding, since y is centred).
  const divisor = Math.max(1, rows - 1);
  return vectors.map((_, k) => {
    const result = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      result[c] = ((out[c * b + k] ?? 0) - (mean[c] ?? 0) * (ySums[k] ?? 0)) / divisor;
    }
    return result;
  });
}

/**
 * Makes `candidate` orthogonal to `basis` (classical Gram–Schmidt, twice, which keeps the basis
 * orthonormal to rounding) and unit length; null when nothing of it is left (it lay in the span).
 */
function orthonormalise(candidate: Float64Array, basis: readonly Float64Array[]): Float64Array | null {
  const before = Math.sqrt(dotProduct(candidate, candidate));
  if (!(before > 0)) return null;
  for (let pass = 0; pass < 2; pass++) {
    const projections = basis.map((q) => dotProduct(q, candidate));
    basis.forEach((q, i) => subtractScaled(candidate, q, projections[i] ?? 0));
  }
  const after = Math.sqrt(dotProduct(candidate, candidate));
  if (!(after > 1e-10 * before)) return null;
  for (let i = 0; i < candidate.length; i++) candidate[i] = (candidate[i] ?? 0) / after;
  return candidate;
}

/**
 * The top two covariance eigenpairs by block Krylov iteration with Rayleigh–Ritz: the basis
 * grows by `C·(last block)`, orthonormalised; the Ritz pairs of `QᵀCQ` converge to the extreme
 * eigenpairs in a few dozen products for typical spectra. The start block comes from a fixed seed,
 * so the result is deterministic; convergence is checked on the residual `‖C·u − θ·u‖`, which
 * bounds each axis's error by residual / gap to the next eigenvalue.
 */
interface RitzPair {
  /** Unit Ritz vector `u` and `C·u`. */
  readonly u: Float64Array;
  readonly cu: Float64Array;
  readonly theta: number;
  /** `C·u − θ·u`. */
  readonly residual: Float64Array;
}

function topTwoKrylov(data: ArrayLike<number>, rows: number, cols: number, mean: Float64Array): TopTwo {
  const rng = new SeededRandom(0x9ca2);
  const random = () => Float64Array.from({ length: cols }, () => rng.nextNormal());
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) total += ((data[r * cols + c] ?? 0) - (mean[c] ?? 0)) ** 2;
  }
  total /= Math.max(1, rows - 1);

  const block = Math.min(KRYLOV_BLOCK, cols);
  const maxBasis = Math.min(cols, Math.max(KRYLOV_MAX_BASIS, 2 + block));
  let basis: Float64Array[] = [];
  let images: Float64Array[] = []; // C·basis[i]
  let candidates: Float64Array[] = Array.from({ length: block }, random);
  let best: TopTwo | null = null;
  let restarts = 0;

  for (;;) {
    const added: Float64Array[] = [];
    for (const candidate of candidates) {
      if (basis.length + added.length >= maxBasis) break;
      // A candidate inside the span (an invariant subspace was found) gives way to a random one.
      let q = orthonormalise(candidate, [...basis, ...added]);
      for (let tries = 0; q === null && tries < 3; tries++)
        q = orthonormalise(random(), [...basis, ...added]);
      if (q !== null) added.push(q);
    }
    if (added.length === 0) break;
    const products = applyCovariance(data, rows, cols, mean, added);
    basis = [...basis, ...added];
    images = [...images, ...products];

    // Rayleigh–Ritz on span(basis): T = Qᵀ·C·Q (symmetrised); its top two eigenvectors s_k give
    // the Ritz vectors u_k = Q·s_k, with C·u_k = (C·Q)·s_k.
    const m = basis.length;
    const t = new Matrix(m, m);
    for (let i = 0; i < m; i++) {
      for (let j = i; j < m; j++) {
        const qi = basis[i] as Float64Array;
        const qj = basis[j] as Float64Array;
        const value =
          (dotProduct(qi, images[j] as Float64Array) + dotProduct(qj, images[i] as Float64Array)) / 2;
        t.set(i, j, value);
        t.set(j, i, value);
      }
    }
    const evd = new EigenvalueDecomposition(t, { assumeSymmetric: true });
    const values = evd.realEigenvalues;
    const order = values.map((_, i) => i).sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0));
    const [first, second] = [0, 1].map((k) => {
      const s = evd.eigenvectorMatrix.getColumn(order[k] ?? k);
      const u = new Float64Array(cols);
      const cu = new Float64Array(cols);
      s.forEach((weight, j) => {
        subtractScaled(u, basis[j] as Float64Array, -weight);
        subtractScaled(cu, images[j] as Float64Array, -weight);
      });
      const theta = values[order[k] ?? k] ?? 0;
      const residual = cu.slice();
      subtractScaled(residual, u, theta);
      return { u, cu, theta, residual };
    }) as [RitzPair, RitzPair];
    best = {
      axes: [first.u, second.u],
      variances: [Math.max(0, first.theta), Math.max(0, second.theta)],
      total,
    };
    const limit = KRYLOV_TOLERANCE * Math.max(first.theta, 0);
    const norm = (v: Float64Array) => Math.sqrt(dotProduct(v, v));
    if ((norm(first.residual) <= limit && norm(second.residual) <= limit) || m >= cols) break;

    // The next block: C times the newest basis vectors.
    candidates = products.map((p) => p.slice());
    if (basis.length >= maxBasis) {
      if (++restarts > KRYLOV_MAX_RESTARTS) break;
      // Restart from the two best Ritz vectors; their residuals carry the search on.
      basis = [first.u, second.u];
      images = [first.cu, second.cu];
      candidates = [first.residual, second.residual, ...Array.from({ length: block - 2 }, random)];
    }
  }
  if (best === null) throw new Error('pca2: the Krylov iteration produced no basis');
  return best;
}

/**
 * The 2-D PCA of `data [rows, cols]` (row-major). `previous`, the components of the last epoch's
 * PCA of the same layer, fixes the signs so successive pictures line up. Both methods (see
 * {@link PcaMethod}) agree to rounding on the axes (up to sign, which is then fixed the same
 * way) and the variances.
 */
export function pca2(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  previous: Pca2['components'] | null = null,
  options: Pca2Options = {},
): Pca2 {
  if (rows < 2 || cols < 2) throw new Error(`pca2 needs at least 2 rows and 2 columns (got ${rows}×${cols})`);
  if (data.length !== rows * cols) throw new Error(`pca2: ${data.length} values for ${rows}×${cols}`);
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) mean[c] = (mean[c] ?? 0) + (data[r * cols + c] ?? 0);
  for (let c = 0; c < cols; c++) mean[c] = (mean[c] ?? 0) / rows;

  const method = options.method ?? 'auto';
  const krylov = method === 'krylov' || (method === 'auto' && cols > EIGEN_MAX_COLUMNS);
  const { axes, variances, total } = krylov
    ? topTwoKrylov(data, rows, cols, mean)
    : topTwoEigen(data, rows, cols, mean);
  axes.forEach((axis, k) => stabiliseSign(axis, previous?.[k] ?? null));

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
