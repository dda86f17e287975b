import type { Page } from '@playwright/test';

/**
 * Memory as the page can see it in Chromium. `pageHeap`: the main thread's JS heap
 * (`performance.memory.usedJSHeapSize`, exact with `--enable-precise-memory-info`). `workers`:
 * bytes of each dedicated worker from `performance.measureUserAgentSpecificMemory()` (needs
 * cross-origin isolation, which the app has; answers at once with
 * `--enable-blink-features=ForceEagerMeasureMemory`): its JS heap and ArrayBuffers, *not*
 * WebAssembly memories (measured here: a 100 MB `WebAssembly.Memory` does not show), so the fused
 * kernel's arena and TF.js WASM's heap are outside it; tensor counts cover those. Also read, in
 * the same task: the step the status line shows, the worker's tensor count (Details), the phase.
 */
export interface MemorySample {
  /** Milliseconds since the probe's first sample. */
  readonly at: number;
  readonly phase: string;
  /** Batches done in the current epoch (the step, in a one-epoch run); null when not shown. */
  readonly step: number | null;
  readonly tensors: number | null;
  readonly pageHeap: number | null;
  /**
   * Bytes of each live training worker (`trainer.worker`, one per Train view or comparison
   * run); null where the API is missing.
   */
  readonly workers: readonly number[] | null;
  /** Bytes of every dedicated worker, TF.js WASM's pthread workers (threaded builds) included. */
  readonly allWorkers: number | null;
  /** How long a frame took to come: the main thread's responsiveness at this moment. */
  readonly frameMs: number;
}

interface MemoryBreakdown {
  readonly bytes: number;
  readonly attribution: readonly { readonly scope?: string; readonly url?: string }[];
}

export async function sampleMemory(page: Page, since = 0): Promise<MemorySample> {
  return page.evaluate(async (origin) => {
    const asked = performance.now();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const frameMs = performance.now() - asked;
    const status = document.querySelector('[data-testid="status"]');
    const progress = document.querySelector('[data-testid="batch-progress"]')?.textContent ?? '';
    const step = /batch ([\d,]+)/.exec(progress)?.[1];
    const tensors = document.querySelector('[data-testid="details-tensors"]')?.getAttribute('data-tensors');
    const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
    const measure = (
      performance as Performance & {
        measureUserAgentSpecificMemory?: () => Promise<{ breakdown: readonly MemoryBreakdown[] }>;
      }
    ).measureUserAgentSpecificMemory;
    let workers: number[] | null = null;
    let allWorkers: number | null = null;
    if (typeof measure === 'function' && crossOriginIsolated) {
      const result = await measure.call(performance);
      const dedicated = result.breakdown.filter((entry) =>
        entry.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'),
      );
      allWorkers = dedicated.reduce((sum, entry) => sum + entry.bytes, 0);
      workers = dedicated
        .filter((entry) => entry.attribution.some((a) => a.url?.includes('trainer.worker') === true))
        .map((entry) => entry.bytes);
    }
    return {
      at: performance.now() - origin,
      phase: status?.getAttribute('data-phase') ?? '',
      step: step === undefined ? null : Number(step.replaceAll(',', '')),
      tensors: tensors === null || tensors === undefined ? null : Number(tensors),
      pageHeap: memory?.usedJSHeapSize ?? null,
      workers,
      allWorkers,
      frameMs,
    };
  }, since);
}

export const megabytes = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? 'n/a' : `${(bytes / 1e6).toFixed(1)} MB`;

export const workerTotal = (sample: MemorySample): number | null =>
  sample.workers === null ? null : sample.workers.reduce((sum, b) => sum + b, 0);
