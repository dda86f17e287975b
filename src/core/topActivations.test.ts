import { describe, expect, it } from 'vitest';
import { topIndices } from './topActivations.ts';

describe('topIndices', () => {
  it('picks the largest values, largest first, ties by index', () => {
    const values = [0.5, 3, -1, 3, 2, 0, 7, 3, 1, 2, 2, 0.1];
    expect(topIndices(values, 5)).toEqual([6, 1, 3, 7, 4]);
    expect(topIndices(values, 9)).toEqual([6, 1, 3, 7, 4, 9, 10, 8, 0]);
  });

  it('agrees with a full sort on random data', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.round(Math.sin(i * 12.9898) * 20));
    const sorted = Array.from(values.keys()).sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b);
    expect(topIndices(values)).toEqual(sorted.slice(0, 9));
  });

  it('returns all of a short list, ranks NaN last and refuses a bad k', () => {
    expect(topIndices([1, Number.NaN, 2])).toEqual([2, 0, 1]);
    expect(topIndices([], 9)).toEqual([]);
    expect(topIndices([1, 2], 0)).toEqual([]);
    expect(() => topIndices([1], -1)).toThrow(/whole number/);
  });
});
