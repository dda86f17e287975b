import type { EpochTiming } from '../src/bench/benchApi.ts';
import type { WorkloadId } from '../src/bench/workloads.ts';
import { gpuReport } from './benchGpuReport.ts';
import { layerHealthFigure } from './benchLayerHealth.ts';
import {
  bestTorch,
  isSkipped,
  markdownReport,
  median,
  tableHead,
  type BenchResults,
  type BenchRow,
  type Outcome,
  type Timeline,
} from './benchReport.ts';

/**
 * The headline figures of `npm run bench` against the goals of issue 15 ("Use the whole machine"),
 * computed from one run's results: ratios to PyTorch at its best thread count, batch norm's cost,
 * the end-to-end rate, the time to 98% and how much of each epoch is spent outside training.
 * Pure, so the arithmetic is unit-tested.
 */

/** How one epoch's wall time splits, from the arrival times of its reports (see {@link EpochTiming}). */
export interface EpochSplit {
  /** Page time from the previous epoch's report (run-started for epoch 1) to this one's, ms. */
  readonly wallMs: number;
  /** The worker's training time of the epoch, ms. */
  readonly trainingMs: number;
  /** `wallMs − trainingMs`: validation, the previous epoch's analysis if it ran on this thread, messages. */
  readonly outsideMs: number;
  /**
   * The part of `outsideMs` the previous epoch's analysis can account for: the lag from that
   * epoch's report to its analysis, capped at `outsideMs` (an upper bound on the analysis's stall
   * of training; 0 for epoch 1 or without analysis).
   */
  readonly analysisMs: number;
}

/** Splits every epoch of a run; epoch k's wall time holds epoch k − 1's analysis. */
export function splitEpochs(epochs: readonly EpochTiming[]): EpochSplit[] {
  return epochs.map((epoch, i) => {
    const previous = i === 0 ? null : (epochs[i - 1] ?? null);
    const wallMs = epoch.epochAtMs - (previous?.epochAtMs ?? 0);
    const outsideMs = Math.max(0, wallMs - epoch.epochMs);
    const lag = previous?.analysisAtMs == null ? 0 : previous.analysisAtMs - previous.epochAtMs;
    return {
      wallMs,
      trainingMs: epoch.epochMs,
      outsideMs,
      analysisMs: Math.min(outsideMs, Math.max(0, lag)),
    };
  });
}

/** Median shares over runs; epochs 2… for the wall-time shares (epoch 1 follows no analysis). */
export interface TimelineShares {
  /** Of the epoch's wall time: validation, analysis and messages, everything that is not training. */
  readonly outsideShare: number;
  /** Of the epoch's wall time: the analysis's upper-bound stall from arrival times ({@link EpochSplit.analysisMs}). */
  readonly analysisBoundShare: number;
  /** The worker's own analysis hand-over time over its training time (`endOfEpoch`); null when not reported. */
  readonly analysisShare: number | null;
  /** The worker's own validation time over its training time; null when not reported. */
  readonly validationShare: number | null;
  readonly epochWallMs: number;
  /** Median lag from an epoch's report to its analysis reaching the page; NaN without analyses. */
  readonly analysisLagMs: number;
}

/** Σ part / Σ epochMs over every epoch, or null when some epoch did not report the part. */
function reportedShare(
  epochs: readonly EpochTiming[],
  part: (e: EpochTiming) => number | null,
): number | null {
  const parts = epochs.map(part);
  const training = epochs.reduce((sum, e) => sum + e.epochMs, 0);
  if (parts.length === 0 || parts.some((p) => p === null) || training <= 0) return null;
  return parts.reduce<number>((sum, p) => sum + (p ?? 0), 0) / training;
}

const medianOrNull = (values: readonly (number | null)[]) =>
  values.some((v) => v === null) ? null : median(values as number[]);

