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

/**
 * The three stages of the module's doc done one after the other on whole 28×28 images, written
 * independently of the single-pass implementation: rotate (bilinear, one rounding), then crop
 * from the zero-padded image, then shift.
 */
function stageByStage(source: Uint8Array, data: TrainingConfig['data'], seed: number): Uint8Array {
  const rng = new SeededRandom(seed);
  const draw = (radius: number) => (radius > 0 ? rng.nextInt(2 * radius + 1) - radius : 0);
  const angle =
    data.rotationDegrees > 0 ? ((rng.nextFloat() * 2 - 1) * data.rotationDegrees * Math.PI) / 180 : 0;
  const [cropX, cropY, shiftX, shiftY] = [
    draw(data.cropPadding),
    draw(data.cropPadding),
    draw(data.shiftPixels),
    draw(data.shiftPixels),
  ];
  const at = (image: Uint8Array, x: number, y: number) =>
    x >= 0 && x < 28 && y >= 0 && y < 28 ? (image[y * 28 + x] ?? 0) : 0;
  const rotated = new Uint8Array(784);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  for (let p = 0; p < 784; p++) {
    const [dx, dy] = [(p % 28) - 13.5, Math.floor(p / 28) - 13.5];
    if (angle === 0) {
      rotated[p] = source[p] ?? 0;
      continue;
    }
    const sx = cos * dx + sin * dy + 13.5;
    const sy = -sin * dx + cos * dy + 13.5;
    const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
    const [fx, fy] = [sx - x0, sy - y0];
    const sum =
      (1 - fx) * (1 - fy) * at(source, x0, y0) +
      fx * (1 - fy) * at(source, x0 + 1, y0) +
      (1 - fx) * fy * at(source, x0, y0 + 1) +
      fx * fy * at(source, x0 + 1, y0 + 1);
    rotated[p] = Math.round(sum);
  }
  const moved = (image: Uint8Array, mx: number, my: number) =>
    Uint8Array.from({ length: 784 }, (_, p) => at(image, (p % 28) - mx, Math.floor(p / 28) - my));
  return moved(moved(rotated, cropX, cropY), shiftX, shiftY);
}

describe('augmentImage, single pass', () => {
  it('equals the three stages applied one after the other, byte for byte', () => {
    const set = images(4);
    const settings = [
      { rotationDegrees: 10, cropPadding: 2, shiftPixels: 0 },
      { rotationDegrees: 45, cropPadding: 8, shiftPixels: 8 },
      { rotationDegrees: 30, cropPadding: 0, shiftPixels: 3 },
      { rotationDegrees: 0, cropPadding: 4, shiftPixels: 5 },
    ];
    let compared = 0;
    for (const data of settings) {
      const options = withData(data).data;
      for (let seed = 1; seed <= 25; seed++) {
        const source = set.pixels.subarray((seed % 4) * 784, (seed % 4) * 784 + 784);
        expect(one(options, source, seed), `${JSON.stringify(data)}, seed ${seed}`).toEqual(
          stageByStage(source, options, seed),
        );
        compared++;
      }
    }
    expect(compared).toBe(100);
  });
});
