/**
 * The learning-rate range test ("find the learning rate", after Leslie Smith's LR range test
 * and fastai's `lr_find`), its pure parts: the rate schedule, the loss smoothing, the stop rule
 * and the suggestion rule. The worker (`ml/lrRangeTest.ts`) trains a fresh model step by step
 * with these; the page plots the result. No TF.js, no DOM: tested on synthetic loss curves.
 */

/** How a range test sweeps the learning rate and when it stops. */
export interface RangeTestSettings {
  /** The first step's learning rate. */
  readonly startRate: number;
  /** The rate the last step would reach (the "top rate"): the test ends there at the latest. */
  readonly endRate: number;
  /**
   * Weight of the previous smoothed loss in the exponential moving average (0–1); 0.95 averages
   * over about 20 steps, enough to see through batch noise without lagging the curve by much.
   */
  readonly smoothing: number;
  /** The test stops once the smoothed loss exceeds this many times its minimum so far. */
  readonly divergeFactor: number;
  /** The suggestion needs the smoothed loss to have fallen at least this share below its start. */
  readonly minimumDrop: number;
}

/** The settings the page uses: 1e-7 up to 10, smoothing 0.95, stop at 4× the minimum. */
export const RANGE_TEST: RangeTestSettings = {
  startRate: 1e-7,
  endRate: 10,
  smoothing: 0.95,
  divergeFactor: 4,
  minimumDrop: 0.05,
};

/** Batch sizes from this one on get {@link rangeTestSteps}' shorter sweep (each step is costly). */
const LARGE_BATCH = 4096;

/**
 * Steps of the sweep for a batch size: 200 steps (the rate grows by 10^(8/199) ≈ 1.097× a step),
 * 100 for batches of 4,096 examples and more (full-batch gradient descent), whose steps are many
 * times dearer and far less noisy, so fewer suffice.
 */
export function rangeTestSteps(batchSize: number): number {
  return batchSize >= LARGE_BATCH ? 100 : 200;
}

/**
 * The learning rate of step `step` (0-based) of a `steps`-step sweep: exponential from
 * `startRate` (step 0) to `endRate` (step `steps − 1`), so every decade gets the same number of
 * steps and the curve reads evenly on a log axis.
 */
export function rangeTestRate(step: number, steps: number, settings: RangeTestSettings = RANGE_TEST): number {
  const { startRate, endRate } = settings;
  if (steps <= 1) return startRate;
  const t = Math.min(1, Math.max(0, step / (steps - 1)));
  return startRate * (endRate / startRate) ** t;
}

/**
 * An exponential moving average of the batch losses with bias correction (as Adam corrects its
 * moments), so the first smoothed values are the early losses, not pulled towards 0.
 */
export class LossSmoother {
  private average = 0;
  private count = 0;

  constructor(private readonly smoothing: number = RANGE_TEST.smoothing) {}

  /** Adds one batch's loss; returns the smoothed loss after it. */
  push(loss: number): number {
    this.count += 1;
    this.average = this.smoothing * this.average + (1 - this.smoothing) * loss;
    return this.average / (1 - this.smoothing ** this.count);
  }
}

/** Why a range test ended. */
export type RangeTestStop =
  /** The smoothed loss rose above `divergeFactor` × its minimum: the rate is too high now. */
  | 'diverged'
  /** A batch loss was NaN or infinite. */
  | 'not-finite'
  /** The sweep reached its top rate without the loss exploding. */
  | 'top-rate';

/** One step of the sweep. */
export interface RangeTestPoint {
  /** The learning rate of this step. */
  readonly rate: number;
  /** The batch's data loss (mean over the batch). */
  readonly loss: number;
  /** {@link LossSmoother}'s value after this step. */
  readonly smoothed: number;
}

/**
 * Follows a sweep step by step: smooths each loss, keeps the points and says when to stop (the
 * stop rule). The driver calls {@link push} after every step until it returns a reason.
 */
export class RangeTestTracker {
  readonly points: RangeTestPoint[] = [];
  private readonly smoother: LossSmoother;
  private minimum = Number.POSITIVE_INFINITY;

