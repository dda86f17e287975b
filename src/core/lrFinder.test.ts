import { describe, expect, it } from 'vitest';
import {
  describeStop,
  LossSmoother,
  RANGE_TEST,
  rangeTestRate,
  rangeTestSteps,
  RangeTestTracker,
  suggestRate,
  type RangeTestPoint,
  type RangeTestStop,
} from './lrFinder.ts';

/**
 * A synthetic range-test loss curve over log10(rate): flat at 2.3 for tiny rates, falling to a
 * valley of 0.3 around 1e-2, then blowing up past it, as a real network's loss does.
 */
function syntheticLoss(rate: number): number {
  const x = Math.log10(rate);
  if (x < -5) return 2.3;
  if (x <= -2) return 2.3 - (2 / 3) * (x + 5); // 2.3 at 1e-5 down to 0.3 at 1e-2
  return 0.3 * 10 ** (2 * (x + 2)); // ×100 per decade past the valley
}

/** Runs a tracker over `lossAt` until it stops; returns its points and why it stopped. */
function sweep(lossAt: (rate: number, step: number) => number, steps = 200) {
  const tracker = new RangeTestTracker(steps);
  let stop: RangeTestStop | null = null;
  for (let step = 0; stop === null; step++) stop = tracker.push(lossAt(tracker.nextRate, step));
  return { points: tracker.points, stop };
}

describe('rate schedule', () => {
  it('grows exponentially from 1e-7 to the top rate, the same factor every step', () => {
    expect(rangeTestRate(0, 200)).toBeCloseTo(1e-7, 20);
    expect(rangeTestRate(199, 200)).toBeCloseTo(10, 10);
    const factor = rangeTestRate(1, 200) / rangeTestRate(0, 200);
    expect(factor).toBeCloseTo(10 ** (8 / 199), 12);
    expect(rangeTestRate(101, 200) / rangeTestRate(100, 200)).toBeCloseTo(factor, 12);
    expect(rangeTestRate(500, 200)).toBeCloseTo(10, 10);
  });

  it('sweeps 200 steps, 100 for very large batches', () => {
    expect(rangeTestSteps(128)).toBe(200);
    expect(rangeTestSteps(48_000)).toBe(100);
  });
});

describe('loss smoothing', () => {
  it('starts at the first loss (bias-corrected) and follows a constant exactly', () => {
    const smoother = new LossSmoother(0.95);
    expect(smoother.push(2)).toBeCloseTo(2, 12);
    for (let i = 0; i < 50; i++) expect(smoother.push(2)).toBeCloseTo(2, 12);
  });

  it('averages noise away', () => {
    const smoother = new LossSmoother(0.95);
    let last = 0;
    for (let i = 0; i < 400; i++) last = smoother.push(i % 2 === 0 ? 1 : 3);
    expect(last).toBeCloseTo(2, 1);
  });
});

describe('stop rule', () => {
  it('stops once the smoothed loss passes 4× its minimum, not at the first rise', () => {
    const { points, stop } = sweep(syntheticLoss);
    expect(stop).toBe('diverged');
    const last = points.at(-1) as RangeTestPoint;
    const minimum = Math.min(...points.map((p) => p.smoothed));
    expect(last.smoothed).toBeGreaterThan(4 * minimum);
    expect(points.slice(0, -1).every((p) => p.smoothed <= 4 * minimum)).toBe(true);
    // The valley is at 1e-2; the loss passes 4× it within about half a decade after.
    expect(last.rate).toBeGreaterThan(1e-2);
    expect(last.rate).toBeLessThan(1e-1);
  });

  it('stops at a NaN or infinite loss without recording it', () => {
    const { points, stop } = sweep((_, step) => (step === 30 ? Number.NaN : 2));
    expect(stop).toBe('not-finite');
    expect(points).toHaveLength(30);
  });

  it('ends at the top rate when the loss never blows up', () => {
    const { points, stop } = sweep((rate) => 2 / (1 + rate), 150);
    expect(stop).toBe('top-rate');
    expect(points).toHaveLength(150);
    expect(points.at(-1)?.rate).toBeCloseTo(RANGE_TEST.endRate, 8);
  });
});

describe('suggestion rule (minimum / 10)', () => {
  it('suggests a tenth of the rate at the smoothed minimum of a synthetic curve', () => {
    const { points } = sweep(syntheticLoss);
    const suggestion = suggestRate(points);
    expect(suggestion).not.toBeNull();
    const { rate, minimumRate, minimumLoss, lossAtRate } = suggestion as NonNullable<typeof suggestion>;
    // The smoothed curve lags the raw one a little: its minimum is at or just past 1e-2.
    expect(minimumRate).toBeGreaterThanOrEqual(1e-2);
    expect(minimumRate).toBeLessThan(3e-2);
    expect(rate).toBeCloseTo(Number((minimumRate / 10).toPrecision(2)), 12);
    expect(minimumLoss).toBe(Math.min(...points.map((p) => p.smoothed)));
    // On the falling side of the valley, where the loss is still well above its minimum.
    expect(lossAtRate).toBeGreaterThan(minimumLoss);
  });

  it('is robust to batch noise: the suggestion stays within a factor of 2', () => {
    let state = 12345;
    const noise = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.4;
    const noisy = suggestRate(sweep((rate) => syntheticLoss(rate) + noise()).points);
    const clean = suggestRate(sweep(syntheticLoss).points);
    expect(noisy?.rate).toBeGreaterThan((clean?.rate ?? 0) / 2);
    expect(noisy?.rate).toBeLessThan((clean?.rate ?? 0) * 2);
  });

  it('suggests nothing when the loss never fell', () => {
    expect(suggestRate(sweep((rate) => 2.3 + rate).points)).toBeNull();
    expect(suggestRate([])).toBeNull();
  });

  it('says why the test stopped', () => {
    expect(describeStop('diverged')).toContain('4×');
    expect(describeStop('top-rate')).toContain('10');
    expect(describeStop('not-finite')).toContain('NaN');
  });
});
