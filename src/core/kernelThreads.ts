/**
 * How many threads the fused kernel trains with, and how that number is found: by measuring.
 * Pure: the engine feeds it the wall time of each step and asks how many threads the next step
 * may use; the choice and the rates it measured go to the page (Details) in the batch reports.
 *
 * The kernel gives bit-identical results for any thread count (every output element is computed
 * by one thread in one fixed order), so the trial steps are ordinary training steps: measuring
 * costs nothing but the slower candidates' time.
 */

/** What the user asked for: `auto` (measure 1 … max) or a fixed count (`?threads=`). */
export type ThreadRequest = 'auto' | number;

/** The most threads a forced count may ask for (the pool is sized to the machine anyway). */
export const MAX_THREAD_REQUEST = 64;

/** `?threads=` text → a request; null when it is not `auto` or a whole number 1…64. */
export function parseThreadRequest(text: string): ThreadRequest | null {
  if (text === 'auto') return 'auto';
  if (!/^\d+$/.test(text)) return null;
  const count = Number(text);
  return count >= 1 && count <= MAX_THREAD_REQUEST ? count : null;
}

/** One candidate's measured rate. */
export interface ThreadMeasurement {
  readonly threads: number;
  /** Best (highest) training rate over its trial blocks, examples per second of step wall time. */
  readonly examplesPerSecond: number;
}

/** The settled choice, as reported to the page. */
export interface ThreadChoice {
  readonly threads: number;
  /** Every candidate measured, in thread order (empty when the count was forced or only 1 could run). */
  readonly measured: readonly ThreadMeasurement[];
  /** In words: why this many (`measured fastest`, `forced by ?threads=2`, `page not cross-origin isolated`). */
  readonly reason: string;
}

/**
 * `[start, end)` of thread `thread`'s share of `total` items split into blocks of `unit` (the
 * last block may be short): blocks are dealt out as evenly as possible, earlier threads taking
 * the extra ones. Empty (`start === end`) when there are fewer blocks than threads.
 */
export function threadShare(total: number, unit: number, thread: number, threads: number): [number, number] {
  const blocks = Math.ceil(total / unit);
  const base = Math.floor(blocks / threads);
  const extra = blocks % threads;
  const first = thread * base + Math.min(thread, extra);
  const count = base + (thread < extra ? 1 : 0);
  return [Math.min(total, first * unit), Math.min(total, (first + count) * unit)];
}

/** Each trial block lasts at least this long (and {@link MIN_TRIAL_STEPS} steps). */
const TRIAL_MS = 15;
const MIN_TRIAL_STEPS = 3;
/** Rounds over the candidates (1, 2, …, 1, 2, …): the best block of each counts (warm-up, noise). */
const TRIAL_ROUNDS = 2;
/**
 * Training time between re-measurements: the machine's load changes during a run (the page, the
 * analysis worker, other programs), and a re-measurement costs only the slower candidates' few
 * trial steps, since every thread count gives the same result.
 */
const REMEASURE_EVERY_MS = 5000;
/** A candidate must beat the fewer-thread choice by this factor to be taken (ties favour fewer threads). */
const MIN_GAIN = 1.03;

interface TrialBlock {
  readonly threads: number;
  examples: number;
  ms: number;
  steps: number;
}

/**
 * Decides the thread count of each step: trial blocks of each candidate in rounds, then the
 * fastest, measured again (one round) after every {@link REMEASURE_EVERY_MS} of training.
 * `available` is how many threads can run now (helpers that have not started yet are not
 * candidates; the tuner waits for them for a while, training on the threads it has).
 */
export class ThreadTuner {
  private blocks: TrialBlock[] = [];
  private settled: ThreadChoice | null = null;
  private waitedMs = 0;
  /** Trial blocks are running (the first measurement, or a re-measurement). */
  private measuring = false;
  /** Training time since the last measurement settled; null when the count is fixed. */
  private sinceMeasuredMs: number | null = null;

