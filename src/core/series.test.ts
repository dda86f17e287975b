import { describe, expect, it } from 'vitest';
import { downsample, type Point } from './series.ts';

const line = (n: number): Point[] => Array.from({ length: n }, (_, i) => ({ x: i, y: 2 * i }));

describe('downsample', () => {
  it('keeps short series as they are', () => {
    expect(downsample(line(10), 100)).toEqual(line(10));
  });

  it('bounds the number of points and preserves the mean', () => {
    const out = downsample(line(100_000), 500);
    expect(out.length).toBe(500);
    const mean = (ps: Point[]) => ps.reduce((s, p) => s + p.y, 0) / ps.length;
    expect(mean(out)).toBeCloseTo(mean(line(100_000)), 6);
    expect(out[0]?.x).toBeCloseTo(99.5, 6);
  });

  it('drops non-finite values', () => {
    expect(
      downsample(
        [
          { x: 0, y: Number.NaN },
          { x: 1, y: 1 },
        ],
        10,
      ),
    ).toEqual([{ x: 1, y: 1 }]);
  });
});
