import { parseArgs } from 'node:util';
import type { BackendName } from '../src/core/backends.ts';
import type { EnginePath } from '../src/core/engines.ts';
import {
  CPU_WORKLOAD_IDS,
  WORKLOADS,
  WORKLOAD_IDS,
  isWorkloadId,
  type WorkloadId,
} from '../src/bench/workloads.ts';

/**
 * What `npm run bench` measures, from its flags. Defaults keep the whole bench near ten minutes
 * on a 2-core machine with no GPU: CPU backends get every run; software WebGL/WebGPU get one
 * capped run of W1 and W3; TF.js ops on the `cpu` backend are too slow to bench, so `cpu` runs
 * the fused engine only.
 */

export const USAGE = `Usage: npm run bench -- [options]
  --runs N            measured runs per backend/engine/workload on CPU backends (default 3; --quick 1)
  --gpu-runs N        runs on webgl/webgpu (default 1)
  --backends LIST     wasm,cpu,webgl,webgpu (default all)
  --engines LIST      fused,webgpu,tfjs: engines to try on every backend (default: wasm fused and tfjs,
                      cpu fused, GPUs tfjs)
  --workloads LIST    W1,W2,W3,W1BN,WIDE (default W1-W1BN on wasm, W1,W3 elsewhere; --quick W1,W3)
  --threads LIST      fused-kernel thread counts to force, e.g. 1,2 (passed as ?threads=; default: auto)
  --torch-threads L   PyTorch thread counts to run, ratios against the fastest (default 1,2)
  --cap S             seconds a CPU-backend run may take before it is stopped (default 120)
  --gpu-cap S         seconds a webgl/webgpu run may take (default 30; --quick 20)
  --quick             one run each, W1 and W3, shorter caps (an end-to-end check)
  --no-torch          skip the PyTorch reference
  --no-fit            skip the TF.js Layers model.fit baseline
  --no-time-to-98     skip the time-to-98% run of the app page
  --no-end-to-end     skip W1 for 5 epochs on the app page, Train click to test result
  --no-timeline       skip the training-timeline run (W1, 5 epochs, validation and analysis on)
  --no-layer-health   skip the layer-health cost (the timeline's run with layer health on and off)
  --layer-health-pairs N  interleaved on/off pairs of the layer-health cost (default 5; --quick 2)
  --layer-health-only the layer-health cost alone (every other measurement skipped)
  --no-gpu            skip the GPU step probe (dispatches and ms per step of each engine on each GPU
                      backend, W1) and the GPU figures (W1-W3 and WIDE on fused WebGPU, TF.js WebGPU
                      and fused WASM, run only where the WebGPU adapter is a real GPU)
  --update-readme     rewrite the README section between the bench markers
  --port N            preview server port (default 4410)
  --out FILE          results JSON (default bench/results/latest.json)`;

export const BACKENDS: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];
const ENGINES: readonly EnginePath[] = ['fused', 'webgpu', 'tfjs'];

export interface PlanItem {
  readonly backend: BackendName;
  readonly engine: EnginePath;
  readonly workload: WorkloadId;
  readonly runs: number;
  readonly capMs: number;
  /** Fused-kernel threads forced with `?threads=`; null: the app's own choice. */
  readonly threads: number | null;
}

export interface BenchOptions {
  readonly runs: number;
  /** Runs and time cap of a webgl/webgpu item; the cap of a CPU-backend item. */
  readonly gpuRuns: number;
  readonly gpuCapMs: number;
  readonly capMs: number;
  readonly items: readonly PlanItem[];
  readonly torch: boolean;
  /** PyTorch `torch.set_num_threads` values, each run in full. */
  readonly torchThreads: readonly number[];
  readonly fit: boolean;
  readonly fitWorkloads: readonly WorkloadId[];
  readonly timeTo98: boolean;
  readonly timeTo98CapMs: number;
  readonly endToEnd: boolean;
  readonly timeline: boolean;
  /** Issue 18's training slow-down from layer health, and its interleaved on/off pairs. */
  readonly layerHealth: boolean;
  readonly layerHealthPairs: number;
  /** The GPU step probe, and the GPU figures where the WebGPU adapter is a real GPU. */
  readonly gpu: boolean;
  /** Runs of the end-to-end and timeline measurements (the median is reported). */
  readonly appRuns: number;
  /** `?threads=` for the app-page runs and the timeline; null: the app's own choice. */
  readonly appThreads: number | null;
  readonly updateReadme: boolean;
  readonly port: number;
  readonly out: string;
  readonly quick: boolean;
}

function list<T extends string>(text: string | undefined, allowed: readonly T[], what: string): T[] | null {
  if (text === undefined) return null;
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new Error(`Unknown ${what} "${item}"; expected one of ${allowed.join(', ')}`);
    }
  }
  return items as T[];
}

function counts(text: string | undefined, fallback: readonly number[], what: string): readonly number[] {
  if (text === undefined) return fallback;
  const values = text.split(',').map((item) => Number(item.trim()));
  if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n < 1 || n > 256)) {
    throw new Error(`${what} must be a list of whole numbers from 1 to 256, not "${text}"`);
  }
  return [...new Set(values)];
}

