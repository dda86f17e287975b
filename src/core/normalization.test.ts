import { describe, expect, it } from 'vitest';
import { normalizationStats, normalizationTable, normalizeInto, pixelStats } from './normalization.ts';

describe('normalization', () => {
  // Two 2-pixel "images": [0, 255] and [255, 255].
  const pixels = Uint8Array.from([0, 255, 255, 255]);

  it('computes one scalar mean and population std over the chosen images only', () => {
    expect(pixelStats(pixels, [0], 2)).toEqual({ mean: 0.5, std: 0.5 });
    const both = pixelStats(pixels, [0, 1], 2);
    expect(both.mean).toBeCloseTo(0.75, 12);
    expect(both.std).toBeCloseTo(Math.sqrt(0.1875), 12);
  });

  it('standardizes with training statistics only, whatever the other images hold', () => {
    const images = new Uint8Array(3 * 784);
    images.fill(100, 0, 784);
    images.fill(200, 784, 1568);
    images.fill(255, 1568); // a "validation" image, not in the training indices
    const stats = normalizationStats('standardize', images, [0, 1]);
    expect(stats.mean).toBeCloseTo(150 / 255, 12);
    expect(stats.std).toBeCloseTo(50 / 255, 12);
  });

  it('maps scale to x/255 and center to [-1, 1]', () => {
    const out = new Float32Array(2);
    normalizeInto(pixels, 0, out, 0, 2, normalizationTable(normalizationStats('scale', pixels, [])));
    expect([...out]).toEqual([0, 1]);
    normalizeInto(pixels, 0, out, 0, 2, normalizationTable(normalizationStats('center', pixels, [])));
    expect([...out]).toEqual([-1, 1]);
  });

  it('never divides by zero on constant images', () => {
    expect(pixelStats(new Uint8Array(784), [0]).std).toBe(1);
  });
});
