import { describe, expect, it } from 'vitest';
import {
  MNIST_SIDE,
  centreOfMass,
  digitInput,
  fieldToPad,
  inkBounds,
  naiveResize,
  padToField,
  placeDigit,
  preprocessMnist,
  type InkRaster,
} from './digitPreprocess.ts';

const PAD = 280;

/**
 * A synthetic pad raster: the shape `inside(u, v)` over the unit square, drawn into the square
 * [x, x + size) × [y, y + size) of a 280×280 pad with 4×4 supersampling (anti-aliased edges).
 */
function draw(inside: (u: number, v: number) => boolean, x: number, y: number, size: number): InkRaster {
  const data = new Float32Array(PAD * PAD);
  for (let py = Math.floor(y); py < Math.min(PAD, Math.ceil(y + size)); py++) {
    for (let px = Math.floor(x); px < Math.min(PAD, Math.ceil(x + size)); px++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const u = (px + (sx + 0.5) / 4 - x) / size;
          const v = (py + (sy + 0.5) / 4 - y) / size;
          if (u >= 0 && u < 1 && v >= 0 && v < 1 && inside(u, v)) hits++;
        }
      }
      data[py * PAD + px] = (hits / 16) * 255;
    }
  }
  return { width: PAD, height: PAD, data };
}

/** A "7"-like, asymmetric shape: a top bar and a diagonal, so a wrong shift or flip would show. */
const seven = (u: number, v: number) =>
  (v < 0.15 && u > 0.1 && u < 0.9) || Math.abs(u - (0.9 - 0.55 * v)) < 0.08;
const ring = (u: number, v: number) => {
  const r = Math.hypot(u - 0.5, v - 0.5);
  return r < 0.45 && r > 0.3;
};

const meanAbsDiff = (a: Uint8Array, b: Uint8Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
};

function required<T>(value: T | null): T {
  expect(value).not.toBeNull();
  return value as T;
}

describe('preprocessMnist', () => {
  it('gives the same input for a digit drawn small in a corner and large in the centre', () => {
    for (const shape of [seven, ring]) {
      const small = required(preprocessMnist(draw(shape, 6, 9, 60)));
      const large = required(preprocessMnist(draw(shape, 40, 30, 220)));
      expect(small).toHaveLength(MNIST_SIDE * MNIST_SIDE);
      // Mean absolute difference under 4 grey levels of 255 (edges differ by anti-aliasing only).
      expect(meanAbsDiff(small, large)).toBeLessThan(4);
      // And the two are not trivially similar (both non-empty, with full ink somewhere).
      expect(Math.max(...small)).toBeGreaterThan(200);
    }
  });

  it('puts the centre of mass at (14, 14) within half a pixel', () => {
    for (const [x, y, size] of [
      [0, 0, 50],
      [200, 190, 80],
      [13, 140, 133],
    ] as const) {
      const input = required(preprocessMnist(draw(seven, x, y, size)));
      const mass = required(centreOfMass(input, MNIST_SIDE, MNIST_SIDE));
      expect(Math.abs(mass.x - 14)).toBeLessThan(0.5);
      expect(Math.abs(mass.y - 14)).toBeLessThan(0.5);
    }
  });

  it('keeps the aspect ratio: a tall thin bar fills 20 px of height and ~4 px of width', () => {
    // 20 px wide, 100 px tall: scaled by 20/100, the bar becomes 4 × 20 px.
    const data = new Uint8Array(PAD * PAD);
    for (let y = 100; y < 200; y++) for (let x = 50; x < 70; x++) data[y * PAD + x] = 255;
    const input = required(preprocessMnist({ width: PAD, height: PAD, data }));
    const box = required(inkBounds({ width: MNIST_SIDE, height: MNIST_SIDE, data: input }));
    expect(box.y1 - box.y0).toBe(20);
    expect(box.x1 - box.x0).toBeGreaterThanOrEqual(4);
    expect(box.x1 - box.x0).toBeLessThanOrEqual(5); // a sub-pixel shift may straddle one more column
    let mass = 0;
    for (const v of input) mass += v;
    expect(mass / 255).toBeCloseTo(4 * 20, 0); // area averaging keeps the ink's total
  });

  it('keeps grey levels at the edges (area averaging, not thresholding)', () => {
    const input = required(preprocessMnist(draw(ring, 30, 30, 200)));
    const greys = [...input].filter((v) => v > 0 && v < 255).length;
    expect(greys).toBeGreaterThan(20);
  });

  it('returns null for an empty pad', () => {
    const empty = { width: PAD, height: PAD, data: new Uint8Array(PAD * PAD) };
    expect(preprocessMnist(empty)).toBeNull();
    expect(naiveResize(empty)).toBeNull();
    expect(inkBounds(empty)).toBeNull();
    expect(centreOfMass(new Uint8Array(784), 28, 28)).toBeNull();
  });

  it('handles a single dot and a pad of another size', () => {
    const data = new Uint8Array(100 * 60);
    data[30 * 100 + 70] = 255;
    const input = required(preprocessMnist({ width: 100, height: 60, data }));
    const box = required(inkBounds({ width: MNIST_SIDE, height: MNIST_SIDE, data: input }));
    expect([box.x0, box.y0, box.x1, box.y1]).toEqual([4, 4, 24, 24]);
  });
});

