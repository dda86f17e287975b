import { MNIST_CLASSES, MNIST_PIXELS, type LabelledImages } from './idx.ts';

/**
 * Extra training images that travel with one `start` command rather than in the config: "My
 * digits" (drawings kept in this browser only), mixed into the training split. Not config,
 * because a shared link or an exported config must not claim drawings the receiver does not have.
 * Each drawing is repeated, so a dozen of them still count against tens of thousands of MNIST
 * images. Pure: checking what arrives from the page, and appending the rows to the training file.
 */

/** A drawing is repeated 1–100 times; 10 by default (a dozen drawings then weigh ~120 rows). */
export const EXTRA_REPEAT = { min: 1, max: 100, default: 10 } as const;

/** At most this many rows (drawings × repeat) are added: as many as MNIST's training file has. */
export const MAX_EXTRA_ROWS = 60_000;

/** The drawings a run mixes into its training split, as the `start` command carries them. */
export interface ExtraTraining {
  /** `[n · 784]` bytes, 28×28 each, ink high (the pad's MNIST-style preprocessing). */
  readonly images: Uint8Array;
  /** `[n]` classes 0–9. */
  readonly labels: Uint8Array;
  /** Each drawing joins the training split this many times ({@link EXTRA_REPEAT}). */
  readonly repeat: number;
}

/** What a run's records say of its extra images: how many drawings, each repeated how often. */
export interface MixedIn {
  readonly drawings: number;
  readonly repeat: number;
}

/** What a run's records keep of `extra` (the images stay out of them). */
export const mixedInOf = (extra: ExtraTraining): MixedIn => ({
  drawings: extra.labels.length,
  repeat: extra.repeat,
});

/** The largest repeat that keeps `drawings` within {@link MAX_EXTRA_ROWS}, and within 1–100. */
export function cappedRepeat(drawings: number, repeat: number): number {
  const wanted = Math.min(EXTRA_REPEAT.max, Math.max(EXTRA_REPEAT.min, Math.round(repeat)));
  if (drawings <= 0) return wanted;
  return Math.max(1, Math.min(wanted, Math.floor(MAX_EXTRA_ROWS / drawings)));
}

/**
 * Why `extra` cannot be trained on, or null. The page's value crosses a `postMessage`, so the
 * worker checks it whole before a run starts and refuses it with this message.
 */
export function extraTrainingProblem(extra: ExtraTraining): string | null {
  const { images, labels, repeat } = extra;
  if (!(images instanceof Uint8Array) || !(labels instanceof Uint8Array))
    return 'Extra training images: images and labels must be byte arrays.';
  const n = labels.length;
  if (n === 0) return 'Extra training images: there are none to mix in.';
  if (images.length !== n * MNIST_PIXELS)
    return `Extra training images: ${n} labels need ${n * MNIST_PIXELS} bytes of images (${n} × 784), not ${images.length}.`;
  const badLabel = labels.findIndex((label) => label >= MNIST_CLASSES);
  if (badLabel >= 0)
    return `Extra training images: label ${badLabel + 1} is ${labels[badLabel]}; labels must be digits 0–9.`;
  if (!Number.isInteger(repeat) || repeat < EXTRA_REPEAT.min || repeat > EXTRA_REPEAT.max)
    return `Extra training images: repeat must be a whole number ${EXTRA_REPEAT.min}–${EXTRA_REPEAT.max}, not ${repeat}.`;
  if (n * repeat > MAX_EXTRA_ROWS)
    return `Extra training images: ${n} drawings × ${repeat} = ${n * repeat} rows, more than ${MAX_EXTRA_ROWS}.`;
  return null;
}

/** Rows `extra` adds to the training split: every drawing `repeat` times. */
export const extraRowCount = (extra: ExtraTraining): number => extra.labels.length * extra.repeat;

/**
 * `train` with `extra`'s drawings appended as new rows `train.count …`, drawing-major (drawing 0
 * `repeat` times, then drawing 1, …), and the rows they occupy (`[n · repeat]`, ascending), which
 * the caller adds to the training split before the seeded shuffle. Each repeat is a row of its
 * own, so label noise and augmentation treat every copy as one more training example. `train`
 * itself is not changed (the copy costs one training file while the run lasts).
 */
export function appendExtraTraining(
  train: LabelledImages,
  extra: ExtraTraining,
): { readonly images: LabelledImages; readonly rows: Int32Array } {
  const added = extraRowCount(extra);
  const count = train.count + added;
  const pixels = new Uint8Array(count * MNIST_PIXELS);
  pixels.set(train.pixels.subarray(0, train.count * MNIST_PIXELS));
  const labels = new Uint8Array(count);
  labels.set(train.labels.subarray(0, train.count));
  const rows = new Int32Array(added);
  for (let i = 0; i < added; i++) {
    const drawing = Math.floor(i / extra.repeat);
    const row = train.count + i;
    rows[i] = row;
    labels[row] = extra.labels[drawing] ?? 0;
    pixels.set(
      extra.images.subarray(drawing * MNIST_PIXELS, (drawing + 1) * MNIST_PIXELS),
      row * MNIST_PIXELS,
    );
  }
  return { images: { count, pixels, labels }, rows };
}

/** E.g. "+12 my digits ×10": how run names and legends tell a run with drawings mixed in apart. */
export function describeMixedIn({ drawings, repeat }: MixedIn): string {
  return `+${drawings} my ${drawings === 1 ? 'digit' : 'digits'} ×${repeat}`;
}
