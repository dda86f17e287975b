import { z } from 'zod';
import {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  IdxFormatError,
  MNIST_CLASSES,
  MNIST_PIXELS,
  pairImagesWithLabels,
  parseIdxImages,
  parseIdxLabels,
  writeIdxImages,
  writeIdxLabels,
  type LabelledImages,
} from './idx.ts';

/**
 * "My digits": digits a person drew on the pad and labelled, kept in this browser as a small test
 * set of their own. Pure: what a stored digit is (and how a stored value is checked), how the set
 * travels as a pair of MNIST IDX files, and how a model's answers on it are scored. The store is
 * `client/myDigitStore.ts`, the panel `ui/draw/MyDigitsPanel.tsx`.
 */

/** At most this many digits are kept: a set to test on by hand, not a second MNIST (784 B each). */
export const MY_DIGITS_LIMIT = 2_000;

/** One labelled drawing, as stored. */
export interface MyDigit {
  /** The key it is stored under. */
  readonly id: string;
  /** The digit the person says it is, 0–9. */
  readonly label: number;
  /** `[784]` bytes, the pad's MNIST-style preprocessing (`core/digitPreprocess.ts`), ink high. */
  readonly pixels: Uint8Array;
  /** When it was added (ms since the epoch); the list is newest first by it. */
  readonly addedAt: number;
}

/** A stored value read back: the digit, or what is wrong with it. */
export type MyDigitRead =
  { readonly ok: true; readonly value: MyDigit } | { readonly ok: false; readonly error: string };

const myDigitSchema = z.strictObject({
  id: z.string().min(1).max(200),
  label: z
    .number()
    .int('must be a digit 0–9')
    .min(0, 'must be a digit 0–9')
    .max(MNIST_CLASSES - 1, 'must be a digit 0–9'),
  pixels: z
    .instanceof(Uint8Array)
    .refine((pixels) => pixels.length === MNIST_PIXELS, `must be ${MNIST_PIXELS} bytes (28×28)`),
  addedAt: z.number().finite().nonnegative(),
});

/**
 * Accepts a stored value as a {@link MyDigit}, or says what is wrong with it. Storage can hold
 * anything (an older version, a hand edit), so the store reads every value through this.
 */
export function readMyDigit(value: unknown): MyDigitRead {
  const parsed = myDigitSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') ?? '';
  return { ok: false, error: `${where === '' ? 'value' : where}: ${issue?.message ?? 'invalid'}` };
}

/** The two files of an exported set, named as MNIST names its own. */
export interface MyDigitsIdxFiles {
  readonly images: { readonly name: string; readonly bytes: Uint8Array };
  readonly labels: { readonly name: string; readonly bytes: Uint8Array };
}

/**
 * Writes `digits` as an IDX3 images file (`[count, 28, 28]` bytes) and an IDX1 labels file
 * (`[count]`), in the order given (the panel passes oldest first, so an import lists them as they
 * were). Any MNIST loader reads the pair, and so does {@link myDigitsFromIdx}.
 */
export function myDigitsToIdx(digits: readonly Pick<MyDigit, 'label' | 'pixels'>[]): MyDigitsIdxFiles {
  const pixels = new Uint8Array(digits.length * MNIST_PIXELS);
  digits.forEach((digit, i) => pixels.set(digit.pixels, i * MNIST_PIXELS));
  const labels = Uint8Array.from(digits, (digit) => digit.label);
  return {
    images: { name: 'my-digits-images-idx3-ubyte', bytes: writeIdxImages(pixels, digits.length) },
    labels: { name: 'my-digits-labels-idx1-ubyte', bytes: writeIdxLabels(labels) },
  };
}

/** A file chosen for import: its name (for messages) and contents. */
export interface ChosenFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The big-endian magic number at the start of a file, or null when it is shorter than 4 bytes. */
function magicOf(bytes: Uint8Array): number | null {
  return bytes.length < 4 ? null : new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
}

/**
 * Reads a pair of IDX files (an images file and a labels file, in either order: they are told
 * apart by their magic numbers, not their names) into a labelled set. Throws an
 * {@link IdxFormatError} that names the file and the problem: not two files, not one of each
 * kind, images that are not 28×28, labels outside 0–9, counts that differ, truncated files.
 */
export function myDigitsFromIdx(files: readonly ChosenFile[]): LabelledImages {
  if (files.length !== 2) {
    throw new IdxFormatError(
      'My digits',
      `choose two files together, an images file (idx3) and a labels file (idx1); got ${files.length}`,
    );
  }
  const imagesFile = files.find((file) => magicOf(file.bytes) === IDX_IMAGES_MAGIC);
  const labelsFile = files.find((file) => magicOf(file.bytes) === IDX_LABELS_MAGIC);
  if (imagesFile === undefined || labelsFile === undefined) {
    const names = files.map((file) => file.name).join(' and ');
    throw new IdxFormatError(
      names,
      `expected one IDX images file (magic number ${IDX_IMAGES_MAGIC}) and one IDX labels file (magic number ${IDX_LABELS_MAGIC})`,
    );
  }
  const images = parseIdxImages(imagesFile.bytes, imagesFile.name);
  const labels = parseIdxLabels(labelsFile.bytes, labelsFile.name);
  return pairImagesWithLabels(images, labels, `${imagesFile.name} and ${labelsFile.name}`);
}

/** How a model did on My digits. */
export interface MyDigitsScore {
  /** Digits the model was asked about. */
  readonly total: number;
  readonly correct: number;
  /** `correct / total`, or null for an empty set. */
  readonly accuracy: number | null;
  /** The model's answer per digit id (the most probable class). */
  readonly predicted: ReadonlyMap<string, number>;
}

/** The index of the largest probability (the first on ties). */
export function mostProbable(probabilities: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) {
    if ((probabilities[k] ?? -Infinity) > (probabilities[best] ?? -Infinity)) best = k;
  }
  return best;
}

/** Scores a model's class probabilities (`[10]` per digit, in `digits`' order) against the labels. */
export function scoreMyDigits(
  digits: readonly Pick<MyDigit, 'id' | 'label'>[],
  probabilities: readonly ArrayLike<number>[],
): MyDigitsScore {
  if (probabilities.length !== digits.length) {
    throw new Error(`${digits.length} digits but ${probabilities.length} answers`);
  }
  const predicted = new Map<string, number>();
  let correct = 0;
  digits.forEach((digit, i) => {
    const answer = mostProbable(probabilities[i] ?? []);
    predicted.set(digit.id, answer);
    if (answer === digit.label) correct += 1;
  });
  const total = digits.length;
  return { total, correct, accuracy: total === 0 ? null : correct / total, predicted };
}