  /**
   * @param max threads the pool has (1 = no pool).
   * @param request `auto`, or a forced count (clamped to `max`, with the reason saying so).
   * @param limitReason why `max` is what it is, when it is 1 (e.g. not cross-origin isolated).
   * @param helperWaitMs how long to wait for helpers to start before settling without them.
   * @param requestName how the count is forced here (`?threads=` on the page, `--threads ` in the CLI).
   */
  constructor(
    max: number,
    request: ThreadRequest,
    limitReason: string,
    private readonly helperWaitMs = 3000,
    requestName = '?threads=',
  ) {
    if (max <= 1) {
      this.settled = { threads: 1, measured: [], reason: limitReason };
    } else if (request !== 'auto') {
      const threads = Math.min(request, max);
      const reason =
        threads === request
          ? `forced by ${requestName}${request}`
          : `${requestName}${request} asked for more than the ${max} this machine has`;
      this.settled = { threads, measured: [], reason };
    } else {
      this.startMeasuring(max, TRIAL_ROUNDS);
    }
  }

  private startMeasuring(max: number, rounds: number): void {
    this.blocks = [];
    for (let round = 0; round < rounds; round++) {
      for (let threads = 1; threads <= max; threads++)
        this.blocks.push({ threads, examples: 0, ms: 0, steps: 0 });
    }
    this.measuring = true;
  }

  /** The choice once made; null while measuring. */
  get choice(): ThreadChoice | null {
    return this.settled;
  }

  /** Threads for the next step, given how many can run now (1 + helpers ready). */
  threadsFor(available: number): number {
    if (!this.measuring) return Math.min(this.settled?.threads ?? 1, Math.max(1, available));
    const block = this.blocks.find((b) => b.steps < MIN_TRIAL_STEPS || b.ms < TRIAL_MS);
    if (block === undefined) return 1;
    return block.threads <= available ? block.threads : 1;
  }

  /** Records a step of `examples` that ran on `threads` threads in `ms` of wall time. */
  record(threads: number, examples: number, ms: number): void {
    if (!this.measuring) {
      if (this.sinceMeasuredMs === null) return;
      this.sinceMeasuredMs += ms;
      const max = Math.max(...(this.settled?.measured.map((m) => m.threads) ?? [1]));
      if (this.sinceMeasuredMs >= REMEASURE_EVERY_MS && max > 1) this.startMeasuring(max, 1);
      return;
    }
    const block = this.blocks.find((b) => b.steps < MIN_TRIAL_STEPS || b.ms < TRIAL_MS);
    if (block === undefined) return;
    if (block.threads !== threads) {
      // The block's threads were not available: count the wait, settle without them in the end.
      this.waitedMs += ms;
      if (this.waitedMs >= this.helperWaitMs) {
        this.settle(`the kernel's helper threads did not start`);
        this.sinceMeasuredMs = null;
      }
      return;
    }
    block.examples += examples;
    block.ms += ms;
    block.steps += 1;
    if (this.blocks.every((b) => b.steps >= MIN_TRIAL_STEPS && b.ms >= TRIAL_MS)) this.settle(null);
  }

  private settle(failure: string | null): void {
    const best = new Map<number, number>();
    for (const block of this.blocks) {
      if (block.steps === 0 || block.ms <= 0) continue;
      const rate = (block.examples / block.ms) * 1000;
      best.set(block.threads, Math.max(best.get(block.threads) ?? 0, rate));
    }
    const measured = [...best.entries()]
      .sort(([a], [b]) => a - b)
      .map(([threads, examplesPerSecond]) => ({ threads, examplesPerSecond }));
    let pick = measured[0] ?? { threads: 1, examplesPerSecond: 0 };
    for (const candidate of measured) {
      if (candidate.examplesPerSecond > pick.examplesPerSecond * MIN_GAIN) pick = candidate;
    }
    const reason = failure ?? (measured.length > 1 ? 'measured fastest' : 'only one thread measured');
    this.settled = { threads: pick.threads, measured, reason };
    this.measuring = false;
    this.sinceMeasuredMs = 0;
  }
}
