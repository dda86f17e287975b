import { describe, expect, it } from 'vitest';
import { cell, classRates, confusionMatrix, matrixAccuracy } from './confusion.ts';

describe('confusionMatrix', () => {
  // 3 classes: true 0,0,0,1,1,2 predicted 0,1,0,1,2,2.
  const matrix = confusionMatrix([0, 0, 0, 1, 1, 2], [0, 1, 0, 1, 2, 2], 3);

  it('counts (true, predicted) pairs row-major', () => {
    expect([...matrix.counts]).toEqual([2, 1, 0, 0, 1, 1, 0, 0, 1]);
    expect(cell(matrix, 1, 2)).toBe(1);
    expect(matrix.counts.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('reads precision from columns and recall from rows', () => {
    const rates = classRates(matrix);
    expect(rates[0]).toEqual({ precision: 1, recall: 2 / 3, support: 3 });
    expect(rates[1]).toEqual({ precision: 0.5, recall: 0.5, support: 2 });
    expect(rates[2]).toEqual({ precision: 0.5, recall: 1, support: 1 });
    expect(matrixAccuracy(matrix)).toBeCloseTo(4 / 6);
  });

  it('gives NaN rates for classes never seen or never predicted', () => {
    const rates = classRates(confusionMatrix([0, 0], [0, 0], 2));
    expect(rates[1]?.precision).toBeNaN();
    expect(rates[1]?.recall).toBeNaN();
    expect(matrixAccuracy(confusionMatrix([], [], 2))).toBeNaN();
  });

  it('refuses mismatched lengths and out-of-range labels', () => {
    expect(() => confusionMatrix([0], [0, 1], 2)).toThrow(/1 labels but 2 predictions/);
    expect(() => confusionMatrix([3], [0], 3)).toThrow(/not a class 0–2/);
  });
});
