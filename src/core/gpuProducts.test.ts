import { describe, expect, it } from 'vitest';
import { GEMM_INVOCATIONS, gemmPlan } from './gpuProducts.ts';

describe('gemmPlan', () => {
  it('cuts products into 64×32 tiles, 32×32 for a small batch and 64×16 for the output layer', () => {
    expect(gemmPlan(128, 128, 784)).toEqual({ tileM: 64, tileN: 32 });
    expect(gemmPlan(785, 128, 128)).toEqual({ tileM: 64, tileN: 32 });
    expect(gemmPlan(32, 128, 784)).toEqual({ tileM: 32, tileN: 32 });
    expect(gemmPlan(1, 37, 784)).toEqual({ tileM: 32, tileN: 32 });
    expect(gemmPlan(128, 10, 64)).toEqual({ tileM: 64, tileN: 16 });
    expect(GEMM_INVOCATIONS).toBe(64);
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => gemmPlan(0, 10, 10)).toThrow(/m must be a positive integer/);
    expect(() => gemmPlan(10, 2.5, 10)).toThrow(/n must be a positive integer/);
    expect(() => gemmPlan(10, 10, Number.NaN)).toThrow(/k must be a positive integer/);
  });
});
