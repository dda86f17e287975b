import type { Page } from '@playwright/test';
import type { BenchWindow, GpuProbeResult, GpuProbeSpec } from '../src/bench/benchApi.ts';
import {
  GPU_PROBE_STEPS,
  GPU_PROBE_TARGETS,
  GPU_PROBE_WARMUP_STEPS,
  GPU_PROBE_WORKLOAD,
  type GpuProbes,
} from './benchGpuReport.ts';
import type { Outcome } from './benchReport.ts';

/**
 * Drives the bench page's GPU step probe (`window.probeGpuSteps`, one fresh worker per target):
 * each engine that sends work to a GPU, on each GPU backend, on the probe's workload. A target
 * that cannot run here (no adapter, no WebGL) comes back with why, not as a failure of the bench.
 */
export async function runGpuProbes(
  page: Page,
  enabled: boolean,
  log: (message: string) => void,
): Promise<Outcome<GpuProbes>> {
  if (!enabled) return { skipped: '--no-gpu' };
  const results: GpuProbeResult[] = [];
  for (const target of GPU_PROBE_TARGETS) {
    const spec: GpuProbeSpec = {
      ...target,
      workload: GPU_PROBE_WORKLOAD,
      warmupSteps: GPU_PROBE_WARMUP_STEPS,
      steps: GPU_PROBE_STEPS,
    };
    const result = (await page.evaluate(
      (s) => (globalThis as unknown as BenchWindow).probeGpuSteps(s),
      spec,
    )) as GpuProbeResult;
    const what = `GPU probe ${spec.backend} · ${spec.engine} · ${spec.workload}`;
    log(
      result.ok
        ? `${what}: ${result.dispatchesPerStep.toFixed(1)} dispatches/step` +
            `${result.engineDispatchesPerStep === null ? '' : ` (engine says ${result.engineDispatchesPerStep})`}, ` +
            `${result.msPerStep.toFixed(1)} ms/step on ${result.adapter?.text ?? 'unknown adapter'}` +
            `${result.adapter?.software === true ? ' (software)' : ''}`
        : `${what}: skipped, ${result.error}`,
    );
    results.push(result);
  }
  return { results };
}
