import { describe, expect, it } from 'vitest';
import { augmentImage, augmentationEnabled, previewAugmentations } from './augment.ts';
import { DEFAULT_CONFIG, type TrainingConfig } from './config.ts';
import type { LabelledImages } from './idx.ts';
import { SeededRandom } from './random.ts';

function images(count: number): LabelledImages {
  const rng = new SeededRandom(3);
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) {
    for (let y = 6; y < 22; y++)
      for (let x = 10; x < 18; x++) pixels[i * 784 + y * 28 + x] = 100 + rng.nextInt(156);
  }
  return { count, pixels, labels: Uint8Array.from({ length: count }, (_, i) => (i * 3) % 10) };
}

const withData = (data: Partial<TrainingConfig['data']>): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  data: { ...DEFAULT_CONFIG.data, ...data },
});

const one = (options: TrainingConfig['data'], source: Uint8Array, seed = 1) => {
  const out = new Uint8Array(784);
  augmentImage(source, 0, out, 0, options, new SeededRandom(seed));
  return out;
};

describe('augmentImage', () => {
  const set = images(8);
  const first = set.pixels.subarray(0, 784);

  it('is the identity with everything at 0', () => {
    const config = withData({});
    expect(augmentationEnabled(config.data)).toBe(false);
    expect(one(config.data, first)).toEqual(first);
  });

  it('keeps shapes and labels, and is deterministic per seed', () => {
    const config = withData({ rotationDegrees: 15, cropPadding: 2, shiftPixels: 2 });
    expect(augmentationEnabled(config.data)).toBe(true);
    const a = previewAugmentations(set, [0, 3, 5], config, 7);
    const b = previewAugmentations(set, [0, 3, 5], config, 7);
    const c = previewAugmentations(set, [0, 3, 5], config, 8);
    expect(a.augmented.length).toBe(3 * 784);
    expect(a.originals.subarray(0, 784)).toEqual(set.pixels.subarray(0, 784));
    expect(a.originals.subarray(784, 1568)).toEqual(set.pixels.subarray(3 * 784, 4 * 784));
    expect([...a.labels]).toEqual([0, 9, 5]);
    expect(a.augmented).toEqual(b.augmented);
    expect(a.augmented).not.toEqual(c.augmented);
    expect(a.augmented).not.toEqual(a.originals);
  });

  it('translates by whole pixels with crop padding and shift, by the drawn offset, filling with zeros', () => {
    /** Every offset (dx, dy) in [-5, 5]² that explains `out` exactly as `first` moved by it. */
    const offsetsExplaining = (out: Uint8Array) => {
      const found: [number, number][] = [];
      for (let dy = -5; dy <= 5; dy++) {
        for (let dx = -5; dx <= 5; dx++) {
          const explains = out.every((v, p) => {
            const x = (p % 28) - dx;
            const y = Math.floor(p / 28) - dy;
            const inside = x >= 0 && x < 28 && y >= 0 && y < 28;
            return v === (inside ? (first[y * 28 + x] ?? 0) : 0);
          });
          if (explains) found.push([dx, dy]);
        }
      }
      return found;
    };
    for (const data of [{ cropPadding: 3 }, { shiftPixels: 3 }]) {
      const seen: [number, number][] = [];
      for (let seed = 1; seed <= 30; seed++) {
        const out = one(withData(data).data, first, seed);
        // The draw the docs describe: an integer uniform in [-3, 3] per axis (x, then y).
        const rng = new SeededRandom(seed);
        const expected: [number, number] = [rng.nextInt(7) - 3, rng.nextInt(7) - 3];
        expect(offsetsExplaining(out), `seed ${seed}, ${JSON.stringify(data)}`).toEqual([expected]);
        seen.push(expected);
      }
      // The pixels really move, over the whole range and no further.
      const xs = seen.map(([dx]) => dx);
      const ys = seen.map(([, dy]) => dy);
      expect(seen.filter(([dx, dy]) => dx !== 0 || dy !== 0).length).toBeGreaterThan(20);
      expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([-3, 3, -3, 3]);
    }
  });

  it('rotates about the centre, roughly preserving ink', () => {
    const out = one(withData({ rotationDegrees: 30 }).data, first, 2);
    const ink = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
    expect(out).not.toEqual(first);
    expect(Math.abs(ink(out) - ink(first)) / ink(first)).toBeLessThan(0.1);
  });
});
