import { expect } from 'vitest';
import type { EpochAnalysis } from '../core/analysisTypes.ts';

/**
 * Asserts that `got` shows what `want` shows, wherever each was computed (in process, in the
 * analysis worker): the same predictions, confusion counts and gallery exactly, the same PCA rows,
 * the explained variance to 1e-6 and the coordinates to 1e-4, the same weight images.
 */
export function expectSameViews(got: EpochAnalysis | undefined, want: EpochAnalysis | undefined): void {
  if (got === undefined || want === undefined) throw new Error('expectSameViews: an analysis is missing');
  expect(got.epoch).toBe(want.epoch);
  expect([...got.confusion]).toEqual([...want.confusion]);
  expect([...got.predicted]).toEqual([...want.predicted]);
  expect(got.misclassified).toEqual(want.misclassified);
  expect([...got.pca.rows]).toEqual([...want.pca.rows]);
  expect(got.pca.layers.map((l) => l.name)).toEqual(want.pca.layers.map((l) => l.name));
  got.pca.layers.forEach((layer, i) => {
    const reference = want.pca.layers[i];
    layer.explained.forEach((share, k) => expect(share).toBeCloseTo(reference?.explained[k] ?? NaN, 6));
    let gap = 0;
    layer.projection.forEach(
      (v, k) => (gap = Math.max(gap, Math.abs(v - (reference?.projection[k] ?? NaN)))),
    );
    expect(layer.projection.length).toBe(reference?.projection.length);
    expect(gap, `${layer.name}: largest coordinate difference`).toBeLessThan(1e-4);
  });
  expect(got.weights?.units).toBe(want.weights?.units);
  expect([...(got.weights?.values ?? [])]).toEqual([...(want.weights?.values ?? [])]);
}
