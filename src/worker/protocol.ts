import type { BackendChoice, BackendName } from '../core/backends.ts';
import type { TrainingConfig } from '../core/config.ts';

export type { BackendChoice, BackendName };

/**
 * The typed protocol between the page and the training worker. Both sides import these types;
 * every message carries the `runId` of the session it belongs to, so the page can drop events of
 * a run it has already abandoned. Typed arrays in events are transferred, not copied.
 */

/** Page → worker. */
export type WorkerCommand =
  /** Load MNIST and bring up a backend ahead of training, so Train starts at once. */
  | { readonly type: 'prepare'; readonly runId: string; readonly backend: BackendChoice }
  | {
      readonly type: 'start';
      readonly runId: string;
      readonly backend: BackendChoice;
      readonly config: TrainingConfig;
    }
  | { readonly type: 'pause'; readonly runId: string }
  | { readonly type: 'resume'; readonly runId: string }
  | { readonly type: 'stop'; readonly runId: string };

export interface BackendInfo {
  readonly name: BackendName;
  /** Whether the page is cross-origin isolated (needed for WASM threads). */
  readonly crossOriginIsolated: boolean;
  /** WASM worker threads in use; 1 for other backends. */
  readonly threads: number;
  /** Why other backends were skipped on the way to this one (auto mode), or other notes. */
  readonly notes: readonly string[];
}

/**
 * A batch of per-batch training points since the last event (throttled to ~10/s).
 * `steps[i]` is the global step (1-based), `losses[i]` the batch's mean loss,
 * `accuracies[i]` its accuracy in [0, 1].
 */
export interface BatchPoints {
  readonly steps: Uint32Array;
  readonly losses: Float32Array;
  readonly accuracies: Float32Array;
}

/** Worker → page. */
export type WorkerEvent =
  | {
      readonly type: 'data-progress';
      readonly runId: string;
      readonly loadedBytes: number;
      readonly totalBytes: number;
    }
  | {
      readonly type: 'data-ready';
      readonly runId: string;
      readonly trainCount: number;
      readonly testCount: number;
      readonly loadMs: number;
    }
  | { readonly type: 'backend-ready'; readonly runId: string; readonly backend: BackendInfo }
  | {
      readonly type: 'run-started';
      readonly runId: string;
      readonly epochs: number;
      readonly batchesPerEpoch: number;
      readonly trainingExamples: number;
      readonly validationExamples: number;
      readonly parameterCount: number;
    }
  | {
      readonly type: 'batch';
      readonly runId: string;
      readonly epoch: number;
      /** Batches finished in the current epoch. */
      readonly batchInEpoch: number;
      readonly points: BatchPoints;
      readonly examplesPerSecond: number;
    }
  | {
      readonly type: 'epoch';
      readonly runId: string;
      readonly epoch: number;
      readonly step: number;
      readonly validationLoss: number | null;
      readonly validationAccuracy: number | null;
      readonly epochMs: number;
    }
  | { readonly type: 'paused'; readonly runId: string }
  | { readonly type: 'resumed'; readonly runId: string }
  | { readonly type: 'evaluating'; readonly runId: string }
  | {
      readonly type: 'run-finished';
      readonly runId: string;
      /** True when the user pressed Stop before the last epoch. */
      readonly stopped: boolean;
      readonly testLoss: number;
      readonly testAccuracy: number;
      readonly trainMs: number;
    }
  | { readonly type: 'error'; readonly runId: string; readonly message: string };

export type WorkerEventType = WorkerEvent['type'];

/** Typed arrays in an event that can be transferred instead of copied. */
export function transferablesOf(event: WorkerEvent): Transferable[] {
  if (event.type !== 'batch') return [];
  const { steps, losses, accuracies } = event.points;
  return [steps.buffer, losses.buffer, accuracies.buffer] as Transferable[];
}
