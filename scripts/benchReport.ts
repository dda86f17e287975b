import type { LayerHealthCost } from './benchLayerHealth.ts';
import type { BackendName } from '../src/core/backends.ts';
import type { EngineChoice, EnginePath } from '../src/core/engines.ts';
import type { ThreadChoice } from '../src/core/kernelThreads.ts';
import type { EpochTiming } from '../src/bench/benchApi.ts';
import { WORKLOADS, WORKLOAD_IDS, msPerEpoch, type WorkloadId } from '../src/bench/workloads.ts';
import type { GpuSection } from './benchGpuReport.ts';

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
  /** TF.js's WASM threads (1 on other backends). */
  readonly threads: number;
  /** The fused kernel's thread count, why, and what it measured (last run); null for TF.js ops. */
  readonly kernelThreads: ThreadChoice | null;
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

/** What `bench/reference.py` prints for one thread count (`torch.set_num_threads`). */
export interface TorchResult {
  readonly torch: string;
  readonly threads: number;
  readonly workloads: Partial<Record<WorkloadId, TorchWorkload>>;
}

export interface TorchWorkload {
  readonly examplesPerSecond: number;
  readonly msPerEpoch: number;
  readonly runs: readonly number[];
}

/** PyTorch at every thread count tried in this run, in the order run (e.g. 1 then 2). */
export interface TorchReference {
  readonly torch: string;
  /** The BLAS its matrix products ran on (see `systemBlas`); null when unknown. */
  readonly blas: string | null;
  readonly byThreads: readonly TorchResult[];
  /** Thread counts that gave no result, and why (the ratios then use the others). */
  readonly failed: readonly { readonly threads: number; readonly reason: string }[];
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

/**
 * W1 as a person runs it on the app page ({@link endToEndConfig}: 5 epochs, validation, every
 * view): from the Train click to the test result on the page, per run.
 */
export interface EndToEnd {
  /** Examples trained per run: epochs × training split. */
  readonly examples: number;
  readonly epochs: number;
  readonly wallSeconds: readonly number[];
  /** `examples` over each run's wall time: start-up, validation, views and test evaluation included. */
  readonly examplesPerSecond: readonly number[];
  readonly medianExamplesPerSecond: number;
  /** Test accuracy (percent) of the last run, as the page shows it. */
  readonly testAccuracy: number;
  readonly backend: string;
  /** The app's Details → kernel threads after the run: count, why, and the rates measured. */
  readonly threads: string;
}

/**
 * The training timeline of W1 for {@link END_TO_END_EPOCHS} epochs in the app's worker with
 * validation and the per-epoch analysis on (the bench page, so event arrival times are seen).
 */
export interface Timeline {
  /** Per run, per epoch: when its reports arrived and its training time. */
  readonly runs: readonly (readonly EpochTiming[])[];
}

export type Outcome<T> = T | { readonly skipped: string };

/** Where and when the figures were measured: printed above every table. */
export interface Machine {
  /** `os.cpus()[0].model`, e.g. "Intel(R) Xeon(R) Processor". */
  readonly cpuModel: string;
  readonly cpus: number;
  readonly chromium: string;
  readonly node: string;
  /** ISO date-time of the run. */
  readonly date: string;
  /** Short hash, "(with uncommitted changes)" when the tree was dirty. */
  readonly commit: string;
}

export interface BenchResults extends Machine {
  readonly runs: number;
  readonly rows: readonly BenchRow[];
  readonly skipped: readonly SkippedRow[];
  readonly fit: Outcome<{ readonly rows: readonly FitRow[] }>;
  readonly torch: Outcome<TorchReference>;
  readonly dataLoad: Outcome<{ readonly coldMs: number; readonly warmMs: number }>;
  readonly timeTo98: Outcome<TimeTo98>;
  readonly endToEnd: Outcome<EndToEnd>;
  readonly timeline: Outcome<Timeline>;
  /** Issue 18: training with layer health on against off (`benchLayerHealth.ts`). */
  readonly layerHealthCost: Outcome<LayerHealthCost>;
  /** The GPU step probe and issue 16's GPU figures (`benchGpuReport.ts`). */
  readonly gpu: GpuSection;
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

const threadCount = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

/**
 * "wasm · fused (2 kernel threads)", "wasm · tfjs (TF.js 1 thread)": whose threads ran the steps;
 * "webgpu · tfjs (software adapter)" where the GPU step probe found that backend's adapter software.
 */
function engineLabel(row: BenchRow, software: ReadonlySet<string>): string {
  const ran = row.enginePath ?? '?';
  const engine = row.engine === 'auto' || row.engine === ran ? ran : `${row.engine} → ran ${ran}`;
  let threads = '';
  if (row.kernelThreads !== null)
    threads = ` (${threadCount(row.kernelThreads.threads).replace('thread', 'kernel thread')})`;
  else if (row.backend === 'wasm') threads = ` (TF.js ${threadCount(row.threads)})`;
  else if (software.has(row.backend)) threads = ' (software adapter: not GPU speed)';
  return `${row.backend} · ${engine}${threads}`;
}

/** GPU backends whose adapter (or renderer) the GPU step probe found to be software. */
export function softwareBackends(gpu: GpuSection): ReadonlySet<string> {
  if (isSkipped(gpu.probes)) return new Set();
  return new Set(
    gpu.probes.results.flatMap((r) => (r.ok && r.adapter?.software === true ? [r.spec.backend] : [])),
  );
}

/** "2 threads, measured fastest (1: 70,000 ex/s, 2: 120,000 ex/s)" */
export function kernelThreadsText(choice: ThreadChoice): string {
  const rates = choice.measured.map((m) => `${m.threads}: ${count(m.examplesPerSecond)} ex/s`).join(', ');
  return `${threadCount(choice.threads)}, ${choice.reason}${rates === '' ? '' : ` (${rates})`}`;
}

/** PyTorch's rate at its fastest thread count for one workload in this run. */
export interface BestTorch {
  readonly threads: number;
  readonly examplesPerSecond: number;
  readonly msPerEpoch: number;
}

/** The fastest of the thread counts PyTorch ran `id` with; null when it did not run it. */
export function bestTorch(torch: Outcome<TorchReference>, id: WorkloadId): BestTorch | null {
  if (isSkipped(torch)) return null;
  let best: BestTorch | null = null;
  for (const run of torch.byThreads) {
    const reference = run.workloads[id];
    if (reference === undefined) continue;
    if (best === null || reference.examplesPerSecond > best.examplesPerSecond) {
      best = { threads: run.threads, ...reference };
    }
  }
  return best;
}

/** "Intel(R) Xeon(R) Processor, 2 cores, Chromium 156.0…, Node v20.20.2, 2026-12-03, commit abc1234". */
export function machineLine(machine: Machine): string {
  return (
    `${machine.cpuModel}, ${machine.cpus} cores, Chromium ${machine.chromium}, Node ${machine.node}, ` +
    `${machine.date.slice(0, 10)}, commit ${machine.commit}`
  );
}

/** The first lines of every printed table: the machine, then the header row and its alignments. */
export function tableHead(
  machine: Machine,
  columns: readonly string[],
  alignments: readonly string[],
): string[] {
  return [
    `Measured on ${machineLine(machine)}.`,
    '',
    `| ${columns.join(' | ')} |`,
    `|${alignments.join('|')}|`,
  ];
}

/** The markdown table: one block of rows per workload, PyTorch (every thread count) last. */
export function markdownTable(results: BenchResults): string {
  const lines = tableHead(
    results,
    ['Workload', 'Backend · engine', 'Examples/s', 'ms / epoch', 'Tensors alive', 'Ours / PyTorch (best)'],
    ['---', '---', '---:', '---:', '---:', '---:'],
  );
  const workloads = new Set<WorkloadId>(results.rows.map((row) => row.workload));
  const torch = isSkipped(results.torch) ? null : results.torch;
  const software = softwareBackends(results.gpu);
  const fitRows = isSkipped(results.fit) ? [] : results.fit.rows;
  for (const row of fitRows) workloads.add(row.workload);
  for (const id of WORKLOAD_IDS.filter((w) => workloads.has(w))) {
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
        `| ${cell()} | ${engineLabel(row, software)} | ${count(row.medianExamplesPerSecond)}${capped} | ${count(row.msPerEpoch)} | ${tensors} | ${ratio(row.ratioToTorch)} |`,
      );
    }
    for (const row of fitRows.filter((r) => r.workload === id)) {
      lines.push(
        `| ${cell()} | TF.js Layers \`model.fit\` (${row.backend}, ${threadCount(row.threads)}) | ${count(row.medianExamplesPerSecond)} | ${count(row.msPerEpoch)} | ${row.tensorsAlive} | ${ratio(row.ratioToTorch)} |`,
      );
    }
    const best = bestTorch(results.torch, id);
    for (const run of torch?.byThreads ?? []) {
      const reference = run.workloads[id];
      if (reference === undefined || best === null) continue;
      const mark = run.threads === best.threads ? ', best' : '';
      lines.push(
        `| ${cell()} | PyTorch ${run.torch} CPU (${threadCount(run.threads)}${mark}) | ${count(reference.examplesPerSecond)} | ${count(reference.msPerEpoch)} | – | ${ratio(reference.examplesPerSecond / best.examplesPerSecond)} |`,
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
  else {
    notes.push(`- PyTorch's BLAS: ${results.torch.blas ?? 'unknown'}`);
    for (const failure of results.torch.failed) {
      notes.push(
        `- PyTorch at ${threadCount(failure.threads)}: ${failure.reason}; ratios use the other thread counts`,
      );
    }
  }
  if (isSkipped(results.fit)) notes.push(`- \`model.fit\` baseline skipped: ${results.fit.skipped}`);
  for (const skip of results.skipped) {
    const what = [skip.backend, skip.engine, skip.workload].filter((part) => part !== null).join(' · ');
    notes.push(`- ${what}: skipped, ${skip.reason}`);
  }
  for (const row of results.rows) {
    if (row.kernelThreads === null) continue;
    notes.push(`- Kernel threads, ${row.workload} ${row.backend}: ${kernelThreadsText(row.kernelThreads)}`);
  }
  if (results.rows.some((row) => row.capped)) {
    notes.push(
      '- (capped): the run hit its time cap and was stopped; its rate is over the steps it finished.',
    );
  }
  notes.push(
    `- Median of up to ${results.runs} runs after a warm-up, the per-epoch analysis off (training only, like PyTorch). ` +
      'Examples/s is over the training time as the page sees it ' +
      "(from the worker's run-started to its evaluating event, or the worker's own trainMs if longer); " +
      'ms / epoch is a 60,000-example epoch at that rate; tensors alive is `tf.memory().numTensors` after the run. ' +
      'PyTorch trains the same workloads in the same run at every thread count listed; ratios are to the fastest.',
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
