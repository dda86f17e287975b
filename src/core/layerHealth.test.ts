import { describe, expect, it } from 'vitest';
import {
  histogram,
  inactiveKindOf,
  inactiveUnitShare,
  l2Norm,
  SATURATED_ROW_SHARE,
  updateToWeightRatio,
} from './layerHealth.ts';

describe('l2Norm and updateToWeightRatio', () => {
  it('is the Euclidean norm', () => {
    expect(l2Norm([3, 4])).toBe(5);
    expect(l2Norm([])).toBe(0);
  });

  it('divides the size of the move by the size of the weights', () => {
    // W = [3, 4] (‖W‖ = 5), previous [3, 3]: moved by 1.
    expect(updateToWeightRatio([3, 4], [3, 3])).toBeCloseTo(0.2, 12);
  });

  it('is null without a comparable previous kernel or with zero weights', () => {
    expect(updateToWeightRatio([1, 2], null)).toBeNull();
    expect(updateToWeightRatio([1, 2], [1, 2, 3])).toBeNull();
    expect(updateToWeightRatio([0, 0], [1, 1])).toBeNull();
  });
});

describe('histogram', () => {
  it('bins values over their own range, the maximum in the last bin', () => {
    const h = histogram([0, 0.1, 0.3, 0.6, 0.76, 1], 4);
    expect(h.min).toBe(0);
    expect(h.max).toBe(1);
    expect([...h.counts]).toEqual([2, 1, 1, 2]);
  });

  it('puts equal values in the middle bin and skips non-finite ones', () => {
    const h = histogram([2, 2, NaN, Infinity, 2], 5);
    expect([h.min, h.max]).toEqual([2, 2]);
    expect([...h.counts]).toEqual([0, 0, 3, 0, 0]);
  });

  it('is empty without values and rejects a bad bin count', () => {
    expect([...histogram([], 3).counts]).toEqual([0, 0, 0]);
    expect(() => histogram([1], 0)).toThrow(/positive integer/);
  });
});

describe('inactiveUnitShare', () => {
  it('counts ReLU units that are zero on every probe row as dead', () => {
    // 3 rows × 4 units: unit 0 always 0 (dead), unit 1 active once, unit 2 always active, unit 3 always 0.
    const values = [0, 0, 1, 0, 0, 2, 1, 0, 0, 0, 3, 0];
    expect(inactiveUnitShare(values, 4, 'relu')).toEqual({ kind: 'dead', share: 0.5 });
  });

  it('counts sigmoid and tanh units saturated on nearly every row', () => {
    const rows = 20;
    const units = 2;
    const sigmoid = new Float32Array(rows * units);
    for (let r = 0; r < rows; r++) {
      sigmoid[r * units] = r < SATURATED_ROW_SHARE * rows ? 0.999 : 0.5; // saturated on 95% of rows
      sigmoid[r * units + 1] = r % 2 === 0 ? 0.001 : 0.5; // only on half
    }
    expect(inactiveUnitShare(sigmoid, units, 'sigmoid')).toEqual({ kind: 'saturated', share: 0.5 });
    expect(inactiveUnitShare([-0.99, 0.1, 0.999, 0.2], 2, 'tanh')).toEqual({ kind: 'saturated', share: 0.5 });
  });

  it('has no notion for other activations or without rows', () => {
    expect(inactiveUnitShare([1, 2], 2, 'gelu')).toBeNull();
    expect(inactiveUnitShare([], 2, 'relu')).toBeNull();
    expect(inactiveKindOf('leakyRelu')).toBeNull();
  });
});