describe('naiveResize', () => {
  it('squeezes the whole pad without centring: a corner digit stays in the corner', () => {
    const input = required(naiveResize(draw(seven, 0, 0, 60)));
    const mass = required(centreOfMass(input, MNIST_SIDE, MNIST_SIDE));
    expect(mass.x).toBeLessThan(7);
    expect(mass.y).toBeLessThan(7);
  });

  it('maps a fully inked pad to a fully inked field', () => {
    const data = new Uint8Array(PAD * PAD).fill(255);
    expect([...required(naiveResize({ width: PAD, height: PAD, data }))].every((v) => v === 255)).toBe(true);
  });
});

describe('centreOfMass', () => {
  it('uses pixel centres at i + 0.5', () => {
    const values = new Uint8Array(28 * 28);
    values[3 * 28 + 5] = 10;
    expect(centreOfMass(values, 28, 28)).toEqual({ x: 5.5, y: 3.5 });
  });
});

describe('placeDigit, fieldToPad and padToField (the saliency on the pad)', () => {
  const raster = draw(seven, 30, 150, 90);

  it.each(['mnist', 'naive'] as const)(
    '%s: gives the same input as digitInput and a placement that inverts exactly',
    (mode) => {
      const placed = required(placeDigit(raster, mode));
      expect(placed.pixels).toEqual(digitInput(raster, mode));
      for (const [x, y] of [
        [0, 0],
        [14, 14],
        [27.5, 3.25],
        [28, 28],
      ] as const) {
        const pad = fieldToPad(placed.placement, x, y);
        const back = padToField(placed.placement, pad.x, pad.y);
        expect(back.x).toBeCloseTo(x, 9);
        expect(back.y).toBeCloseTo(y, 9);
      }
    },
  );

  it('maps the ink box onto the 20-pixel box of the field, and the ink back onto the pad', () => {
    const { placement, pixels } = required(placeDigit(raster, 'mnist'));
    const { box } = placement;
    const topLeft = padToField(placement, box.x0, box.y0);
    const bottomRight = padToField(placement, box.x1, box.y1);
    expect(Math.max(bottomRight.x - topLeft.x, bottomRight.y - topLeft.y)).toBeCloseTo(MNIST_SIDE - 8, 9);
    // The field's inked pixels, mapped back, fall inside the ink's bounding box on the pad.
    for (let i = 0; i < pixels.length; i++) {
      if ((pixels[i] ?? 0) < 128) continue;
      const centre = fieldToPad(placement, (i % MNIST_SIDE) + 0.5, Math.floor(i / MNIST_SIDE) + 0.5);
      expect(centre.x).toBeGreaterThan(box.x0 - 1);
      expect(centre.x).toBeLessThan(box.x1 + 1);
      expect(centre.y).toBeGreaterThan(box.y0 - 1);
      expect(centre.y).toBeLessThan(box.y1 + 1);
    }
  });

  it('has no placement for an empty pad', () => {
    expect(placeDigit({ width: PAD, height: PAD, data: new Uint8Array(PAD * PAD) }, 'mnist')).toBeNull();
  });
});
