import type { GpuAdapterName, GpuProbeResult, GpuProbeSpec } from '../src/bench/benchApi.ts';
import { WORKLOADS, type WorkloadId } from '../src/bench/workloads.ts';
import { ENGINE_NAMES } from '../src/core/engines.ts';
import { isSkipped, tableHead, type BenchRow, type Machine, type Outcome } from './benchReport.ts';

/**
 * The GPU part of `npm run bench` (issue 16): how many dispatches (WebGPU) or draw calls (WebGL)
 * each engine sends per training step on each GPU backend, and its time per step on the same
 * adapter, from the step probe (`src/bench/gpuProbe.worker.ts`); and, where the WebGPU adapter is
 * a real GPU, the figures against issue 16's targets from the main table's rows. Every timing
 * names its adapter, and a software one (SwiftShader here) is said to be no measure of GPU speed.
 * Pure.
 */

/** The step probe's targets: each engine that sends work to a GPU, on each GPU backend. */
export const GPU_PROBE_TARGETS: readonly Pick<GpuProbeSpec, 'backend' | 'engine'>[] = [
  { backend: 'webgpu', engine: 'webgpu' },
  { backend: 'webgpu', engine: 'tfjs' },
  { backend: 'webgl', engine: 'tfjs' },
];
/** The probe's workload, warm-up and timed steps: about a minute on a 2-core machine's SwiftShader. */
export const GPU_PROBE_WORKLOAD: WorkloadId = 'W1';
export const GPU_PROBE_WARMUP_STEPS = 5;
export const GPU_PROBE_STEPS = 20;

/** What the step probe measured: one result per target, in {@link GPU_PROBE_TARGETS} order. */
export interface GpuProbes {
  readonly results: readonly GpuProbeResult[];
}

/** Where the GPU figures ran: the WebGPU adapter they ran on (a real GPU). */
export interface GpuFigureRun {
  readonly adapter: string;
}

export interface GpuSection {
  readonly probes: Outcome<GpuProbes>;
  /** Skipped (with why) where the WebGPU adapter is software or missing, or with `--no-gpu`. */
  readonly figures: Outcome<GpuFigureRun>;
}

/** The WebGPU adapter of the probes, when they ran on one and found it. */
export function webgpuAdapter(probes: Outcome<GpuProbes>): GpuAdapterName | null {
  if (isSkipped(probes)) return null;
  for (const result of probes.results)
    if (result.ok && result.spec.backend === 'webgpu') return result.adapter;
  return null;
}

/** Why the GPU figures cannot run on `adapter`, or null when it is a real GPU. */
export function gpuFiguresRefusal(adapter: GpuAdapterName | null): string | null {
  if (adapter === null) return 'no WebGPU adapter here';
  if (adapter.software)
    return `the WebGPU adapter here is ${adapter.text}, a software renderer, not a GPU: no GPU figures on this machine`;
  return null;
}

const fixed = (value: number, digits: number) => value.toFixed(digits);
const adapterText = (adapter: GpuAdapterName | null) =>
  adapter === null ? 'unknown adapter' : `${adapter.text}${adapter.software ? ' — software' : ''}`;

function targetLabel(spec: GpuProbeSpec): string {
  const engine = spec.engine === 'webgpu' ? ENGINE_NAMES.webgpu : ENGINE_NAMES.tfjs;
  return `${spec.backend} · ${engine}`;
}

/** The probe's table: per target, dispatches per step (counted and the engine's own) and ms per step. */
export function gpuProbeTable(machine: Machine, probes: Outcome<GpuProbes>): string {
  if (isSkipped(probes)) return `GPU step probe skipped: ${probes.skipped}`;
  const workload = WORKLOADS[GPU_PROBE_WORKLOAD];
  const lines = [
    `GPU work per training step, **${workload.id}** ${workload.label}: each engine stepped ${GPU_PROBE_STEPS} times ` +
      `after ${GPU_PROBE_WARMUP_STEPS} warm-up steps, in a worker of its own; dispatches are WebGPU compute ` +
      'dispatches (WebGL: draw calls, one per TF.js program) counted on the GPU API itself; ms / step ' +
      'is wall time with the losses read back at the end.',
    '',
    ...tableHead(
      machine,
      ['Backend · engine', 'Dispatches / step', "Engine's own count", 'ms / step', 'Adapter'],
      ['---', '---:', '---:', '---:', '---'],
    ),
  ];
  const notes: string[] = [];
  for (const result of probes.results) {
    if (!result.ok) {
      notes.push(`- ${targetLabel(result.spec)}: skipped, ${result.error}`);
      continue;
    }
    const own = result.engineDispatchesPerStep === null ? '–' : String(result.engineDispatchesPerStep);
    const software = result.adapter?.software === true ? ' (software)' : '';
    lines.push(
      `| ${targetLabel(result.spec)} | ${fixed(result.dispatchesPerStep, 1)} | ${own} | ` +
        `${fixed(result.msPerStep, 1)}${software} | ${adapterText(result.adapter)} |`,
    );
    if (
      result.engineDispatchesPerStep !== null &&
      result.engineDispatchesPerStep !== result.dispatchesPerStep
    ) {
      notes.push(
        `- ${targetLabel(result.spec)}: **counted ${fixed(result.dispatchesPerStep, 1)} dispatches a step, ` +
          `the engine says ${result.engineDispatchesPerStep}**`,
      );
    }
  }
  notes.push(...comparison(probes.results));
  return [...lines, '', ...notes].join('\n');
}

