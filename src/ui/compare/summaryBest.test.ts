import { describe, expect, it } from 'vitest';
import { bestIndices } from './summaryBest.ts';

describe('bestIndices', () => {
  it('marks the highest or lowest value among runs that have one', () => {
    expect([...bestIndices([0.9, null, 0.95, 0.93], 'high')]).toEqual([2]);
    expect([...bestIndices([12_000, 9_000, null], 'low')]).toEqual([1]);
  });

  it('marks every tied run', () => {
    expect([...bestIndices([0.97, 0.97, 0.9], 'high')]).toEqual([0, 1]);
    expect(bestIndices([40_000, 40_000, null], 'low').size).toBe(0); // all tie: none is better
  });

  it('marks nothing with fewer than two values to compare, ignoring non-finite ones', () => {
    expect(bestIndices([0.9, null], 'high').size).toBe(0);
    expect(bestIndices([], 'low').size).toBe(0);
    expect([...bestIndices([Number.NaN, 2, 3], 'low')]).toEqual([1]);
    expect(bestIndices([Number.NaN, 2], 'low').size).toBe(0);
  });
});
