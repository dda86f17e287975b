import { describe, expect, it } from 'vitest';
import { EIGEN_MAX_COLUMNS, pca2, stabiliseSign, type Pca2 } from './pca.ts';
import { SeededRandom } from './random.ts';

/**
 * `rows` points in `cols` dimensions with standard deviations `spreads` along the orthonormal
 * axes `axes` (plus a mean offset), so the principal axes and variances are known.
 */
function synthetic(rows: number, axes: number[][], spreads: number[], offset: number[], seed = 3) {
  const rng = new SeededRandom(seed);
  const cols = offset.length;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const weights = spreads.map((s) => s * rng.nextNormal());
    for (let c = 0; c < cols; c++) {
      data[r * cols + c] =
        (offset[c] ?? 0) + axes.reduce((sum, axis, k) => sum + (weights[k] ?? 0) * (axis[c] ?? 0), 0);
    }
  }
  return data;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
};

describe('pca2', () => {
  // A 3-D cloud stretched along (1, 1, 0)/√2 (σ 5) and (0, 0, 1) (σ 2), thin along (1, −1, 0)/√2.
  const s = Math.SQRT1_2;
  const axes = [
    [s, s, 0],
    [0, 0, 1],
    [s, -s, 0],
  ];
  const data = synthetic(4000, axes, [5, 2, 0.3], [10, -4, 2]);
  const result = pca2(data, 4000, 3);

  it('finds the known principal axes, in order of variance', () => {
    expect(Math.abs(dot(result.components[0], axes[0] as number[]))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(result.components[1], axes[1] as number[]))).toBeGreaterThan(0.999);
    expect(result.variances[0]).toBeCloseTo(25, -0.5);
    expect(result.variances[1]).toBeCloseTo(4, -0.3);
    expect(result.variances[0]).toBeGreaterThan(result.variances[1]);
    // 25 / (25 + 4 + 0.09) and 4 / 29.09, within sampling error.
    expect(result.explained[0]).toBeCloseTo(0.859, 1);
    expect(result.explained[1]).toBeCloseTo(0.137, 1);
  });

  it('returns orthonormal components and centred projections', () => {
    expect(dot(result.components[0], result.components[0])).toBeCloseTo(1, 10);
    expect(dot(result.components[1], result.components[1])).toBeCloseTo(1, 10);
    expect(dot(result.components[0], result.components[1])).toBeCloseTo(0, 10);
    expect([...result.mean].map((m) => Math.round(m))).toEqual([10, -4, 2]);
    let meanX = 0;
    for (let r = 0; r < 4000; r++) meanX += result.projection[2 * r] ?? 0;
    expect(Math.abs(meanX / 4000)).toBeLessThan(1e-3);
  });

  it('agrees with the closed-form decomposition of a 2-D covariance', () => {
    // Mean-zero points; covariance [[a, b], [b, c]] has closed-form eigenvalues and vectors.
    const points = [2, 1, -2, -1, 1, -1, -1, 1];
    const { variances, components } = pca2(points, 4, 2);
    // Σx² = 10, Σy² = 4, Σxy = 2, divisor 3.
    const a = 10 / 3;
    const b = 2 / 3;
    const c = 4 / 3;
    const mid = (a + c) / 2;
    const radius = Math.sqrt(((a - c) / 2) ** 2 + b * b);
    expect(variances[0]).toBeCloseTo(mid + radius, 10);
    expect(variances[1]).toBeCloseTo(mid - radius, 10);
    // Eigenvector of the larger eigenvalue is proportional to (b, λ − a).
    const v = [b, mid + radius - a];
    const norm = Math.hypot(v[0] ?? 0, v[1] ?? 0);
    expect(Math.abs(dot(components[0], [(v[0] ?? 0) / norm, (v[1] ?? 0) / norm]))).toBeCloseTo(1, 10);
  });

  it('keeps the signs of the previous components, so the picture does not mirror', () => {
    const flipped: [Float64Array, Float64Array] = [
      result.components[0].map((v) => -v),
      result.components[1].map((v) => -v),
    ];
    const next = pca2(data, 4000, 3, flipped);
    expect(dot(next.components[0], flipped[0])).toBeGreaterThan(0.999);
    expect(dot(next.components[1], flipped[1])).toBeGreaterThan(0.999);
    expect(next.projection[0]).toBeCloseTo(-(result.projection[0] ?? 0), 4);
  });

  it('refuses too little data', () => {
    expect(() => pca2([1, 2], 1, 2)).toThrow(/at least 2 rows/);
    expect(() => pca2([1, 2, 3], 2, 2)).toThrow(/3 values for 2×2/);
  });
});

/** `count` random orthonormal vectors of length `cols` (Gram–Schmidt of seeded normals). */
function orthonormalAxes(count: number, cols: number, seed: number): number[][] {
  const rng = new SeededRandom(seed);
  const axes: number[][] = [];
  while (axes.length < count) {
    const v = Array.from({ length: cols }, () => rng.nextNormal());
    for (const axis of axes) {
      const d = dot(v, axis);
      axis.forEach((a, i) => (v[i] = (v[i] ?? 0) - d * a));
    }
    const norm = Math.sqrt(dot(v, v));
    axes.push(v.map((x) => x / norm));
  }
  return axes;
}

