import type { PredictorOrigin } from './predictor.ts';

/**
 * Where a run is: the counters every report reads, advanced by the loop after each step, and
 * its training clock. Training time is what the steps and their read-backs took, excluding
 * pauses, step delays, validation and analysis, so examples/s and the time axis of the curves
 * measure training alone.
 */
export class RunProgress {
  /** The epoch in progress (1-based); the last one once training is over. */
  epoch = 1;
  /** Optimisation steps taken (the global step of the latest one; 0 before the first). */
  step = 0;
  /** Training examples seen, counted per step (a short last batch counts its own size). */
  examples = 0;
  /** Learning rate of the latest step; NaN before the first. */
  learningRate = Number.NaN;
  /** Training time of the completed (or ended) epochs, ms. */
  private closedEpochsMs = 0;
  /** Training time of the epoch in progress so far, ms. */
  private openEpochMs = 0;

  /** Counts one step of `size` examples at `learningRate`. */
  advance(size: number, learningRate: number): void {
    this.step += 1;
    this.examples += size;
    this.learningRate = learningRate;
  }

  /** Adds `ms` of training work (a step, or a read-back waiting for queued steps). */
  addTrainingTime(ms: number): void {
    this.openEpochMs += ms;
  }

  /** Training time of the whole run so far, ms. */
  get trainingMs(): number {
    return this.closedEpochsMs + this.openEpochMs;
  }

  /** Ends the epoch's clock: returns its training time (ms), counted into {@link trainingMs}. */
  closeEpoch(): number {
    const epochMs = this.openEpochMs;
    this.closedEpochsMs += epochMs;
    this.openEpochMs = 0;
    return epochMs;
  }

  /** Where the model's current weights are in the run, for a {@link Predictor}. */
  origin(): PredictorOrigin {
    return { epoch: this.epoch, step: this.step };
  }
}
