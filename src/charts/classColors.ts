/**
 * Colours for the ten digit classes and for signed weights, both chosen to survive the common
 * colour-vision deficiencies.
 *
 * Classes: Paul Tol's "muted" qualitative scheme (https://personal.sron.nl/~pault/), nine colours
 * designed to stay distinct for protanopes, deuteranopes and tritanopes; its tenth, pale grey
 * (#DDDDDD, for "no data"), is darkened to a mid grey so it shows on a white plot. Views never
 * rely on colour alone: every point and tile also carries its label in text.
 */
export const CLASS_COLORS = [
  '#CC6677', // 0 rose
  '#332288', // 1 indigo
  '#DDCC77', // 2 sand
  '#117733', // 3 green
  '#88CCEE', // 4 cyan
  '#882255', // 5 wine
  '#44AA99', // 6 teal
  '#999933', // 7 olive
  '#AA4499', // 8 purple
  '#7A7A7A', // 9 grey
] as const;

export function classColor(label: number): string {
  return CLASS_COLORS[label] ?? '#000000';
}

/**
 * Paul Tol's diverging "BuRd" scheme: blue for negative, near-white for zero, red for positive.
 * Colour-blind safe and printable in grey as a lightness ramp.
 */
export const DIVERGING_STOPS = [
  '#2166AC',
  '#4393C3',
  '#92C5DE',
  '#D1E5F0',
  '#F7F7F7',
  '#FDDBC7',
  '#F4A582',
  '#D6604D',
  '#B2182B',
] as const;

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `[256 × 3]` RGB bytes: entry i is the colour of t = i / 255 · 2 − 1 on a piecewise-linear ramp. */
export function rampTable(stops: readonly string[]): Uint8Array {
  const colours = stops.map(rgb);
  const table = new Uint8Array(256 * 3);
  const segments = colours.length - 1;
  for (let i = 0; i < 256; i++) {
    const position = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(position));
    const f = position - k;
    const a = colours[k] ?? [0, 0, 0];
    const b = colours[k + 1] ?? a;
    for (let c = 0; c < 3; c++) table[3 * i + c] = Math.round((a[c] ?? 0) + ((b[c] ?? 0) - (a[c] ?? 0)) * f);
  }
  return table;
}

/** The BuRd ramp as a lookup table, built once. */
export const DIVERGING_TABLE = rampTable(DIVERGING_STOPS);

/** RGB of a share in [0, 1] between white and `hex`. */
function mixRgb(hex: string, share: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, share));
  const [r, g, b] = rgb(hex).map((c) => Math.round(255 + (c - 255) * t)) as [number, number, number];
  return [r, g, b];
}

/** CSS colour of a share in [0, 1] between white and `hex` (for heat-map cells). */
export function mix(hex: string, share: number): string {
  const [r, g, b] = mixRgb(hex, share);
  return `rgb(${r} ${g} ${b})`;
}

/** WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function relativeLuminance([r, g, b]: readonly [number, number, number]): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * Whether white text contrasts more than black text with `mix(hex, share)`. Picking the better of
 * the two always gives at least 4.58:1 (WCAG AA for text), whatever the cell's tint.
 */
export function whiteTextOnMix(hex: string, share: number): boolean {
  const l = relativeLuminance(mixRgb(hex, share));
  return 1.05 / (l + 0.05) > (l + 0.05) / 0.05;
}
