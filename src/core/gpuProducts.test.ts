import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import { GPU_REGION_ALIGN, gpuLayout } from './gpuLayout.ts';
import { GEMM_TILE_K, gemmPartialFloats, gemmPlan } from './gpuProducts.ts';

describe('gemmPlan', () => {
  it('cuts products into 64×32 tiles, 32×32 for a small batch and 64×16 for the output layer', () => {
    expect(gemmPlan(785, 128, 128)).toMatchObject({ tileM: 64, tileN: 32, parts: 1, partK: 128 });
    expect(gemmPlan(32, 128, 100)).toMatchObject({ tileM: 32, tileN: 32, parts: 1 });
    expect(gemmPlan(128, 10, 64)).toMatchObject({ tileM: 64, tileN: 16, parts: 1 });
  });

  it('splits a long K of a product with few tiles into parts of whole slices, none empty', () => {
    // W1's first layer at batch 128: 8 tiles, K = 784 in 6 parts of 144 (48 workgroups).
    expect(gemmPlan(128, 128, 784)).toEqual({ tileM: 64, tileN: 32, parts: 6, partK: 144 });
    // Hᵀ·dZ of W1's first layer at batch 512: 52 tiles, the batch in 3 parts.
    expect(gemmPlan(785, 128, 512)).toEqual({ tileM: 64, tileN: 32, parts: 3, partK: 176 });
    // Enough tiles already (the wide model at batch 512), or too short a K: not split.
    expect(gemmPlan(512, 1024, 784).parts).toBe(1);
    expect(gemmPlan(128, 64, 128).parts).toBe(1);
    for (const [m, n, k] of [
      [1, 37, 784],
      [7, 13, 300],
      [33, 100, 5000],
    ] as const) {
      const { parts, partK } = gemmPlan(m, n, k);
      expect(partK % GEMM_TILE_K).toBe(0);
      expect(parts * partK).toBeGreaterThanOrEqual(k);
      expect((parts - 1) * partK).toBeLessThan(k);
    }
  });

  it('counts the partial sums of a split product only', () => {
    expect(gemmPartialFloats(gemmPlan(128, 128, 784), 128, 128)).toBe(6 * 128 * 128);
    expect(gemmPartialFloats(gemmPlan(785, 128, 128), 785, 128)).toBe(0);
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => gemmPlan(0, 10, 10)).toThrow(/m must be a positive integer/);
    expect(() => gemmPlan(10, 2.5, 10)).toThrow(/n must be a positive integer/);
    expect(() => gemmPlan(10, 10, Number.NaN)).toThrow(/k must be a positive integer/);
  });
});

describe('gpuLayout scratch regions', () => {
  const hiddenLayers = [128, 64].map((units) => ({
    units,
    activation: 'relu' as const,
    dropout: 0,
    batchNorm: false,
  }));
  const w1: TrainingConfig = {
    ...DEFAULT_CONFIG,
    model: { ...DEFAULT_CONFIG.model, inputDropout: 0, hiddenLayers },
  };

  it('holds the largest forward split, or every split weight gradient side by side', () => {
    const small = gpuLayout(w1, 128, 100);
    const [first] = small.layers;
    expect(first?.forward.parts).toBe(6);
    expect(small.partials).not.toBeNull();
    expect(small.layers.every((l) => l.weights.parts === 1)).toBe(true);
    const large = gpuLayout(w1, 512, 100);
    const split = large.layers.filter((l) => l.weights.parts > 1);
    expect(split.length).toBeGreaterThan(0);
    const ends = split.map((l) => l.weightPartials + gemmPartialFloats(l.weights, l.fanIn + 1, l.fanOut) * 4);
    split.forEach((l, i) => {
      expect(l.weightPartials).toBeGreaterThanOrEqual(large.partials ?? Infinity);
      if (i > 0) expect(l.weightPartials).toBeGreaterThanOrEqual(ends[i - 1] ?? Infinity);
    });
    // The partials end before the loss sums (8 workgroups' loss and hits), then the layers' regions.
    expect(Math.max(...ends)).toBeLessThanOrEqual(large.lossSums);
    expect(large.lossSums % GPU_REGION_ALIGN).toBe(0);
    expect(large.lossSums + 8 * 2 * 4).toBeLessThanOrEqual(large.layers[0]?.z ?? 0);
  });
});