export function timelineShares(runs: readonly (readonly EpochTiming[])[]): TimelineShares | null {
  const perRun = runs
    .map((epochs) => {
      const splits = splitEpochs(epochs);
      const later = splits.length > 1 ? splits.slice(1) : splits;
      const wall = later.reduce((sum, s) => sum + s.wallMs, 0);
      const lags = epochs.flatMap((e) => (e.analysisAtMs === null ? [] : [e.analysisAtMs - e.epochAtMs]));
      if (wall <= 0) return null;
      return {
        outsideShare: later.reduce((sum, s) => sum + s.outsideMs, 0) / wall,
        analysisBoundShare: later.reduce((sum, s) => sum + s.analysisMs, 0) / wall,
        analysisShare: reportedShare(epochs, (e) => e.analysisMs),
        validationShare: reportedShare(epochs, (e) => e.validationMs),
        epochWallMs: wall / later.length,
        analysisLagMs: lags.length === 0 ? Number.NaN : median(lags),
      };
    })
    .filter((run) => run !== null);
  if (perRun.length === 0) return null;
  return {
    outsideShare: median(perRun.map((r) => r.outsideShare)),
    analysisBoundShare: median(perRun.map((r) => r.analysisBoundShare)),
    analysisShare: medianOrNull(perRun.map((r) => r.analysisShare)),
    validationShare: medianOrNull(perRun.map((r) => r.validationShare)),
    epochWallMs: median(perRun.map((r) => r.epochWallMs)),
    analysisLagMs: median(perRun.map((r) => r.analysisLagMs)),
  };
}

/** Our fastest measured row of a workload (any backend and engine); null when none ran. */
export function fastestRow(rows: readonly BenchRow[], id: WorkloadId): BenchRow | null {
  let best: BenchRow | null = null;
  for (const row of rows) {
    if (row.workload !== id) continue;
    if (best === null || row.medianExamplesPerSecond > best.medianExamplesPerSecond) best = row;
  }
  return best;
}

/** "wasm · fused, 2 kernel threads". */
function rowEngine(row: BenchRow): string {
  const threads =
    row.kernelThreads === null
      ? ''
      : `, ${row.kernelThreads.threads} kernel thread${row.kernelThreads.threads === 1 ? '' : 's'}`;
  return `${row.backend} · ${row.enginePath ?? '?'}${threads}`;
}