/** Fused WebGPU against TF.js WebGPU ops on the same adapter: dispatches and time, in a line. */
function comparison(results: readonly GpuProbeResult[]): string[] {
  const on = (engine: GpuProbeSpec['engine']) =>
    results.find((r) => r.ok && r.spec.backend === 'webgpu' && r.spec.engine === engine);
  const fused = on('webgpu');
  const ops = on('tfjs');
  if (fused === undefined || ops === undefined || !fused.ok || !ops.ok) return [];
  const caveat =
    fused.adapter?.software === true
      ? `on ${fused.adapter.text}, a software renderer on the CPU: this says nothing about GPU speed`
      : `on ${adapterText(fused.adapter)}`;
  return [
    `- Same adapter, same run: the fused WebGPU engine sends ${fixed(ops.dispatchesPerStep / fused.dispatchesPerStep, 1)}× ` +
      `fewer dispatches a step than TF.js WebGPU ops; a step takes ${fixed(fused.msPerStep, 1)} ms against ` +
      `${fixed(ops.msPerStep, 1)} ms (${fixed(ops.msPerStep / fused.msPerStep, 2)}× the speed), ${caveat}.`,
  ];
}

/** One issue-16 figure: a ratio of two rows of the main table against its goal. */
interface GpuFigure {
  readonly name: string;
  readonly measured: string;
  readonly goal: string;
  readonly met: string;
  readonly how: string;
}

/** The main table's median rate of `workload` on `backend` with `engine`; null when not run. */
function rate(
  rows: readonly BenchRow[],
  workload: WorkloadId,
  backend: string,
  engine: string,
): BenchRow | null {
  return (
    rows.find((r) => r.workload === workload && r.backend === backend && r.enginePath === engine) ?? null
  );
}

/** Issue 16's targets on a real GPU: fused WebGPU ≥ 5× TF.js WebGPU on W1, ≥ 3× fused WASM on WIDE. */
export function gpuFigures(rows: readonly BenchRow[], run: Outcome<GpuFigureRun>): GpuFigure[] {
  const targets = [
    { workload: 'W1', versus: { backend: 'webgpu', engine: 'tfjs', name: 'TF.js WebGPU ops' }, goal: 5 },
    {
      workload: 'WIDE',
      versus: { backend: 'wasm', engine: 'fused', name: 'the fused WASM kernel' },
      goal: 3,
    },
  ] as const;
  return targets.map(({ workload, versus, goal }) => {
    const name = `${workload}: fused WebGPU / ${versus.name}`;
    const base = { name, goal: `≥ ${goal}×` };
    if (isSkipped(run)) return { ...base, measured: '–', met: '–', how: `skipped: ${run.skipped}` };
    const ours = rate(rows, workload, 'webgpu', 'webgpu');
    const theirs = rate(rows, workload, versus.backend, versus.engine);
    if (ours === null || theirs === null) return { ...base, measured: '–', met: '–', how: 'not run' };
    const ratio = ours.medianExamplesPerSecond / theirs.medianExamplesPerSecond;
    const count = (row: BenchRow) => Math.round(row.medianExamplesPerSecond).toLocaleString('en-US');
    return {
      ...base,
      measured: `${fixed(ratio, 2)}×`,
      met: ratio >= goal ? 'yes' : 'no',
      how: `${count(ours)} vs ${count(theirs)} ex/s on ${run.adapter}`,
    };
  });
}

/** The GPU section of the report: issue 16's figures, then the step probe. */
export function gpuReport(machine: Machine, rows: readonly BenchRow[], section: GpuSection): string {
  const lines = tableHead(
    machine,
    ['Figure (issue 16, on a real GPU)', 'Measured', 'Goal', 'Met', 'How'],
    ['---', '---:', '---:', ':---:', '---'],
  );
  for (const figure of gpuFigures(rows, section.figures)) {
    lines.push(`| ${figure.name} | ${figure.measured} | ${figure.goal} | ${figure.met} | ${figure.how} |`);
  }
  return `${lines.join('\n')}\n\n${gpuProbeTable(machine, section.probes)}`;
}
