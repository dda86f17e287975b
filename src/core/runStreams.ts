import { SeededRandom } from './random.ts';

/**
 * The independent random streams of one run, all derived from `config.seed`. Each concern has
 * its own stream so that changing one knob does not shift the randomness of another: a variant
 * with dropout, a wider layer or a different batch size still sees the training examples in the
 * same order, and variants with the same architecture start from the same weights. That is what
 * makes a comparison fair (see `core/comparison.ts`).
 */
export interface RunStreams {
  /** Initial kernels, drawn layer by layer. */
  readonly init: SeededRandom;
  /**
   * One permutation of the training examples per epoch (`ml/dataOrder.ts`, which also hashes
   * the first epoch's for the data-order fingerprint).
   */
  readonly shuffle: SeededRandom;
  readonly augment: SeededRandom;
  readonly dropout: SeededRandom;
  /** Which training labels the label-noise knob replaces, and by what (`core/labelNoise.ts`). */
  readonly labelNoise: SeededRandom;
}

/** XOR masks that split one seed into the streams (the split itself uses `seed ^ 0x5eed5`). */
const SHUFFLE_MASK = 0x5f1e0a;
const AUGMENT_MASK = 0xa06e47;
const DROPOUT_MASK = 0xd20f0;
/** Exported for the PyTorch script, which ports the label noise and so must seed it alike. */
export const LABEL_NOISE_MASK = 0x1abe1;

export function runStreams(seed: number): RunStreams {
  const s = seed >>> 0;
  return {
    init: new SeededRandom(s),
    shuffle: new SeededRandom((s ^ SHUFFLE_MASK) >>> 0),
    augment: new SeededRandom((s ^ AUGMENT_MASK) >>> 0),
    dropout: new SeededRandom((s ^ DROPOUT_MASK) >>> 0),
    labelNoise: new SeededRandom((s ^ LABEL_NOISE_MASK) >>> 0),
  };
}
