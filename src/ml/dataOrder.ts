import { Fingerprint } from '../core/fingerprint.ts';
import type { SeededRandom } from '../core/random.ts';

/**
 * The order each epoch visits the training examples: one permutation of the training positions
 * `0 … count−1` per epoch, drawn in turn from the run's shuffle stream (`core/runStreams.ts`), so
 * the same seed gives the same orders whatever the model, batch size or optimizer.
 *
 * The first epoch's permutation is drawn up front, when the run is set up, so that the run's
 * data-order fingerprint (reported in `run-started`, before any step) hashes the very array the
 * loop then slices its first epoch's batches from: a comparison's "saw the same data order"
 * check compares what the runs used, not a recomputation.
 */
export class EpochOrders {
  /** `[count]` positions of epoch 1, until the loop takes them. */
  private firstEpoch: Int32Array | null;
  /** {@link dataOrderFingerprint} of epoch 1's order. */
  readonly fingerprint: string;
  /** Training examples per epoch. */
  readonly count: number;

  /**
   * `trainIndices` maps positions to MNIST rows (`[count]`); `shuffle` is the run's shuffle
   * stream, used for nothing else.
   */
  constructor(
    private readonly shuffle: SeededRandom,
    trainIndices: Int32Array,
  ) {
    this.count = trainIndices.length;
    this.firstEpoch = shuffle.permutation(this.count);
    this.fingerprint = dataOrderFingerprint(this.firstEpoch, trainIndices);
  }

  /**
   * The next epoch's `[count]` positions, in visiting order; call once per epoch, epoch 1 first
   * (it returns the array the fingerprint hashed).
   */
  next(): Int32Array {
    const first = this.firstEpoch;
    if (first === null) return this.shuffle.permutation(this.count);
    this.firstEpoch = null;
    return first;
  }
}

/**
 * Fingerprint of the order an epoch visits the training examples: the MNIST row of each position
 * in `order`, `trainIndices[order[i]]`, hashed in visiting order (FNV-1a over the `Int32Array` of
 * rows). Equal for two runs exactly when they visit the same rows in the same order.
 */
export function dataOrderFingerprint(order: Int32Array, trainIndices: Int32Array): string {
  const rows = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) rows[i] = trainIndices[order[i] as number] as number;
  return new Fingerprint().addArray(rows).hex();
}
