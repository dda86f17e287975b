import { OPTIMIZER_DEFAULTS, type OptimizerKind } from './config.ts';
import { displayName } from './displayNames.ts';
import { formatCount } from './format.ts';

/**
 * What a run reports when its training loss stops being a number, or explodes: where it happened,
 * which weights it kept instead, and a message naming the likely cause and what to try. Pure, so
 * the loop, the worker protocol, the reducer and the CLI share it.
 */

/**
 * How the loss went bad: NaN, +∞ (the losses here are never negative), or `exploded`: finite but
 * {@link EXPLOSION_FACTOR} times the first batch's loss or more. SGD at learning rate 50 on the
 * default model does that on real MNIST (2.5 → 1,854 → 7·10⁹ in three steps) and never reaches
 * NaN: its ReLUs die and the loss sinks back to ≈ 14 at chance accuracy, diverged all the same.
 */
export type DivergedLoss = 'NaN' | 'Infinity' | 'exploded';

/**
 * A batch loss this many times the first one (or 1, if that was smaller) counts as diverged. No
 * healthy run comes near it: a spike of a noisy step is a few times the loss, not ten thousand.
 */
export const EXPLOSION_FACTOR = 1e4;

/** The loss above which a batch counts as diverged, given the run's first batch loss. */
export function explosionLimit(firstLoss: number): number {
  return EXPLOSION_FACTOR * Math.max(1, firstLoss);
}

/** Where the kept weights come from: `step` 0 is the weights the run started from. */
export interface RestoredWeights {
  readonly step: number;
  readonly epoch: number;
}

export interface Divergence {
  /** Global step (1-based) of the first non-finite batch loss. */
  readonly step: number;
  /** Epoch (1-based) of that step. */
  readonly epoch: number;
  readonly loss: DivergedLoss;
  /** The batch loss at `step` (NaN, ∞ or the exploded value). */
  readonly value: number;
  /** The first batch's loss, for scale. */
  readonly firstLoss: number;
  /** The learning rate of the step. */
  readonly learningRate: number;
  /** Which weights the run kept: `'initial weights'` or e.g. `'step 30 (epoch 1)'`. */
  readonly restored: string;
  /** The step of the kept weights (0 = the initial weights). */
  readonly restoredStep: number;
  /** One paragraph for people: what happened, the likely cause, what to try, what was kept. */
  readonly message: string;
}

/** 0.000316227… → "0.0003162"; 50 → "50". */
function rate(value: number): string {
  return String(Number(value.toPrecision(4)));
}

export function divergedKind(value: number): DivergedLoss {
  if (Number.isNaN(value)) return 'NaN';
  return Number.isFinite(value) ? 'exploded' : 'Infinity';
}

/** 7.36e9 → "7.4e+9"; 2.49 → "2.5"; 1854.7 → "1,855". */
export function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1e6) return value.toExponential(1);
  return Math.abs(value) >= 100 ? formatCount(value) : String(Number(value.toPrecision(2)));
}

/** "NaN", "Infinity" or "7.4e+9": the bad loss in a few characters. */
export function divergedLossText(divergence: Pick<Divergence, 'loss' | 'value'>): string {
  return divergence.loss === 'exploded' ? formatLoss(divergence.value) : divergence.loss;
}

/** `'initial weights'` or `'step 1,234 (epoch 3)'`. */
export function restoredLabel(restored: RestoredWeights): string {
  return restored.step === 0
    ? 'initial weights'
    : `step ${formatCount(restored.step)} (epoch ${restored.epoch})`;
}

/**
 * The likely cause and a suggestion. Above the optimizer's usual rate (PyTorch's default, which
 * the presets use) the rate is the suspect; at or below it, the rate is still the first knob to
 * turn, but the message says the rate is not unusual.
 */
function suggestion(optimizer: OptimizerKind, learningRate: number): string {
  const name = displayName(optimizer);
  const usual = OPTIMIZER_DEFAULTS[optimizer].learningRate;
  const orAdam = optimizer === 'adam' || optimizer === 'adamw' ? '' : ', or Adam at 0.001';
  if (learningRate > usual) {
    return `The learning rate ${rate(learningRate)} is probably too high for ${name} — try ${rate(usual)}${orAdam}.`;
  }
  return (
    `The learning rate ${rate(learningRate)} is not unusually high for ${name}, yet the updates blew up — ` +
    `try ${rate(learningRate / 10)}${orAdam}, or batch norm and the default (He) initialisation.`
  );
}

/** The {@link Divergence} of a run whose batch loss at `step` was `value` (NaN, ∞ or exploded). */
export function describeDivergence(options: {
  readonly step: number;
  readonly epoch: number;
  readonly value: number;
  readonly firstLoss: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerKind;
  readonly restored: RestoredWeights;
}): Divergence {
  const { step, epoch, value, firstLoss, learningRate, optimizer, restored } = options;
  const loss = divergedKind(value);
  const what =
    loss === 'exploded'
      ? `The loss exploded to ${formatLoss(value)} at step ${formatCount(step)} (epoch ${epoch}), from ${formatLoss(firstLoss)} at the start`
      : `The loss became ${loss} at step ${formatCount(step)} (epoch ${epoch})`;
  const label = restoredLabel(restored);
  const kept =
    restored.step === 0
      ? 'The run kept its initial weights (nothing later was checked good), so the results below are theirs.'
      : `The run kept the weights of ${label}, the last checked good before it went bad; the results below are theirs.`;
  return {
    step,
    epoch,
    loss,
    value,
    firstLoss,
    learningRate,
    restored: label,
    restoredStep: restored.step,
    message: `${what}: training diverged. ` + `${suggestion(optimizer, learningRate)} ${kept}`,
  };
}
