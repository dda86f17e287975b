import { describe, expect, it } from 'vitest';
import { mix, relativeLuminance, whiteTextOnMix } from './classColors.ts';

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
const parse = (css: string) => (css.match(/\d+/g) ?? []).map(Number) as [number, number, number];

describe('whiteTextOnMix', () => {
  it('picks black or white text that meets WCAG AA (4.5:1) on every tint of the heat-map ends', () => {
    for (const hex of ['#2166AC', '#B2182B']) {
      for (let i = 0; i <= 100; i++) {
        const background = relativeLuminance(parse(mix(hex, i / 100)));
        const text = whiteTextOnMix(hex, i / 100) ? 1 : 0;
        expect(contrast(background, text), `${hex} at ${i}%`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('uses black on white and white on the full colour', () => {
    expect(whiteTextOnMix('#2166AC', 0)).toBe(false);
    expect(whiteTextOnMix('#2166AC', 1)).toBe(true);
    expect(relativeLuminance([255, 255, 255])).toBeCloseTo(1, 6);
  });
});
