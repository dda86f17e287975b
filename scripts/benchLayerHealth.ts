import type { BenchRunResult, BenchRunSpec } from '../src/bench/benchApi.ts';
import { END_TO_END_EPOCHS, endToEndConfig, workloadConfig } from '../src/bench/workloads.ts';
import { isSkipped, median, type Outcome } from './benchReport.ts';

/**
 * Issue 18's bench figure: how much measuring layer health (the Layers view) slows training
 * down. W1 for {@link END_TO_END_EPOCHS} epochs with validation and the per-epoch analysis on,
 * as the app trains, run with layer health on and off in interleaved pairs (the order alternating
 * pair by pair, so a drift in the machine's load falls on both halves alike); per run the page's
 * time from the start request to the test result, per epoch. Layer health runs in the analysis
 * worker, so its cost to training is the CPU it takes from the training threads. Each run waits
 * for its last analysis before the next starts: back to back, a run's leftover analysis (longer
 * with layer health) slowed the *next* run by ~20% on 2 cores, which made the run after an "on"
 * run slow whatever its own setting, and the halves' medians meaningless.
 */

/** Every run of one half, in the order run. */
export interface LayerHealthHalf {
  /** Per run: ms from the start request to the test result on the page, over the epochs trained. */
  readonly msPerEpoch: readonly number[];
  /**
   * Per run: how many epochs' analyses reached the page before the test result (the analysis
   * skips epochs it falls behind on, and the last one may come after the result).
   */
  readonly analysed: readonly number[];
}

export interface LayerHealthCost {
  readonly epochs: number;
  readonly on: LayerHealthHalf;
  readonly off: LayerHealthHalf;
}

/** The slow-down goal: layer health may cost training at most this share of its time. */
export const LAYER_HEALTH_GOAL = 0.05;

/** What the figure says, from the medians of each half. */
export interface LayerHealthSlowdown {
  readonly medianOnMs: number;
  readonly medianOffMs: number;
  /** `medianOnMs / medianOffMs − 1`: 0.03 is 3% slower with layer health. */
  readonly slowdown: number;
  /** The lowest and highest of the pairs' own slow-downs (pair k: on run k against off run k), the noise. */
  readonly pairRange: readonly [number, number];
}

/** The slow-down from each half's median; null when a half has no runs. */
export function layerHealthSlowdown(cost: LayerHealthCost): LayerHealthSlowdown | null {
  const { on, off } = cost;
  if (on.msPerEpoch.length === 0 || off.msPerEpoch.length === 0) return null;
  const medianOnMs = median(on.msPerEpoch);
  const medianOffMs = median(off.msPerEpoch);
  const pairs = on.msPerEpoch.flatMap((ms, i) => {
    const other = off.msPerEpoch[i];
    return other === undefined ? [] : [ms / other - 1];
  });
  return {
    medianOnMs,
    medianOffMs,
    slowdown: medianOnMs / medianOffMs - 1,
    pairRange: [Math.min(...pairs), Math.max(...pairs)],
  };
}

const signedPercent = (value: number) => `${value >= 0 ? '+' : '−'}${(100 * Math.abs(value)).toFixed(1)}%`;

/** The figure's table row (see `benchFigures.ts`), with the goal met or not. */
export function layerHealthFigure(outcome: Outcome<LayerHealthCost>): {
  readonly name: string;
  readonly measured: string | null;
  readonly detail: string;
  readonly goal: string;
  readonly met: boolean | null;
} {
  const name = 'Training slow-down from layer health (issue 18)';
  const goal = `≤ ${(100 * LAYER_HEALTH_GOAL).toFixed(0)}%`;
  const result = isSkipped(outcome) ? null : layerHealthSlowdown(outcome);
  if (isSkipped(outcome) || result === null) {
    const detail = isSkipped(outcome) ? `skipped: ${outcome.skipped}` : 'no runs';
    return { name, measured: null, detail, goal, met: null };
  }
  const { on, off } = outcome;
  const [low, high] = result.pairRange;
  const analysed = (half: LayerHealthHalf) => median(half.analysed).toFixed(0);
  return {
    name,
    measured: signedPercent(result.slowdown),
    detail:
      `W1, ${outcome.epochs} epochs, validation and analysis on, start request → test result on the page: ` +
      `median ${Math.round(result.medianOnMs)} ms per epoch with layer health vs ${Math.round(result.medianOffMs)} without ` +
      `(${on.msPerEpoch.length} interleaved runs each; pairs ranged ${signedPercent(low)} to ${signedPercent(high)}; ` +
      `${analysed(on)} and ${analysed(off)} of ${outcome.epochs} epochs analysed before the result)`,
    goal,
    met: result.slowdown <= LAYER_HEALTH_GOAL,
  };
}

/** Layer health on in runs 0, 3, 4, 7, 8, …: on-off, off-on, on-off, … pair by pair. */
export function layerHealthOnInRun(run: number): boolean {
  const pair = Math.floor(run / 2);
  return (run % 2 === 0) === (pair % 2 === 0);
}

/** The bench page's calls the figure needs (see `scripts/bench.ts`). */
export interface BenchPageRuns {
  run(spec: BenchRunSpec): Promise<BenchRunResult>;
  /** A fresh training worker (and analysis worker). */
  reset(): Promise<void>;
}

/**
 * Runs `pairs` interleaved pairs on a fresh worker after one warm-up each way; a failed run skips
 * the figure with its message.
 */
export async function measureLayerHealthCost(
  page: BenchPageRuns,
  pairs: number,
  log: (message: string) => void,
): Promise<Outcome<LayerHealthCost>> {
  await page.reset();
  try {
    return await interleavedRuns(page.run, pairs, log);
  } finally {
    await page.reset();
  }
}

async function interleavedRuns(
  run: BenchPageRuns['run'],
  pairs: number,
  log: (message: string) => void,
): Promise<Outcome<LayerHealthCost>> {
  const spec = (layerHealth: boolean): BenchRunSpec => ({
    backend: 'wasm',
    engine: 'auto',
    config: endToEndConfig(),
    capMs: 10 * 60_000,
    analysis: true,
    layerHealth,
    settleAnalysis: true,
  });
  for (const layerHealth of [true, false]) {
    const warm = await run({ ...spec(layerHealth), config: workloadConfig('W1', 2560) });
    if (!warm.ok) return { skipped: warm.error };
  }
  const on = { msPerEpoch: [] as number[], analysed: [] as number[] };
  const off = { msPerEpoch: [] as number[], analysed: [] as number[] };
  for (let i = 0; i < 2 * pairs; i++) {
    const layerHealth = layerHealthOnInRun(i);
    const result = await run(spec(layerHealth));
    if (!result.ok) return { skipped: result.error };
    const epochs = Math.max(1, result.epochs.length);
    const half = layerHealth ? on : off;
    half.msPerEpoch.push(result.resultMs / epochs);
    half.analysed.push(result.epochs.filter((e) => e.analysisAtMs !== null).length);
    log(
      `Layer health ${layerHealth ? 'on ' : 'off'} run ${Math.floor(i / 2) + 1}/${pairs}: ` +
        `${Math.round(result.resultMs / epochs)} ms per epoch (${(result.resultMs / 1000).toFixed(1)} s to the test result)`,
    );
  }
  return { epochs: END_TO_END_EPOCHS, on, off };
}
