import type { TrainingConfig } from './config.ts';

/**
 * Learning-rate schedules as a pure function of training progress, so the worker, the CLI and
 * the charts agree on the rate at any point of a run without sharing optimizer state.
 */

/**
 * The learning rate for the step taken at `fractionOfEpoch` ∈ [0, 1) of `epoch` (1-based).
 *
 * - `constant`: `optimizer.learningRate`.
 * - `step`: `lr · gamma^floor((epoch − 1) / stepEpochs)`, constant within an epoch (PyTorch
 *   `StepLR` stepped once per epoch).
 * - `cosine`: `minLR + (lr − minLR) · (1 + cos(π · t / T)) / 2` with `t = epoch − 1 +
 *   fractionOfEpoch` and `T = training.epochs`, evaluated **per step** (smooth within an epoch, like
 *   `CosineAnnealingLR` with `T_max` = total steps); it starts at `lr` and reaches `minLR` only
 *   after the last step.
 */
export function learningRateAt(config: TrainingConfig, epoch: number, fractionOfEpoch = 0): number {
  const base = config.optimizer.learningRate;
  const schedule = config.schedule;
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.gamma ** Math.floor(Math.max(0, epoch - 1) / schedule.stepEpochs);
    case 'cosine': {
      const total = config.training.epochs;
      const t = Math.min(Math.max(0, epoch - 1 + fractionOfEpoch), total);
      const min = schedule.minLearningRate;
      return min + ((base - min) * (1 + Math.cos((Math.PI * t) / total))) / 2;
    }
  }
}
