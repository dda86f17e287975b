import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.ts';
import { decadeTicks, epochTicks, formatEpoch, linearScale, linearTicks, niceTicks } from './chartTicks.ts';

/** Is `v` a whole multiple of `step`, up to float noise? */
const onStep = (v: number, step: number) => Math.abs(v / step - Math.round(v / step)) < 1e-6;
const NICE = new Set([1, 2, 2.5, 5]);
/** Only with both ends fixed at values that no 1-2-2.5-5 step fits 4–6 times. */
const FALLBACK = new Set([1, 1.5, 2, 2.5, 3, 4, 5, 7.5]);
const mantissa = (step: number) => Number((step / 10 ** Math.floor(Math.log10(step))).toFixed(6));

/** The invariants every tick set must keep, whatever the range. */
function checkTicks(min: number, max: number, lockMin: boolean, lockMax: boolean) {
  const { domain, ticks, step } = niceTicks(min, max, { lockMin, lockMax });
  const where = `[${min}, ${max}] lock ${lockMin}/${lockMax}: ${ticks.join(' ')}`;
  expect(ticks.length, where).toBeGreaterThanOrEqual(4);
  expect(ticks.length, where).toBeLessThanOrEqual(6);
  expect((lockMin && lockMax ? FALLBACK : NICE).has(mantissa(step)), where).toBe(true);
  for (const t of ticks) expect(onStep(t, step), where).toBe(true);
  for (let i = 1; i < ticks.length; i++)
    expect((ticks[i] as number) - (ticks[i - 1] as number)).toBeCloseTo(step, 9);
  // The domain covers the data, and its ends are exact where locked, on a tick where not.
  expect(domain[0], where).toBeLessThanOrEqual(min + 1e-12);
  expect(domain[1], where).toBeGreaterThanOrEqual(max - 1e-12);
  if (lockMin) expect(domain[0], where).toBe(min);
  else expect(domain[0], where).toBe(ticks[0]);
  if (lockMax) expect(domain[1], where).toBe(max);
  else expect(domain[1], where).toBe(ticks[ticks.length - 1]);
  // Ticks lie in the domain, and an unlocked side grows by less than one step.
  expect(ticks[0] as number).toBeGreaterThanOrEqual(domain[0] - 1e-12);
  expect(ticks[ticks.length - 1] as number).toBeLessThanOrEqual(domain[1] + 1e-12);
  if (!lockMin) expect(min - domain[0]).toBeLessThan(step);
  if (!lockMax) expect(domain[1] - max).toBeLessThan(step);
}

describe('niceTicks', () => {
  it('gives round numbers for typical loss and accuracy ranges', () => {
    expect(niceTicks(0, 2.31, { lockMin: true })).toEqual({
      domain: [0, 2.5],
      ticks: [0, 0.5, 1, 1.5, 2, 2.5],
      step: 0.5,
    });
    expect(niceTicks(0, 2.31, { lockMin: true, lockMax: true }).domain).toEqual([0, 2.31]);
    expect(niceTicks(0.08, 1, { lockMax: true }).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.91, 1, { lockMax: true }).ticks).toEqual([0.9, 0.92, 0.94, 0.96, 0.98, 1]);
    expect(niceTicks(0.123, 0.456)).toEqual({
      domain: [0.1, 0.5],
      ticks: [0.1, 0.2, 0.3, 0.4, 0.5],
      step: 0.1,
    });
    expect(niceTicks(0, 100).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    // Step 2 would need 7 ticks (-4…8), so the next nice step: 5.
    expect(niceTicks(-3, 7).ticks).toEqual([-5, 0, 5, 10]);
  });

  it('has no float noise in tick values', () => {
    for (const t of niceTicks(0.1, 0.7).ticks) expect(String(t).length).toBeLessThanOrEqual(4);
    expect(niceTicks(0, 0.0003).ticks).toEqual([0, 0.0001, 0.0002, 0.0003]);
  });

  it('widens a degenerate range instead of dividing by zero', () => {
    const tiny = niceTicks(0.5, 0.5 + 1e-15);
    expect(tiny.domain[0]).toBeLessThan(0.5);
    expect(tiny.domain[1]).toBeGreaterThan(0.5);
    expect(tiny.ticks.length).toBeGreaterThanOrEqual(4);
    expect(niceTicks(0, 0).ticks.length).toBeGreaterThanOrEqual(4);
    const flat = niceTicks(2.3, 2.3);
    expect(flat.domain[0]).toBeLessThan(2.3);
    expect(flat.domain[1]).toBeGreaterThan(2.3);
    const locked = niceTicks(1, 1, { lockMin: true, lockMax: true });
    expect(locked.domain[0]).toBe(1);
    expect(locked.domain[1]).toBeGreaterThan(1);
  });

  it('keeps 4–6 nice ticks over ranges of every scale, locked or not', () => {
    const random = new SeededRandom(11);
    for (let i = 0; i < 4000; i++) {
      const scale = 10 ** Math.floor(random.nextFloat() * 12 - 6);
      const a = (random.nextFloat() * 2 - 1) * scale * 10;
      const span = random.nextFloat() * scale * 10 + scale * 1e-3;
      checkTicks(a, a + span, random.nextFloat() < 0.5, random.nextFloat() < 0.5);
    }
  });
});

