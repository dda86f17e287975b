import { describe, expect, it } from 'vitest';
import { DIVERGING_STOPS, DIVERGING_TABLE, mix, rampTable } from './classColors.ts';
import { gridSize, paintDigits, paintWeights, PIXELS, SIDE } from './digitPixels.ts';

const pixel = (rgba: Uint8ClampedArray, width: number, x: number, y: number) =>
  Array.from(rgba.subarray(4 * (y * width + x), 4 * (y * width + x) + 4));

describe('grids of 28×28 tiles', () => {
  it('sizes a grid with gaps, never wider than its tiles', () => {
    expect(gridSize({ tiles: 6, columns: 6, gap: 2 })).toEqual({ width: 6 * 28 + 5 * 2, height: 28 });
    expect(gridSize({ tiles: 3, columns: 8, gap: 1 })).toEqual({ width: 3 * 28 + 2, height: 28 });
    expect(gridSize({ tiles: 9, columns: 4, gap: 0 })).toEqual({ width: 4 * 28, height: 3 * 28 });
  });

  it('paints the chosen images in grey, row-major, leaving the gaps transparent', () => {
    const images = new Uint8Array(3 * PIXELS);
    images[2 * PIXELS + 5 * SIDE + 7] = 200; // image 2, pixel (x 7, y 5)
    images[0] = 99; // image 0, pixel (0, 0)
    const layout = { tiles: 2, columns: 2, gap: 1 };
    const { width, height } = gridSize(layout);
    const rgba = new Uint8ClampedArray(width * height * 4);
    paintDigits(rgba, layout, images, [2, 0]);
    expect(pixel(rgba, width, 7, 5)).toEqual([200, 200, 200, 255]);
    expect(pixel(rgba, width, SIDE + 1, 0)).toEqual([99, 99, 99, 255]);
    expect(pixel(rgba, width, SIDE, 0)).toEqual([0, 0, 0, 0]);
  });

  it('maps weights symmetrically about zero with each unit scaled to its own largest |w|', () => {
    const values = new Float32Array(2 * PIXELS);
    values[0] = -0.5;
    values[1] = 0.5;
    values[PIXELS] = 4; // unit 1: a much larger scale, same extreme colour
    const layout = { tiles: 2, columns: 2, gap: 0 };
    const { width, height } = gridSize(layout);
    const rgba = new Uint8ClampedArray(width * height * 4);
    paintWeights(rgba, layout, values);
    const [blue, red] = [DIVERGING_STOPS[0], DIVERGING_STOPS[DIVERGING_STOPS.length - 1]];
    const hex = (p: number[]) =>
      `#${p
        .slice(0, 3)
        .map((v) => v.toString(16).padStart(2, '0'))
        .join('')}`;
    expect(hex(pixel(rgba, width, 0, 0)).toUpperCase()).toBe(blue);
    expect(hex(pixel(rgba, width, 1, 0)).toUpperCase()).toBe(red);
    expect(hex(pixel(rgba, width, SIDE, 0)).toUpperCase()).toBe(red);
    // Zero sits at the near-white middle of the ramp.
    const [r, g, b] = pixel(rgba, width, 2, 0);
    expect(Math.min(r ?? 0, g ?? 0, b ?? 0)).toBeGreaterThan(230);
  });
});

describe('colour ramps', () => {
  it('interpolates through every stop', () => {
    const table = rampTable(['#000000', '#ffffff']);
    expect(Array.from(table.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(table.subarray(255 * 3))).toEqual([255, 255, 255]);
    expect(DIVERGING_TABLE.length).toBe(256 * 3);
  });

  it('mixes a colour with white by share', () => {
    expect(mix('#2166AC', 0)).toBe('rgb(255 255 255)');
    expect(mix('#2166AC', 1)).toBe('rgb(33 102 172)');
  });
});