function positive(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${what} must be a positive number, not "${text}"`);
  return value;
}

const isGpu = (backend: BackendName) => backend === 'webgl' || backend === 'webgpu';

function defaultEngines(backend: BackendName): readonly EnginePath[] {
  if (backend === 'wasm') return ['fused', 'tfjs'];
  return backend === 'cpu' ? ['fused'] : ['tfjs'];
}

/** Parses the flags after `--`; throws with a one-line message on a bad one. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      runs: { type: 'string' },
      'gpu-runs': { type: 'string' },
      backends: { type: 'string' },
      engines: { type: 'string' },
      workloads: { type: 'string' },
      threads: { type: 'string' },
      'torch-threads': { type: 'string' },
      cap: { type: 'string' },
      'gpu-cap': { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      'no-fit': { type: 'boolean', default: false },
      'no-time-to-98': { type: 'boolean', default: false },
      'no-end-to-end': { type: 'boolean', default: false },
      'no-timeline': { type: 'boolean', default: false },
      'no-gpu': { type: 'boolean', default: false },
      'no-layer-health': { type: 'boolean', default: false },
      'layer-health-pairs': { type: 'string' },
      'layer-health-only': { type: 'boolean', default: false },
      'update-readme': { type: 'boolean', default: false },
      port: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const only = values['layer-health-only'];
  if (only && values['no-layer-health'])
    throw new Error('--layer-health-only and --no-layer-health contradict each other');
  const runs = Math.round(positive(values.runs, quick ? 1 : 3, '--runs'));
  const gpuRuns = Math.round(positive(values['gpu-runs'], 1, '--gpu-runs'));
  const capMs = positive(values.cap, 120, '--cap') * 1000;
  const gpuCapMs = positive(values['gpu-cap'], quick ? 20 : 30, '--gpu-cap') * 1000;
  const backends = list(values.backends, BACKENDS, 'backend') ?? BACKENDS;
  const engines = list(values.engines, ENGINES, 'engine');
  const workloads = list(values.workloads, WORKLOAD_IDS, 'workload');
  const forced = values.threads === undefined ? null : counts(values.threads, [], '--threads');
  const items: PlanItem[] = [];
  for (const threads of only ? [] : (forced ?? [null])) {
    for (const backend of backends) {
      const defaults: readonly WorkloadId[] = backend === 'wasm' && !quick ? CPU_WORKLOAD_IDS : ['W1', 'W3'];
      for (const engine of engines ?? defaultEngines(backend)) {
        for (const workload of workloads ?? defaults) {
          items.push({
            backend,
            engine,
            workload,
            runs: isGpu(backend) ? gpuRuns : runs,
            capMs: isGpu(backend) ? gpuCapMs : capMs,
            threads,
          });
        }
      }
    }
  }
  const fitWorkloads = (workloads ?? ['W1']).filter(
    (id) => isWorkloadId(id) && !WORKLOADS[id].batchNorm && id !== 'W3',
  );
  return {
    runs,
    gpuRuns,
    gpuCapMs,
    capMs,
    items,
    torch: !only && !values['no-torch'],
    torchThreads: counts(values['torch-threads'], [1, 2], '--torch-threads'),
    fit: !only && !values['no-fit'] && fitWorkloads.length > 0,
    fitWorkloads,
    timeTo98: !only && !values['no-time-to-98'],
    timeTo98CapMs: 8 * 60_000,
    endToEnd: !only && !values['no-end-to-end'],
    timeline: !only && !values['no-timeline'],
    layerHealth: !values['no-layer-health'],
    layerHealthPairs: Math.round(
      positive(values['layer-health-pairs'], quick ? 2 : 5, '--layer-health-pairs'),
    ),
    gpu: !only && !values['no-gpu'],
    appRuns: runs,
    // The largest forced count: the app-page figures are about the fastest set-up asked for.
    appThreads: forced === null ? null : Math.max(...forced),
    updateReadme: values['update-readme'],
    port: Math.round(positive(values.port, 4410, '--port')),
    out: values.out ?? 'bench/results/latest.json',
    quick,
  };
}

/** The workloads of issue 16's GPU figures, each on fused WebGPU, TF.js WebGPU ops and fused WASM. */
const GPU_FIGURE_WORKLOADS: readonly WorkloadId[] = ['W1', 'W2', 'W3', 'WIDE'];
const GPU_FIGURE_ENGINES: readonly Pick<PlanItem, 'backend' | 'engine'>[] = [
  { backend: 'webgpu', engine: 'webgpu' },
  { backend: 'webgpu', engine: 'tfjs' },
  { backend: 'wasm', engine: 'fused' },
];

/**
 * `options.items` plus issue 16's GPU figure set (where the WebGPU adapter is a real GPU): W1-W3
 * and WIDE on the fused WebGPU engine, TF.js WebGPU ops and the fused WASM kernel, each once
 * (an item already planned is not repeated).
 */
export function withGpuFigureItems(options: BenchOptions): PlanItem[] {
  const key = (item: Pick<PlanItem, 'backend' | 'engine' | 'workload' | 'threads'>) =>
    `${item.backend}/${item.engine}/${item.workload}/${item.threads ?? 'auto'}`;
  const planned = new Set(options.items.map(key));
  const extra: PlanItem[] = [];
  for (const { backend, engine } of GPU_FIGURE_ENGINES) {
    for (const workload of GPU_FIGURE_WORKLOADS) {
      const item: PlanItem = {
        backend,
        engine,
        workload,
        runs: isGpu(backend) ? options.gpuRuns : options.runs,
        capMs: isGpu(backend) ? options.gpuCapMs : options.capMs,
        threads: null,
      };
      if (!planned.has(key(item))) extra.push(item);
    }
  }
  return [...options.items, ...extra];
}
