import { describe, expect, it } from 'vitest';
import { confusionMatrix } from '../../core/confusion.ts';
import { cellStrength, classCentroids, pairIndices, rowClasses, shownIndex } from './analysisModel.ts';

describe('analysis model', () => {
  const labels = Uint8Array.of(7, 2, 7, 7, 1, 7);
  const predicted = Uint8Array.of(2, 2, 7, 2, 1, 2);

  it("lists a confusion cell's images, capped, with the full count, agreeing with the matrix", () => {
    expect(pairIndices(labels, predicted, 7, 2, 10)).toEqual({ indices: [0, 3, 5], total: 3 });
    expect(pairIndices(labels, predicted, 7, 2, 2)).toEqual({ indices: [0, 3], total: 3 });
    expect(pairIndices(labels, predicted, 3, 3, 10)).toEqual({ indices: [], total: 0 });
    const matrix = confusionMatrix(labels, predicted);
    expect(matrix.counts[7 * 10 + 2]).toBe(3);
  });

  it('labels PCA rows and averages each class', () => {
    const classes = rowClasses(Int32Array.of(4, 0, 2), labels);
    expect(Array.from(classes)).toEqual([1, 7, 7]);
    const centroids = classCentroids(Float32Array.of(1, 1, 2, 4, 4, 0), classes);
    expect(centroids[7]).toEqual({ label: 7, count: 2, x: 3, y: 2 });
    expect(centroids[1]).toEqual({ label: 1, count: 1, x: 1, y: 1 });
    expect(centroids[0]?.count).toBe(0);
    expect(Number.isNaN(centroids[0]?.x)).toBe(true);
  });

  it('tints errors visibly even when rare, and the diagonal by its share', () => {
    expect(cellStrength(0, 100, false)).toBe(0);
    expect(cellStrength(1, 1000, false)).toBeGreaterThan(0.05);
    expect(cellStrength(100, 1000, false)).toBe(1);
    expect(cellStrength(950, 1000, true)).toBeCloseTo(0.95);
  });

  it('shows the latest epoch unless pinned, clamped to what exists', () => {
    expect(shownIndex(null, 0)).toBe(-1);
    expect(shownIndex(null, 3)).toBe(2);
    expect(shownIndex(1, 3)).toBe(1);
    expect(shownIndex(9, 3)).toBe(2);
  });
});
