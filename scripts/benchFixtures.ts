import { summarise, type BenchRow, type Machine } from './benchReport.ts';

/** Test fixtures of the bench report's unit tests (`bench.test.ts`, `benchGpu.test.ts`). */

export const SAMPLE_MACHINE: Machine = {
  cpuModel: 'Intel(R) Xeon(R) Processor',
  cpus: 2,
  chromium: '156.0',
  node: 'v20',
  date: '2026-12-03T00:00:00.000Z',
  commit: 'abc1234',
};

/**
 * A measured row of one run at `rate` examples/s: wasm · fused on 2 forced kernel threads, unless
 * `changes` say otherwise.
 */
export function sampleRow(
  workload: BenchRow['workload'],
  rate: number,
  torchRate: number | null,
  changes: Partial<BenchRow> = {},
): BenchRow {
  return {
    workload,
    backend: 'wasm',
    engine: 'fused',
    enginePath: 'fused',
    engineReason: 'chosen',
    threads: 1,
    kernelThreads: { threads: 2, measured: [], reason: 'forced by ?threads=2' },
    examplesPerSecond: [rate],
    wallMs: [1000],
    trainMs: [990],
    ...summarise([rate], torchRate ?? undefined),
    tensorsAlive: 0,
    capped: false,
    testAccuracy: 0.95,
    ...changes,
  };
}
