import type { BackendName } from '../src/core/backends.ts';
import type { EngineChoice, EnginePath } from '../src/core/engines.ts';
import { WORKLOADS, msPerEpoch, type WorkloadId } from '../src/bench/workloads.ts';

/**
 * The results of `npm run bench` as one JSON value (bench/results/latest.json) and their
 * markdown rendering (the console and the README section between the bench markers). Pure.
 */

/** Measured rows of one backend × engine × workload: the median of `examplesPerSecond`. */
export interface BenchRow {
  readonly workload: WorkloadId;
  readonly backend: BackendName;
  /** The engine asked for. */
  readonly engine: EngineChoice;
  /** The engine the worker reports it ran, and why; null if it reports none. */
  readonly enginePath: EnginePath | null;
  readonly engineReason: string | null;
  readonly threads: number;
  /** examples/s of every measured run, in order. */
  readonly examplesPerSecond: readonly number[];
  /** Per run: the page's clock from run-started to evaluating, and the worker's own trainMs. */
  readonly wallMs: readonly number[];
  readonly trainMs: readonly number[];
  readonly medianExamplesPerSecond: number;
  /** A full 60,000-example epoch at the median rate. */
  readonly msPerEpoch: number;
  /** Largest `tensorsAlive` over the runs (0 = no leak); null if the worker does not report it. */
  readonly tensorsAlive: number | null;
  /** Some run hit its time cap, so its rate is over the steps it finished. */
  readonly capped: boolean;
  readonly testAccuracy: number;
  /** Ours / PyTorch CPU in examples/s; null without the reference. */
  readonly ratioToTorch: number | null;
}

/** A backend × engine × workload that did not run, and why. */
export interface SkippedRow {
  readonly workload: WorkloadId | null;
  readonly backend: BackendName;
  readonly engine: EngineChoice | null;
  readonly reason: string;
}

export interface FitRow {
  readonly workload: WorkloadId;
  readonly backend: string;
  readonly threads: number;
  readonly examplesPerSecond: readonly number[];
  readonly medianExamplesPerSecond: number;
  readonly msPerEpoch: number;
  readonly tensorsAlive: number;
  readonly ratioToTorch: number | null;
}

export interface TorchResult {
  readonly torch: string;
  readonly threads: number;
  readonly workloads: Partial<
    Record<WorkloadId, { examplesPerSecond: number; msPerEpoch: number; runs: number[] }>
  >;
}

export interface TimeTo98 {
  readonly preset: string;
  /** Seconds from the Train click to the test accuracy on the page. */
  readonly wallSeconds: number;
  /** Final-weights test accuracy in percent, as the page shows it. */
  readonly testAccuracy: number;
  readonly reached98: boolean;
  readonly backend: string;
}

export type Outcome<T> = T | { readonly skipped: string };

