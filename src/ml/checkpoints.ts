import * as tf from '@tensorflow/tfjs-core';
import { explosionLimit, type RestoredWeights } from '../core/divergence.ts';
import { restoreMlp, snapshotMlp, type Mlp } from './mlp.ts';

/**
 * The last good weights of a run, so a diverged run (a NaN, ∞ or exploded loss, see
 * `core/divergence.ts`) still ends with weights that can be evaluated and drawn with. Checking a
 * weight tensor for NaN would mean reading it back; instead the batch losses the loop reads anyway
 * are the proof: the loss of step s+1 is computed from the weights after step s, so a good loss
 * there (and a NaN or ∞ weight poisons every logit, since 0·NaN = NaN) shows those weights were
 * good. "Good" is finite and below {@link explosionLimit} of the first loss read.
 *
 * At most two copies of the model state are held: the newest *confirmed* one (initially the
 * weights the run started from, step 0) and one *candidate* taken every `every` steps, which
 * becomes confirmed once a later finite loss is read back. Copies are `tf.clone`s of the model's
 * variables, which cost no transfer; the fused engine syncs its weights into them first.
 */
export class WeightCheckpoints {
  private confirmed: Checkpoint;
  private candidate: Checkpoint | null = null;
  /** The first batch loss read, which sets the explosion limit; NaN until then. */
  private first = Number.NaN;
  private limit = Number.POSITIVE_INFINITY;

  /**
   * Snapshots `model` now as step 0. `sync` makes the model's variables current (the fused
   * engine's `syncModel`); `every` is the spacing of candidates in steps (≥ 1).
   */
  constructor(
    private readonly model: Mlp,
    private readonly sync: () => void,
    private readonly every: number,
  ) {
    this.confirmed = { step: 0, epoch: 1, tensors: snapshotMlp(model) };
  }

  /** After step `step` of `epoch`: takes a candidate when one is due and none is waiting. */
  afterStep(step: number, epoch: number): void {
    if (this.candidate !== null || step - this.confirmed.step < this.every) return;
    this.sync();
    this.candidate = { step, epoch, tensors: snapshotMlp(this.model) };
  }

  /** The first batch loss read (NaN before any), the scale of {@link isBad}. */
  get firstLoss(): number {
    return this.first;
  }

  /** NaN, ∞, or past the explosion limit (set by the first loss read). */
  isBad(loss: number): boolean {
    return !Number.isFinite(loss) || loss > this.limit;
  }

  /**
   * Losses read back for `steps` (ascending, consecutive): returns the first bad one (see
   * {@link isBad}), or null. The good losses before it confirm the candidate when they come after it.
   */
  check(steps: ArrayLike<number>, losses: ArrayLike<number>): { step: number; value: number } | null {
    let lastGood = -1;
    let bad: { step: number; value: number } | null = null;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] ?? 0;
      const value = losses[i] ?? Number.NaN;
      if (Number.isNaN(this.first) && Number.isFinite(value)) {
        this.first = value;
        this.limit = explosionLimit(value);
      }
      if (this.isBad(value)) {
        bad = { step, value };
        break;
      }
      lastGood = step;
    }
    const candidate = this.candidate;
    if (candidate !== null && candidate.step < lastGood) {
      tf.dispose(this.confirmed.tensors);
      this.confirmed = candidate;
      this.candidate = null;
    }
    return bad;
  }

  /**
   * Writes the newest confirmed weights into the model (call after the engine's last sync, which
   * would overwrite them) and says which they are.
   */
  restore(): RestoredWeights {
    restoreMlp(this.model, this.confirmed.tensors);
    return { step: this.confirmed.step, epoch: this.confirmed.epoch };
  }

  dispose(): void {
    tf.dispose(this.confirmed.tensors);
    if (this.candidate !== null) tf.dispose(this.candidate.tensors);
    this.candidate = null;
  }
}

interface Checkpoint {
  readonly step: number;
  readonly epoch: number;
  readonly tensors: tf.Tensor[];
}

/** Steps between candidates: about ten an epoch, so a diverged run loses at most a tenth of one. */
export function checkpointSpacing(batchesPerEpoch: number): number {
  return Math.max(1, Math.ceil(batchesPerEpoch / 10));
}
