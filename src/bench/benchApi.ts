import type { BackendChoice, BackendName } from '../core/backends.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineChoice, EngineInfo } from '../core/engines.ts';
import type { ThreadChoice } from '../core/kernelThreads.ts';
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
  /**
   * Run the per-epoch analysis, as the app does. Off for the throughput rows (training only, as
   * PyTorch's rate is); on for the training-timeline run.
   */
  readonly analysis: boolean;
  /**
   * With `analysis`: measure the Layers view's layer health too (on when absent); off only for
   * the half of the layer-health cost figure that runs without it.
   */
  readonly layerHealth?: boolean;
  /**
   * Resolve only once the last epoch's analysis has reached the page too (or 20 s after the
   * result): the next run then starts with the analysis worker idle, so a run's leftover
   * analysis does not slow the next one (the layer-health figure compares runs back to back).
   */
  readonly settleAnalysis?: boolean;
}

/**
 * When one epoch's reports reached the page, in ms from the run's `run-started` event on the
 * page's clock, with the worker's own training time of that epoch.
 */
export interface EpochTiming {
  /** The worker's `epoch.epochMs`: training only, no validation, analysis or pauses. */
  readonly epochMs: number;
  /** Arrival of the `epoch` event (sent after the epoch's validation). */
  readonly epochAtMs: number;
  /** Arrival of the epoch's `analysis` event; null when none came (analysis off, or not yet). */
  readonly analysisAtMs: number | null;
  /**
   * The training thread's own end-of-epoch time (`epoch.endOfEpoch`), ms: validation with the
   * weight sync, and the hand-over of the weights to the analysis; null when the worker did not say.
   */
  readonly validationMs: number | null;
  readonly analysisMs: number | null;
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
      /**
       * The page's clock from the start request to the test result (`run-finished`): what a person
       * waits after pressing Train, set-up and the test evaluation included.
       */
      readonly resultMs: number;
      /** `examples` over the longer of `trainMs` and `wallMs`. */
      readonly examplesPerSecond: number;
      /** True when the run hit `capMs` and was stopped early. */
      readonly capped: boolean;
      readonly testAccuracy: number;
      /** `tf.memory().numTensors` after the run; null when the worker does not report it. */
      readonly tensorsAlive: number | null;
      /** One entry per completed epoch, in order. */
      readonly epochs: readonly EpochTiming[];
      /** The fused kernel's settled thread count, why, and the rates it measured; null for TF.js ops. */
      readonly kernelThreads: ThreadChoice | null;
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

/** A GPU backend the step probe counts dispatches on, and the engine it steps there. */
export interface GpuProbeSpec {
  readonly backend: 'webgpu' | 'webgl';
  /** `webgpu`: the fused WebGPU engine; `tfjs`: TF.js ops. */
  readonly engine: 'webgpu' | 'tfjs';
  readonly workload: WorkloadId;
  /** Untimed steps first (shader compilation, buffer pools), then the counted and timed ones. */
  readonly warmupSteps: number;
  readonly steps: number;
}

/** The GPU a backend runs on, as the browser names it. */
export interface GpuAdapterName {
  /** "Google SwiftShader (vulkan)", the WebGL renderer string, … */
  readonly text: string;
  /** A software rasteriser or fallback adapter: its timings are not GPU speed. */
  readonly software: boolean;
}

export type GpuProbeResult =
  | {
      readonly ok: true;
      readonly spec: GpuProbeSpec;
      readonly adapter: GpuAdapterName | null;
      /** WebGPU compute dispatches, or WebGL draw calls, per step, counted over the timed steps. */
      readonly dispatchesPerStep: number;
      /** What the fused WebGPU engine says a step dispatches (`dispatchesPerStep`); null for TF.js ops. */
      readonly engineDispatchesPerStep: number | null;
      /** Wall time per step over the timed steps, their losses read back at the end (ms). */
      readonly msPerStep: number;
      readonly batch: number;
    }
  | { readonly ok: false; readonly spec: GpuProbeSpec; readonly error: string };

/** The functions `bench.html` puts on `window`. */
export interface BenchWindow {
  runBench(spec: BenchRunSpec): Promise<BenchRunResult>;
  measureDataLoad(): Promise<DataLoadResult>;
  runFitBaseline(spec: FitSpec): Promise<FitResult>;
  /** Steps one engine on one GPU backend in a worker of its own, counting its dispatches. */
  probeGpuSteps(spec: GpuProbeSpec): Promise<GpuProbeResult>;
  /** Terminates the training worker (between backends, to free its memory). */
  resetWorker(): void;
}
