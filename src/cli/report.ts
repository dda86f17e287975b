import type { TrainingConfig } from '../core/config.ts';
import type { Divergence } from '../core/divergence.ts';
import type { KernelVariant } from '../core/engines.ts';
import type { ThreadChoice, ThreadRequest } from '../core/kernelThreads.ts';
import type { NormalizationStats } from '../core/normalization.ts';
import type { BestEpoch, Evaluation } from '../core/runReports.ts';

/**
 * What a CLI run records: per-epoch metrics, results and timings, printed as lines and written
 * as a JSON report. The formatting helpers are pure so they are unit-tested.
 */

export interface EpochRecord {
  readonly epoch: number;
  /** Mean training-mode loss/accuracy of the epoch's batches (as PyTorch notebooks report it). */
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly validationLoss: number | null;
  readonly validationAccuracy: number | null;
  readonly learningRate: number;
  /** Training time of the epoch, excluding validation and pauses. */
  readonly epochMs: number;
  readonly examplesPerSecond: number;
}

export interface RunSummary {
  readonly trainingExamples: number;
  readonly validationExamples: number;
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  readonly parameterCount: number;
  readonly normalization: NormalizationStats;
}

export interface Environment {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpus: number;
  readonly requestedBackend: string;
  readonly backend: string;
  readonly threads: number;
  readonly backendNote: string | null;
  /** `--engine` as given, and the engine the run used (null if it never started). */
  readonly requestedEngine: string;
  readonly engine: { readonly path: string; readonly reason: string } | null;
  /** The fused kernel build that ran (`relaxed`: SIMD with FMA); null when the fused kernel did not. */
  readonly kernel: KernelVariant | null;
  /** `--threads` as given, and the fused kernel's settled thread count (null: not fused, or never settled). */
  readonly requestedThreads: ThreadRequest;
  readonly kernelThreads: ThreadChoice | null;
}

export interface Results {
  readonly stopped: boolean;
  /** Set when the loss became NaN or ∞ or exploded (training stopped; results are of the last good weights). */
  readonly diverged?: Divergence | null;
  /** Test metrics of the epoch with the best validation accuracy (null without validation). */
  readonly best: BestEpoch | null;
  readonly finalTest: Evaluation;
}

export interface Timings {
  readonly dataLoadMs: number;
  readonly backendMs: number;
  /** Engine training time: batches only, excluding evaluation and pauses. */
  readonly trainMs: number;
  /** Whole command, from start to report. */
  readonly wallMs: number;
  /** Training examples per second over all epochs (examples seen / trainMs). */
  readonly examplesPerSecond: number;
}

export interface TrainReport {
  readonly reportVersion: 1;
  readonly createdAt: string;
  readonly configFile: string;
  readonly config: TrainingConfig;
  readonly environment: Environment;
  readonly run: RunSummary | null;
  readonly epochs: readonly EpochRecord[];
  readonly results: Results | null;
  readonly timings: Timings;
}

const percent = (x: number | null) => (x === null ? '  n/a ' : `${(100 * x).toFixed(2)}%`);
const loss = (x: number | null) => (x === null ? ' n/a  ' : x.toFixed(4));
const integer = (x: number) => Math.round(x).toLocaleString('en-US');

export function formatLearningRate(lr: number): string {
  return lr.toExponential(2);
}

export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const minutes = Math.floor(s / 60);
  return `${minutes} min ${Math.round(s - 60 * minutes)} s`;
}

/** One line per epoch: epoch, train loss/acc, val loss/acc, examples/s, learning rate. */
export function formatEpochLine(record: EpochRecord, epochs: number): string {
  const width = String(epochs).length;
  return [
    `epoch ${String(record.epoch).padStart(width)}/${epochs}`,
    `train loss ${loss(record.trainLoss)} acc ${percent(record.trainAccuracy)}`,
    `val loss ${loss(record.validationLoss)} acc ${percent(record.validationAccuracy)}`,
    `${integer(record.examplesPerSecond)} ex/s`,
    `lr ${formatLearningRate(record.learningRate)}`,
    formatDuration(record.epochMs),
  ].join('  ');
}

/** `[#######.............]  35%` for a fraction in [0, 1]. */
export function progressBar(fraction: number, width = 30): string {
  const f = Math.min(Math.max(fraction, 0), 1);
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(100 * f)).padStart(3)}%`;
}

/** The closing lines: test accuracy of the best and the final weights, then times. */
export function formatResults(results: Results, timings: Timings, env: Environment): string[] {
  const lines: string[] = [];
  if (results.stopped) lines.push('Stopped early (Ctrl-C); results are for the weights reached so far.');
  if (results.diverged) lines.push(results.diverged.message);
  if (results.best === null) {
    lines.push('test accuracy, best weights: n/a (no validation split)');
  } else {
    const b = results.best;
    lines.push(
      `test accuracy, best weights:  ${percent(b.test.accuracy)} (loss ${loss(b.test.loss)}; epoch ${b.epoch}, val acc ${percent(b.validationAccuracy)})`,
    );
  }
  lines.push(
    `test accuracy, final weights: ${percent(results.finalTest.accuracy)} (loss ${loss(results.finalTest.loss)})`,
  );
  const threads = env.threads === 1 ? '1 thread' : `${env.threads} threads`;
  lines.push(
    `wall time ${formatDuration(timings.wallMs)} (training ${formatDuration(timings.trainMs)}, ${integer(timings.examplesPerSecond)} ex/s), backend ${env.backend} (${threads}), engine ${env.engine?.path ?? 'n/a'}`,
  );
  const kernelLine = formatKernelThreads(env);
  if (kernelLine !== null) lines.push(kernelLine);
  return lines;
}

/** `kernel relaxed, 2 threads: measured fastest (1: 70,000 ex/s, 2: 120,000 ex/s)`; null when not fused. */
export function formatKernelThreads(env: Pick<Environment, 'kernel' | 'kernelThreads'>): string | null {
  if (env.kernel === null) return null;
  const choice = env.kernelThreads;
  if (choice === null) return `kernel ${env.kernel}, thread count not settled`;
  const rates = choice.measured.map((m) => `${m.threads}: ${integer(m.examplesPerSecond)} ex/s`).join(', ');
  const count = choice.threads === 1 ? '1 thread' : `${choice.threads} threads`;
  return `kernel ${env.kernel}, ${count}: ${choice.reason}${rates === '' ? '' : ` (${rates})`}`;
}