  constructor(
    private readonly steps: number,
    private readonly settings: RangeTestSettings = RANGE_TEST,
  ) {
    this.smoother = new LossSmoother(settings.smoothing);
  }

  /** The rate of the next step. */
  get nextRate(): number {
    return rangeTestRate(this.points.length, this.steps, this.settings);
  }

  /** Records the loss of the step at {@link nextRate}; returns why to stop, or null to go on. */
  push(loss: number): RangeTestStop | null {
    const rate = this.nextRate;
    if (!Number.isFinite(loss)) return 'not-finite';
    const smoothed = this.smoother.push(loss);
    this.points.push({ rate, loss, smoothed });
    this.minimum = Math.min(this.minimum, smoothed);
    if (smoothed > this.settings.divergeFactor * this.minimum) return 'diverged';
    return this.points.length >= this.steps ? 'top-rate' : null;
  }
}

/** The suggested rate and where it came from. */
export interface RateSuggestion {
  /** The suggestion, rounded to two significant digits (what "Use this rate" writes). */
  readonly rate: number;
  /** The rate at which the smoothed loss was lowest. */
  readonly minimumRate: number;
  /** The lowest smoothed loss. */
  readonly minimumLoss: number;
  /** The smoothed loss at the suggested rate (the point nearest it), for the chart's marker. */
  readonly lossAtRate: number;
}

/** The suggestion rule in one sentence, shown beside the chart. */
export const SUGGESTION_RULE =
  'The suggestion is the rate at which the smoothed loss was lowest, divided by 10: there the loss is still falling fast, safely below the rates where it blows up.';

/**
 * The suggestion rule: the rate at the smoothed loss's minimum, divided by 10 (the "minimum / 10"
 * rule of fastai's first `lr_find`). Chosen over "steepest descent" because one noisy step can
 * make the steepest slope land anywhere, while the minimum of a smoothed curve is stable. Null
 * when the smoothed loss never fell `minimumDrop` below its first value (no rate helped).
 */
export function suggestRate(
  points: readonly RangeTestPoint[],
  settings: RangeTestSettings = RANGE_TEST,
): RateSuggestion | null {
  const first = points[0];
  if (first === undefined) return null;
  let lowest = first;
  for (const point of points) if (point.smoothed < lowest.smoothed) lowest = point;
  if (lowest.smoothed > first.smoothed * (1 - settings.minimumDrop)) return null;
  const rate = Number((lowest.rate / 10).toPrecision(2));
  let nearest = first;
  for (const point of points)
    if (Math.abs(Math.log(point.rate / rate)) < Math.abs(Math.log(nearest.rate / rate))) nearest = point;
  return { rate, minimumRate: lowest.rate, minimumLoss: lowest.smoothed, lossAtRate: nearest.smoothed };
}

/** What a range test hands the page (the answer to `find-learning-rate`). */
export interface RangeTestResult {
  /** Every step taken, in order (rates increasing). */
  readonly points: readonly RangeTestPoint[];
  readonly stop: RangeTestStop;
  /** Null when the loss never fell (see {@link suggestRate}). */
  readonly suggestion: RateSuggestion | null;
  /** Examples per step (the config's batch size, at most its training examples). */
  readonly batchSize: number;
  /** Which engine ran the steps, in words ("the fused kernel"). */
  readonly engine: string;
  /** Worker time for the whole test. */
  readonly ms: number;
}

/** Why the test ended, in a sentence for the page. */
export function describeStop(stop: RangeTestStop, settings: RangeTestSettings = RANGE_TEST): string {
  switch (stop) {
    case 'diverged':
      return `It stopped when the smoothed loss passed ${settings.divergeFactor}× its minimum.`;
    case 'not-finite':
      return 'It stopped when the loss became infinite or NaN.';
    case 'top-rate':
      return `It reached the top rate, ${settings.endRate}, without the loss blowing up.`;
    default:
      return stop satisfies never;
  }
}