/** Both methods give the same axes (up to sign), variances, shares and projections. */
function expectSameResult(a: Pca2, b: Pca2, tolerance = 1e-9) {
  for (const k of [0, 1]) {
    expect(Math.abs(dot(a.components[k] as Float64Array, b.components[k] as Float64Array))).toBeGreaterThan(
      1 - tolerance,
    );
    expect(Math.abs((a.variances[k] ?? 0) - (b.variances[k] ?? 0))).toBeLessThan(tolerance * a.variances[0]);
    expect(Math.abs((a.explained[k] ?? 0) - (b.explained[k] ?? 0))).toBeLessThan(tolerance);
  }
}

describe('pca2 on wide inputs (block Krylov)', () => {
  // 60 dimensions, 5 known axes with distinct spreads (two of them close), isotropic noise.
  const cols = 60;
  const rows = 500;
  const axes = orthonormalAxes(5, cols, 11);
  const spreads = [6, 4, 3.8, 2, 1];
  const clean = synthetic(
    rows,
    axes,
    spreads,
    Array.from({ length: cols }, (_, c) => c / 10),
    7,
  );
  const noise = new SeededRandom(8);
  const data = clean.map((v) => v + 0.1 * noise.nextNormal());
  const eigen = pca2(data, rows, cols, null, { method: 'eigen' });
  const krylov = pca2(data, rows, cols, null, { method: 'krylov' });

  it('agrees with the full eigendecomposition', () => {
    expectSameResult(krylov, eigen);
    expect(Math.abs(dot(krylov.components[0], axes[0] as number[]))).toBeGreaterThan(0.99);
    // Signs are fixed the same way, so the projections agree too.
    for (let i = 0; i < rows * 2; i++) {
      expect(Math.abs((krylov.projection[i] ?? 0) - (eigen.projection[i] ?? 0))).toBeLessThan(1e-4);
    }
  });

  it('is deterministic and keeps the previous signs', () => {
    const again = pca2(data, rows, cols, null, { method: 'krylov' });
    expect([...again.components[0]]).toEqual([...krylov.components[0]]);
    const flipped = [krylov.components[0].map((v) => -v), krylov.components[1].map((v) => -v)] as const;
    const next = pca2(data, rows, cols, flipped, { method: 'krylov' });
    expect(dot(next.components[0], flipped[0])).toBeGreaterThan(1 - 1e-9);
    expect(dot(next.components[1], flipped[1])).toBeGreaterThan(1 - 1e-9);
  });

  it('copes with rank-deficient and constant data', () => {
    // Rank 1: every row a multiple of one axis; the second axis has no variance.
    const axis = axes[0] as number[];
    const weights = new SeededRandom(4);
    const rank1 = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const w = weights.nextNormal();
      for (let c = 0; c < cols; c++) rank1[r * cols + c] = w * (axis[c] ?? 0);
    }
    const one = pca2(rank1, rows, cols, null, { method: 'krylov' });
    expect(Math.abs(dot(one.components[0], axis))).toBeGreaterThan(1 - 1e-9);
    expect(one.variances[1]).toBeLessThan(1e-9 * one.variances[0]);
    expect(one.explained[0]).toBeCloseTo(1, 9);
    const flat = pca2(new Float64Array(rows * cols).fill(3), rows, cols, null, { method: 'krylov' });
    expect(flat.variances).toEqual([0, 0]);
    expect(flat.explained).toEqual([0, 0]);
  });

  it(`is chosen automatically above ${EIGEN_MAX_COLUMNS} columns, and agrees there too`, () => {
    const wide = EIGEN_MAX_COLUMNS + 14;
    const wideAxes = orthonormalAxes(3, wide, 12);
    const wideRows = 300;
    const wideData = synthetic(wideRows, wideAxes, [5, 3, 1], new Array<number>(wide).fill(0.5), 9).map(
      (v) => v + 0.05 * noise.nextNormal(),
    );
    const auto = pca2(wideData, wideRows, wide);
    expectSameResult(auto, pca2(wideData, wideRows, wide, null, { method: 'krylov' }), 1e-12);
    expectSameResult(auto, pca2(wideData, wideRows, wide, null, { method: 'eigen' }));
    expect(Math.abs(dot(auto.components[1], wideAxes[1] as number[]))).toBeGreaterThan(0.99);
  });
});

describe('stabiliseSign', () => {
  it('points along the reference, or makes the largest entry positive', () => {
    const axis = Float64Array.of(0.6, -0.8);
    stabiliseSign(axis, [-1, 1]);
    expect([...axis]).toEqual([-0.6, 0.8]);
    const alone = Float64Array.of(0.6, -0.8);
    stabiliseSign(alone, null);
    expect([...alone]).toEqual([-0.6, 0.8]);
  });
});