export interface BenchResults {
  readonly date: string;
  readonly commit: string;
  readonly chromium: string;
  readonly node: string;
  readonly cpus: number;
  readonly runs: number;
  readonly rows: readonly BenchRow[];
  readonly skipped: readonly SkippedRow[];
  readonly fit: Outcome<{ readonly rows: readonly FitRow[] }>;
  readonly torch: Outcome<TorchResult>;
  readonly dataLoad: Outcome<{ readonly coldMs: number; readonly warmMs: number }>;
  readonly timeTo98: Outcome<TimeTo98>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function isSkipped<T extends object>(outcome: Outcome<T>): outcome is { readonly skipped: string } {
  return 'skipped' in outcome;
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
function ratio(value: number | null): string {
  if (value === null) return '–';
  return value < 0.01 ? '< 0.01×' : `${value.toFixed(2)}×`;
}

function engineLabel(row: BenchRow): string {
  const threads = row.backend === 'wasm' ? ` (${row.threads} thread${row.threads === 1 ? '' : 's'})` : '';
  const ran = row.enginePath ?? '?';
  const engine = row.engine === 'auto' || row.engine === ran ? ran : `${row.engine} → ran ${ran}`;
  return `${row.backend} · ${engine}${threads}`;
}

/** The markdown table: one block of rows per workload, PyTorch last. */
export function markdownTable(results: BenchResults): string {
  const lines = [
    '| Workload | Backend · engine | Examples/s | ms / epoch | Tensors alive | Ours / PyTorch |',
    '|---|---|---:|---:|---:|---:|',
  ];
  const workloads = new Set<WorkloadId>(results.rows.map((row) => row.workload));
  const torch = isSkipped(results.torch) ? null : results.torch;
  const fitRows = isSkipped(results.fit) ? [] : results.fit.rows;
  for (const row of fitRows) workloads.add(row.workload);
  for (const id of [...workloads].sort()) {
    const name = `**${id}** ${WORKLOADS[id].label}`;
    let first = true;
    const cell = () => {
      const text = first ? name : '';
      first = false;
      return text;
    };
    for (const row of results.rows.filter((r) => r.workload === id)) {
      const capped = row.capped ? ' (capped)' : '';
      const tensors = row.tensorsAlive === null ? '–' : String(row.tensorsAlive);
      lines.push(
        `| ${cell()} | ${engineLabel(row)} | ${count(row.medianExamplesPerSecond)}${capped} | ${count(row.msPerEpoch)} | ${tensors} | ${ratio(row.ratioToTorch)} |`,
      );
    }
    for (const row of fitRows.filter((r) => r.workload === id)) {
      lines.push(
        `| ${cell()} | TF.js Layers \`model.fit\` (${row.backend}, ${row.threads} thread${row.threads === 1 ? '' : 's'}) | ${count(row.medianExamplesPerSecond)} | ${count(row.msPerEpoch)} | ${row.tensorsAlive} | ${ratio(row.ratioToTorch)} |`,
      );
    }
    const reference = torch?.workloads[id];
    if (torch !== null && reference !== undefined) {
      lines.push(
        `| ${cell()} | PyTorch ${torch.torch} CPU (${torch.threads} thread${torch.threads === 1 ? '' : 's'}) | ${count(reference.examplesPerSecond)} | ${count(reference.msPerEpoch)} | – | 1.00× |`,
      );
    }
  }
  return lines.join('\n');
}

/** The table plus the one-line results: time to 98%, MNIST load, what was skipped, environment. */
export function markdownReport(results: BenchResults): string {
  const notes: string[] = [];
  const t98 = results.timeTo98;
  notes.push(
    isSkipped(t98)
      ? `- Time to 98%: skipped (${t98.skipped})`
      : `- Time to 98% (\`${t98.preset}\`, ${t98.backend}): **${t98.wallSeconds.toFixed(1)} s** from Train to the test result, ${t98.testAccuracy.toFixed(2)}% test accuracy${t98.reached98 ? '' : ' — **below 98%**'}`,
  );
  const load = results.dataLoad;
  notes.push(
    isSkipped(load)
      ? `- MNIST ready in the worker: skipped (${load.skipped})`
      : `- MNIST ready in the worker: ${count(load.warmMs)} ms on a warm HTTP cache (${count(load.coldMs)} ms on the first load of the session)`,
  );
  if (isSkipped(results.torch)) notes.push(`- PyTorch reference skipped: ${results.torch.skipped}`);
  if (isSkipped(results.fit)) notes.push(`- \`model.fit\` baseline skipped: ${results.fit.skipped}`);
  for (const skip of results.skipped) {
    const what = [skip.backend, skip.engine, skip.workload].filter((part) => part !== null).join(' · ');
    notes.push(`- ${what}: skipped, ${skip.reason}`);
  }
  if (results.rows.some((row) => row.capped)) {
    notes.push(
      '- (capped): the run hit its time cap and was stopped; its rate is over the steps it finished.',
    );
  }
  notes.push(
    `- Median of up to ${results.runs} runs after a warm-up. Examples/s is over the training time as the page sees it ` +
      "(from the worker's run-started to its evaluating event, or the worker's own trainMs if longer); " +
      'ms / epoch is a 60,000-example epoch at that rate; tensors alive is `tf.memory().numTensors` after the run. ' +
      `Chromium ${results.chromium}, Node ${results.node}, ${results.cpus} CPUs, commit ${results.commit}, ${results.date}.`,
  );
  return `${markdownTable(results)}\n\n${notes.join('\n')}`;
}

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

/** `readme` with the text between the bench markers replaced by `content`. */
export function replaceBenchSection(readme: string, content: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${README_START} … ${README_END} section to update`);
  }
  return `${readme.slice(0, start + README_START.length)}\n${content}\n${readme.slice(end)}`;
}

/** Rate and ms / epoch of a set of runs, and the ratio to the PyTorch rate when there is one. */
export function summarise(
  rates: readonly number[],
  torchRate: number | undefined,
): { medianExamplesPerSecond: number; msPerEpoch: number; ratioToTorch: number | null } {
  const rate = median(rates);
  return {
    medianExamplesPerSecond: rate,
    msPerEpoch: msPerEpoch(rate),
    ratioToTorch: torchRate === undefined ? null : rate / torchRate,
  };
}
