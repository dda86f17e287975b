import { describe, expect, it } from 'vitest';
import { pca2, stabiliseSign } from './pca.ts';
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