describe('epochTicks', () => {
  it('uses quarter epochs for one epoch and whole epochs for a few', () => {
    expect(epochTicks(1).ticks).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(epochTicks(2).ticks).toEqual([0, 1, 2]);
    expect(epochTicks(5).ticks).toEqual([0, 1, 2, 3, 4, 5]);
    expect(epochTicks(10).ticks).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(epochTicks(0).domain).toEqual([0, 1]);
  });

  it('widens the step, in whole epochs, when the width allows fewer labels', () => {
    expect(epochTicks(10, 6).ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(epochTicks(30, 8).ticks).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(epochTicks(200, 11).ticks).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    for (const xMax of [2, 3, 7, 13, 50, 99, 1000]) {
      for (const maxCount of [2, 4, 6, 11]) {
        const { ticks, step, domain } = epochTicks(xMax, maxCount);
        expect(ticks.length).toBeLessThanOrEqual(maxCount);
        expect(Number.isInteger(step)).toBe(true);
        expect(ticks[0]).toBe(0);
        expect(domain).toEqual([0, xMax]);
      }
    }
  });

  it('formats epochs without trailing noise', () => {
    expect(epochTicks(1).ticks.map(formatEpoch)).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(formatEpoch(0.3333333)).toBe('0.33');
  });
});

describe('linearScale', () => {
  it('maps the domain ends onto the range ends and is linear between', () => {
    const s = linearScale([0, 2], [40, 440]);
    expect(s.map(0)).toBe(40);
    expect(s.map(2)).toBe(440);
    expect(s.map(0.5)).toBe(140);
    expect(s.invert(140)).toBe(0.5);
  });

  it('runs backwards for y (0 at the bottom of a canvas)', () => {
    const y = linearScale([0, 1], [210, 10]);
    expect(y.map(0)).toBe(210);
    expect(y.map(1)).toBe(10);
    expect(y.map(0.25)).toBe(160);
    expect(y.invert(y.map(0.37))).toBeCloseTo(0.37, 12);
  });

  it('does not divide by zero on an empty domain', () => {
    const s = linearScale([3, 3], [0, 100]);
    expect(s.map(3)).toBe(0);
    expect(s.invert(50)).toBe(3);
  });
});

describe('linearTicks', () => {
  it('ticks examples and seconds on 1-2-5 steps and ends the domain on the tick after the data', () => {
    expect(linearTicks(54_000, 6)).toEqual({
      domain: [0, 60_000],
      ticks: [0, 20_000, 40_000, 60_000],
      step: 20_000,
    });
    expect(linearTicks(9.3, 8).ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(linearTicks(100, 6).domain).toEqual([0, 100]);
    expect(linearTicks(0.37, 6).ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
  });

  it('keeps within maxCount, covers the data, and survives empty or odd input', () => {
    for (const max of [0.003, 1, 7, 13, 99, 101, 1234, 54_000, 3.2e6]) {
      for (const maxCount of [2, 3, 5, 8, 12]) {
        const { ticks, domain, step } = linearTicks(max, maxCount);
        expect(ticks.length).toBeLessThanOrEqual(maxCount);
        expect(ticks[0]).toBe(0);
        expect(domain[1]).toBe(ticks[ticks.length - 1]);
        expect(domain[1]).toBeGreaterThanOrEqual(max);
        expect(domain[1] - max).toBeLessThan(step + 1e-9);
      }
    }
    expect(linearTicks(0).domain).toEqual([0, 1]);
    expect(linearTicks(Number.NaN).domain).toEqual([0, 1]);
  });
});

describe('decadeTicks (a log axis of log10 values)', () => {
  it('ticks every whole power of ten, the domain grown out to the decades around the data', () => {
    expect(decadeTicks(-7, 0.3, 10)).toEqual({
      domain: [-7, 1],
      ticks: [-7, -6, -5, -4, -3, -2, -1, 0, 1],
      step: 1,
    });
    expect(decadeTicks(-6.5, -2.2, 4)).toEqual({ domain: [-7, -2], ticks: [-6, -4, -2], step: 2 });
  });

  it('skips decades when room is short, and survives degenerate bounds', () => {
    const narrow = decadeTicks(-7, 1, 3);
    expect(narrow.step).toBe(5);
    expect(narrow.ticks).toEqual([-5, 0]);
    expect(decadeTicks(-3, -3).domain).toEqual([-3, -2]);
    expect(decadeTicks(Number.NaN, 2).domain).toEqual([0, 1]);
  });
});
