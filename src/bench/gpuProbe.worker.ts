/// <reference lib="webworker" />
import { probeGpuSteps } from '../worker/gpuStepProbe.ts';
import type { GpuProbeResult, GpuProbeSpec } from './benchApi.ts';

/**
 * The GPU step probe's worker (`npm run bench`): one {@link GpuProbeSpec} in, one
 * {@link GpuProbeResult} out; the bench page starts a fresh one per probe, so each engine and
 * backend starts from a clean GPU device.
 */

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', (event: MessageEvent<GpuProbeSpec>) => {
  const spec = event.data;
  probeGpuSteps(spec)
    .catch((error: unknown): GpuProbeResult => ({
      ok: false,
      spec,
      error: error instanceof Error ? error.message : String(error),
    }))
    .then((result) => self.postMessage(result));
});