/** One line of the figures table. `measured` null: not measured in this run (with why). */
export interface Figure {
  readonly name: string;
  readonly measured: string | null;
  readonly detail: string;
  readonly goal: string;
  readonly met: boolean | null;
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const times = (value: number) => `${value.toFixed(2)}×`;
const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

function ratioFigure(
  name: string,
  ours: number | null,
  reference: number | null,
  goal: number,
  detail: string,
): Figure {
  if (ours === null || reference === null)
    return { name, measured: null, detail, goal: `≥ ${goal}×`, met: null };
  const value = ours / reference;
  return { name, measured: times(value), detail, goal: `≥ ${goal}×`, met: value >= goal };
}

function outcomeReason<T extends object>(outcome: Outcome<T>): string {
  return isSkipped(outcome) ? `skipped: ${outcome.skipped}` : '';
}

/** The figures issue 15 asks for, each with its goal. */
export function figures(results: BenchResults): Figure[] {
  const list: Figure[] = [];
  const w1Torch = bestTorch(results.torch, 'W1');
  const torchName = (threads: number | undefined) =>
    `PyTorch (${threads ?? '?'} thread${threads === 1 ? '' : 's'})`;
  const e2e = results.endToEnd;
  list.push(
    ratioFigure(
      'W1 end to end (Train click → test result, 5 epochs, every view) / PyTorch W1 training only',
      isSkipped(e2e) ? null : e2e.medianExamplesPerSecond,
      w1Torch?.examplesPerSecond ?? null,
      1.2,
      isSkipped(e2e)
        ? outcomeReason(e2e)
        : `${count(e2e.medianExamplesPerSecond)} ex/s (kernel threads: ${e2e.threads}) vs ${torchName(w1Torch?.threads)} ${w1Torch === null ? '–' : count(w1Torch.examplesPerSecond)}`,
    ),
  );
  for (const [id, goal] of [
    ['W1', 1.3],
    ['W2', 1.3],
    ['W3', 3],
  ] as const) {
    const row = fastestRow(results.rows, id);
    const torch = bestTorch(results.torch, id);
    list.push(
      ratioFigure(
        `${id} in the worker / PyTorch`,
        row?.medianExamplesPerSecond ?? null,
        torch?.examplesPerSecond ?? null,
        goal,
        row === null
          ? 'not run'
          : `${count(row.medianExamplesPerSecond)} ex/s (${rowEngine(row)}) vs ${torchName(torch?.threads)} ${torch === null ? '–' : count(torch.examplesPerSecond)}`,
      ),
    );
  }
  const w1 = fastestRow(results.rows, 'W1');
  const bn = fastestRow(results.rows, 'W1BN');
  list.push(
    ratioFigure(
      'W1 with batch norm on both hidden layers / W1 without',
      bn?.medianExamplesPerSecond ?? null,
      w1?.medianExamplesPerSecond ?? null,
      0.7,
      bn === null || w1 === null
        ? 'not run'
        : `${count(bn.medianExamplesPerSecond)} ex/s (${rowEngine(bn)}) vs ${count(w1.medianExamplesPerSecond)} (${rowEngine(w1)})`,
    ),
  );
  const t98 = results.timeTo98;
  list.push(
    isSkipped(t98)
      ? {
          name: 'Time to ≥ 98% test accuracy',
          measured: null,
          detail: outcomeReason(t98),
          goal: '≤ 12 s',
          met: null,
        }
      : {
          name: 'Time to ≥ 98% test accuracy',
          measured: `${t98.wallSeconds.toFixed(1)} s`,
          detail: `\`${t98.preset}\`, ${t98.testAccuracy.toFixed(2)}% test accuracy`,
          goal: '≤ 12 s',
          met: t98.reached98 && t98.wallSeconds <= 12,
        },
  );
  list.push(timelineFigure(results.timeline));
  list.push(layerHealthFigure(results.layerHealthCost));
  return list;
}

const ANALYSIS_FIGURE = 'Analysis per epoch in the training timeline';

/**
 * The analysis's share of the epoch: the worker's own hand-over time over its training time when
 * it reports one (`endOfEpoch`), else an upper bound from the arrival times of the reports.
 */
function timelineFigure(timeline: Outcome<Timeline>): Figure {
  const shares = isSkipped(timeline) ? null : timelineShares(timeline.runs);
  if (shares === null) {
    const detail = isSkipped(timeline) ? outcomeReason(timeline) : 'no epochs reported';
    return { name: ANALYSIS_FIGURE, measured: null, detail, goal: '≤ 10%', met: null };
  }
  const lag = Number.isNaN(shares.analysisLagMs) ? '–' : count(shares.analysisLagMs);
  const context =
    `of ${count(shares.epochWallMs)} ms per epoch on the page's clock, ${percent(shares.outsideShare)} is not ` +
    `training (validation, analysis hand-over, messages); an epoch's analysis reaches the page ${lag} ms after its epoch report`;
  if (shares.analysisShare === null) {
    return {
      name: ANALYSIS_FIGURE,
      measured: `≤ ${percent(shares.analysisBoundShare)}`,
      detail: `W1, 5 epochs, validation and analysis on (upper bound from arrival times): ${context}`,
      goal: '≤ 10%',
      met: shares.analysisBoundShare <= 0.1,
    };
  }
  const validation = shares.validationShare === null ? '–' : percent(shares.validationShare);
  return {
    name: ANALYSIS_FIGURE,
    measured: percent(shares.analysisShare),
    detail: `W1, 5 epochs, validation and analysis on; the training thread's own time against its training time (validation ${validation}); ${context}`,
    goal: '≤ 10%',
    met: shares.analysisShare <= 0.1,
  };
}

/** The figures as a markdown table. */
export function figuresTable(results: BenchResults): string {
  const lines = tableHead(
    results,
    ['Figure (issue 15)', 'Measured', 'Goal', 'Met', 'How'],
    ['---', '---:', '---:', ':---:', '---'],
  );
  for (const figure of figures(results)) {
    const met = figure.met === null ? '–' : figure.met ? 'yes' : 'no';
    lines.push(`| ${figure.name} | ${figure.measured ?? '–'} | ${figure.goal} | ${met} | ${figure.detail} |`);
  }
  return lines.join('\n');
}

/**
 * Everything `npm run bench` prints and writes into the README: the figures, the GPU figures and
 * step probe, then every row.
 */
export function fullReport(results: BenchResults): string {
  return `${figuresTable(results)}\n\n${gpuReport(results, results.rows, results.gpu)}\n\n${markdownReport(results)}`;
}
