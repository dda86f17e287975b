import { DIVERGING_TABLE } from './classColors.ts';

/**
 * Pixels for grids of 28×28 tiles: MNIST digits in grey and first-layer weights on a diverging
 * scale. Pure (they fill an RGBA buffer), so one putImageData draws a whole grid; a 64-tile grid
 * costs well under a millisecond.
 */

export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

export interface GridLayout {
  readonly tiles: number;
  readonly columns: number;
  /** Blank pixels between tiles. */
  readonly gap: number;
}

export function gridSize({ tiles, columns, gap }: GridLayout): { width: number; height: number } {
  const cols = Math.max(1, Math.min(columns, tiles));
  const rows = Math.max(1, Math.ceil(tiles / cols));
  return { width: cols * SIDE + (cols - 1) * gap, height: rows * SIDE + (rows - 1) * gap };
}

/** Writes tile `t` of a grid through `pixel(i) → [r, g, b]` for its 784 pixels. */
function paintTile(
  rgba: Uint8ClampedArray,
  width: number,
  layout: GridLayout,
  t: number,
  paint: (i: number, out: Uint8ClampedArray, at: number) => void,
): void {
  const cols = Math.max(1, Math.min(layout.columns, layout.tiles));
  const x0 = (t % cols) * (SIDE + layout.gap);
  const y0 = Math.floor(t / cols) * (SIDE + layout.gap);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const at = 4 * ((y0 + y) * width + x0 + x);
      paint(y * SIDE + x, rgba, at);
      rgba[at + 3] = 255;
    }
  }
}

/**
 * Grey digits: tile t shows `images[indices[t]]` (`images` is `[n, 784]` bytes, 0 = black).
 * `rgba` is the grid's `[height, width, 4]` buffer (gaps stay transparent).
 */
export function paintDigits(
  rgba: Uint8ClampedArray,
  layout: GridLayout,
  images: Uint8Array,
  indices: ArrayLike<number>,
): void {
  const { width } = gridSize(layout);
  for (let t = 0; t < Math.min(layout.tiles, indices.length); t++) {
    const offset = (indices[t] ?? 0) * PIXELS;
    paintTile(rgba, width, layout, t, (i, out, at) => {
      const v = images[offset + i] ?? 0;
      out[at] = v;
      out[at + 1] = v;
      out[at + 2] = v;
    });
  }
}

/**
 * Weights `[units, 784]` of the first hidden layer, one tile per unit, each on the blue–white–red
 * scale symmetric about 0 with that unit's largest |w| at the ends (so every unit uses the full
 * range and its pattern, not its scale, shows).
 */
export function paintWeights(rgba: Uint8ClampedArray, layout: GridLayout, values: Float32Array): void {
  const { width } = gridSize(layout);
  for (let t = 0; t < layout.tiles; t++) {
    const offset = t * PIXELS;
    let largest = 0;
    for (let i = 0; i < PIXELS; i++) largest = Math.max(largest, Math.abs(values[offset + i] ?? 0));
    const scale = largest > 0 ? 127.5 / largest : 0;
    paintTile(rgba, width, layout, t, (i, out, at) => {
      const entry = Math.min(255, Math.max(0, Math.round(127.5 + (values[offset + i] ?? 0) * scale)));
      out[at] = DIVERGING_TABLE[3 * entry] ?? 0;
      out[at + 1] = DIVERGING_TABLE[3 * entry + 1] ?? 0;
      out[at + 2] = DIVERGING_TABLE[3 * entry + 2] ?? 0;
    });
  }
}
