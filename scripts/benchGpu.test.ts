import { describe, expect, it } from 'vitest';
import type { GpuProbeResult } from '../src/bench/benchApi.ts';
import {
  gpuFigures,
  gpuFiguresRefusal,
  gpuProbeTable,
  gpuReport,
  webgpuAdapter,
  type GpuProbes,
} from './benchGpuReport.ts';
import { SAMPLE_MACHINE, sampleRow } from './benchFixtures.ts';
import { markdownReport, softwareBackends, type BenchRow } from './benchReport.ts';

const machine = SAMPLE_MACHINE;

const SWIFTSHADER = { text: 'google / swiftshader / Google SwiftShader', software: true };
const REAL = { text: 'nvidia / hopper / NVIDIA H200', software: false };

function probe(
  backend: 'webgpu' | 'webgl',
  engine: 'webgpu' | 'tfjs',
  counted: number,
  ms: number,
  adapter = SWIFTSHADER,
): GpuProbeResult {
  return {
    ok: true,
    spec: { backend, engine, workload: 'W1', warmupSteps: 5, steps: 20 },
    adapter,
    dispatchesPerStep: counted,
    engineDispatchesPerStep: engine === 'webgpu' ? 8 : null,
    msPerStep: ms,
    batch: 128,
  };
}

const probes: GpuProbes = {
  results: [
    probe('webgpu', 'webgpu', 8, 10),
    probe('webgpu', 'tfjs', 64, 40),
    {
      ok: false,
      spec: { backend: 'webgl', engine: 'tfjs', workload: 'W1', warmupSteps: 5, steps: 20 },
      error: 'no WebGL2',
    },
  ],
};

const row = (
  workload: BenchRow['workload'],
  backend: BenchRow['backend'],
  engine: 'webgpu' | 'tfjs' | 'fused',
  rate: number,
) => sampleRow(workload, rate, null, { backend, engine, enginePath: engine, kernelThreads: null });

describe('GPU bench report', () => {
  it('runs the GPU figures only on a real GPU adapter', () => {
    expect(webgpuAdapter(probes)).toEqual(SWIFTSHADER);
    expect(gpuFiguresRefusal(SWIFTSHADER)).toBe(
      'the WebGPU adapter here is google / swiftshader / Google SwiftShader, a software renderer, not a GPU: no GPU figures on this machine',
    );
    expect(gpuFiguresRefusal(null)).toBe('no WebGPU adapter here');
    expect(gpuFiguresRefusal(REAL)).toBeNull();
    expect(webgpuAdapter({ skipped: '--no-gpu' })).toBeNull();
  });

  it('tables dispatches and ms per step with the adapter, and never sells software timings as GPU speed', () => {
    const table = gpuProbeTable(machine, probes);
    expect(table).toContain('Measured on Intel(R) Xeon(R) Processor, 2 cores');
    expect(table).toContain(
      '| webgpu · the fused WebGPU engine | 8.0 | 8 | 10.0 (software) | google / swiftshader / Google SwiftShader — software |',
    );
    expect(table).toContain('| webgpu · TF.js ops | 64.0 | – | 40.0 (software) |');
    expect(table).toContain('- webgl · TF.js ops: skipped, no WebGL2');
    expect(table).toContain(
      '- Same adapter, same run: the fused WebGPU engine sends 8.0× fewer dispatches a step than TF.js WebGPU ops; ' +
        'a step takes 10.0 ms against 40.0 ms (4.00× the speed), on google / swiftshader / Google SwiftShader, ' +
        'a software renderer on the CPU: this says nothing about GPU speed.',
    );
    const disagreeing = { results: [{ ...probe('webgpu', 'webgpu', 9, 10), engineDispatchesPerStep: 8 }] };
    expect(gpuProbeTable(machine, disagreeing)).toContain(
      '**counted 9.0 dispatches a step, the engine says 8**',
    );
    expect(gpuProbeTable(machine, { skipped: '--no-gpu' })).toBe('GPU step probe skipped: --no-gpu');
    expect(softwareBackends({ probes, figures: { skipped: 'x' } })).toEqual(new Set(['webgpu']));
    // The main table's rows on that backend say so too.
    const results = { ...SAMPLE_MACHINE, runs: 1, rows: [row('W1', 'webgpu', 'tfjs', 900)], skipped: [] };
    const skipped = { skipped: '-' };
    const report = markdownReport({
      ...results,
      fit: skipped,
      torch: skipped,
      dataLoad: skipped,
      timeTo98: skipped,
      endToEnd: skipped,
      timeline: skipped,
      layerHealthCost: skipped,
      gpu: { probes, figures: skipped },
    });
    expect(report).toContain('| webgpu · tfjs (software adapter: not GPU speed) | 900 |');
  });

  it('holds the real-GPU figures against issue 16’s targets, or says why they did not run', () => {
    const rows = [
      row('W1', 'webgpu', 'webgpu', 600_000),
      row('W1', 'webgpu', 'tfjs', 100_000),
      row('WIDE', 'webgpu', 'webgpu', 50_000),
      row('WIDE', 'wasm', 'fused', 25_000),
    ];
    expect(gpuFigures(rows, { adapter: REAL.text })).toEqual([
      {
        name: 'W1: fused WebGPU / TF.js WebGPU ops',
        measured: '6.00×',
        goal: '≥ 5×',
        met: 'yes',
        how: '600,000 vs 100,000 ex/s on nvidia / hopper / NVIDIA H200',
      },
      {
        name: 'WIDE: fused WebGPU / the fused WASM kernel',
        measured: '2.00×',
        goal: '≥ 3×',
        met: 'no',
        how: '50,000 vs 25,000 ex/s on nvidia / hopper / NVIDIA H200',
      },
    ]);
    const skipped = gpuReport(machine, rows, { probes, figures: { skipped: 'software adapter' } });
    expect(skipped).toContain(
      '| W1: fused WebGPU / TF.js WebGPU ops | – | ≥ 5× | – | skipped: software adapter |',
    );
    expect(gpuFigures([], { adapter: REAL.text })[0]?.how).toBe('not run');
  });
});
