import { shortName } from './displayNames.ts';
import { layerSizes, type OptimizerConfig, type TrainingConfig } from './config.ts';

/**
 * One-line descriptions of a config, for places that list many runs side by side (the run
 * history, comparison legends) and so have no room for the full form. They name what most often
 * tells two runs apart: shape, optimizer and rate, batch, length, label noise (only when on) and
 * seed.
 */

/** Layer widths from input to output joined by dashes, e.g. "784-128-64-10". */
export function architectureOf(config: TrainingConfig): string {
  return layerSizes(config).join('-');
}

/**
 * The optimizer's short name; momentum says whether it is Nesterov's, which the kind alone does
 * not ("SGD momentum" / "SGD Nesterov"), since two history rows may differ only in that.
 */
function optimizerShort(optimizer: OptimizerConfig): string {
  if (optimizer.kind === 'momentum') return optimizer.nesterov ? 'SGD Nesterov' : 'SGD momentum';
  return shortName(optimizer.kind);
}

/**
 * The batch as the config asks for it, not as the data allows: "full batch" and "batch 1" say
 * which gradient-descent kind was chosen, which a bare number would hide.
 */
function batchShort(config: TrainingConfig): string {
  switch (config.training.gradientDescent) {
    case 'stochastic':
      return 'batch 1';
    case 'fullBatch':
      return 'full batch';
    case 'miniBatch':
      return `batch ${config.training.batchSize}`;
  }
}

/**
 * E.g. "784-128-64-10 · Adam lr 0.001 · batch 128 · 5 epochs · seed 42". The learning rate is
 * printed as JavaScript writes it (0.001, 1e-7), so the value is exact rather than rounded.
 */
export function describeConfigShort(config: TrainingConfig): string {
  const { epochs } = config.training;
  return [
    architectureOf(config),
    `${optimizerShort(config.optimizer)} lr ${String(config.optimizer.learningRate)}`,
    batchShort(config),
    `${epochs} ${epochs === 1 ? 'epoch' : 'epochs'}`,
    // A stored record from before the knob existed has no such field: no noise.
    ...((config.data.labelNoise ?? 0) > 0 ? [`label noise ${config.data.labelNoise}`] : []),
    `seed ${config.seed}`,
  ].join(' · ');
}
