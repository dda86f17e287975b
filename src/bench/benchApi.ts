import type { BackendChoice, BackendName } from '../core/backends.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineChoice, EngineInfo } from '../core/engines.ts';
import type { WorkloadId } from './workloads.ts';

/**
 * What the bench page (`bench.html`) exposes on `window` for `scripts/bench.ts` to call through
 * Playwright's `page.evaluate`. Every value crossing is plain JSON.
 */

export interface BenchRunSpec {
  readonly backend: BackendChoice;
  readonly engine: EngineChoice;
  readonly config: TrainingConfig;
  /** Ask the worker to stop after this long; the rate is then taken over the steps done. */
  readonly capMs: number;
}

export type BenchRunResult =
  | {
      readonly ok: true;
      readonly backend: BackendName;
      readonly threads: number;
      readonly crossOriginIsolated: boolean;
      /** Null when the worker does not report an engine (an older worker). */
      readonly engine: EngineInfo | null;
      /** Examples trained (all of them unless `capped`). */
      readonly examples: number;
      /** The worker's `run-finished.trainMs`: time inside training steps. */
      readonly trainMs: number;
      /** The page's clock from `run-started` to `evaluating`: all of training as a person waits for it. */
      readonly wallMs: number;
      /** `examples` over the longer of `trainMs` and `wallMs`. */
      readonly examplesPerSecond: number;
      /** True when the run hit `capMs` and was stopped early. */
      readonly capped: boolean;
      readonly testAccuracy: number;
      /** `tf.memory().numTensors` after the run; null when the worker does not report it. */
      readonly tensorsAlive: number | null;
    }
  | { readonly ok: false; readonly error: string };

export interface DataLoadResult {
  /** `data-ready.loadMs` of a fresh worker: fetch, gunzip and parse of the four MNIST files. */
  readonly loadMs: number;
}

export interface FitSpec {
  readonly workload: WorkloadId;
  /** Limit on examples (a warm-up); all of the workload's examples when absent. */
  readonly examples?: number;
}

export type FitResult =
  | {
      readonly ok: true;
      readonly backend: string;
      readonly threads: number;
      readonly examples: number;
      readonly trainMs: number;
      readonly examplesPerSecond: number;
      /** `tf.memory().numTensors` after disposing the model, optimizer and data. */
      readonly tensorsAlive: number;
      /** Tensors alive before the data and model were created. */
      readonly tensorsBefore: number;
    }
  | { readonly ok: false; readonly error: string };

/** Page → fit-baseline worker. */
export type FitRequest = FitSpec;

/** The functions `bench.html` puts on `window`. */
export interface BenchWindow {
  runBench(spec: BenchRunSpec): Promise<BenchRunResult>;
  measureDataLoad(): Promise<DataLoadResult>;
  runFitBaseline(spec: FitSpec): Promise<FitResult>;
  /** Terminates the training worker (between backends, to free its memory). */
  resetWorker(): void;
}
