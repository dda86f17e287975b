import { CollectionError, toCollectionError, type CollectionWording } from './collectionErrors.ts';
import {
  openIdbCollection,
  type CollectionSpec,
  type IdbCollection,
  type OpenCollectionOptions,
} from './idbCollection.ts';
import { MNIST_PIXELS, type LabelledImages } from '../core/idx.ts';
import { MY_DIGITS_LIMIT, readMyDigit, type MyDigit } from '../core/myDigits.ts';

/**
 * "My digits" in this browser's IndexedDB (their own database, so no other collection's upgrade
 * blocks them): an {@link IdbCollection} of {@link MyDigit}s, one store keyed by `id`, listed
 * newest first by `addedAt`. Everything read back is validated (`readMyDigit`); what fails is
 * skipped and counted, never deleted. Adding many (an import) is one transaction: all or none.
 */

export const MY_DIGITS_DB_NAME = 'mlp-playground-my-digits';
const DIGITS = 'digits';

const MY_DIGITS_WORDING: CollectionWording = {
  title: 'My digits',
  plural: true,
  deletable: 'some of My digits',
};

const MY_DIGITS: CollectionSpec<MyDigit> = {
  name: MY_DIGITS_DB_NAME,
  version: 1,
  upgrade: (database, oldVersion) => {
    if (oldVersion < 1)
      database.createObjectStore(DIGITS, { keyPath: 'id' }).createIndex('addedAt', 'addedAt');
  },
  store: DIGITS,
  newestFirstBy: 'addedAt',
  read: readMyDigit,
  wording: MY_DIGITS_WORDING,
};

export interface MyDigitStore extends Pick<IdbCollection<MyDigit>, 'list' | 'remove' | 'close'> {
  /** Keeps one labelled drawing (`pixels`: `[784]` bytes, copied); returns it as listed. */
  add(label: number, pixels: Uint8Array): Promise<MyDigit>;
  /**
   * Keeps every image of `set` in one transaction, in its order (the first listed oldest), or
   * none: a set that would pass {@link MY_DIGITS_LIMIT} is refused whole. Resolves with the
   * new listing.
   */
  addMany(set: LabelledImages): Promise<readonly MyDigit[]>;
}

/** The message a person should read for any error from My digits (or anything else). */
export function myDigitStoreErrorMessage(error: unknown): string {
  return toCollectionError(error, MY_DIGITS_WORDING).message;
}

let counter = 0;
/**
 * A new key: time, a zero-padded per-page counter (so digits added in the same millisecond, as an
 * import's are, list in the order they were added: ties go by key) and random bits where offered.
 */
function newId(addedAt: number): string {
  counter += 1;
  const parts = ['digit', addedAt.toString(36), String(counter).padStart(9, '0')];
  const random = globalThis.crypto?.randomUUID?.();
  if (random !== undefined) parts.push(random.slice(0, 8));
  return parts.join('-');
}

/** A checked copy of one labelled image, or a `CollectionError` saying what is wrong with it. */
function newDigit(label: number, pixels: Uint8Array, addedAt: number): MyDigit {
  const digit = { id: newId(addedAt), label, pixels: pixels.slice(), addedAt };
  const read = readMyDigit(digit);
  if (!read.ok) throw new CollectionError('invalid', `This digit cannot be kept: ${read.error}`);
  return read.value;
}

function tooMany(stored: number, adding: number): CollectionError {
  return new CollectionError(
    'invalid',
    `My digits hold at most ${MY_DIGITS_LIMIT.toLocaleString('en-US')} drawings; ${stored.toLocaleString('en-US')} are kept and ${adding.toLocaleString('en-US')} more would pass that. Delete some first; nothing was added.`,
  );
}

const changeListeners = new Set<() => void>();

/**
 * Hears every change any store of this page makes to My digits (added, imported, deleted), so a
 * second reader (the Data panel's "Mix My digits into training" count) follows the pad's panel.
 * Returns the function that stops listening.
 */
export function onMyDigitsChanged(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

/** Resolves with `done`'s value once it has, telling the listeners. */
async function announcing<R>(done: Promise<R>): Promise<R> {
  const value = await done;
  for (const listener of changeListeners) listener();
  return value;
}

/** Opens (creating as needed) My digits; rejects with a `CollectionError` when unusable. */
export async function openMyDigitStore(options: OpenCollectionOptions = {}): Promise<MyDigitStore> {
  const collection = await openIdbCollection(MY_DIGITS, options);

  /** Puts `digits` in one transaction, or none when they would pass the limit. */
  const putAll = (digits: readonly MyDigit[]) =>
    collection.transact([DIGITS], 'readwrite', async (tx) => {
      const store = tx.objectStore(DIGITS);
      const stored = await store.count();
      // Thrown before any put: the transaction commits nothing.
      if (stored + digits.length > MY_DIGITS_LIMIT) throw tooMany(stored, digits.length);
      await Promise.all([...digits.map((digit) => store.put(digit)), tx.done]);
    });

  return {
    list: collection.list,
    remove: (id) => announcing(collection.remove(id)),
    close: collection.close,
    add: async (label, pixels) => {
      const digit = newDigit(label, pixels, Date.now());
      await announcing(putAll([digit]));
      return digit;
    },
    addMany: async (set) => {
      if (set.labels.length !== set.count || set.pixels.length !== set.count * MNIST_PIXELS) {
        throw new CollectionError('invalid', 'These digits cannot be kept: images and labels do not match.');
      }
      const addedAt = Date.now();
      const digits = Array.from(set.labels, (label, i) =>
        newDigit(label, set.pixels.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), addedAt),
      );
      await announcing(putAll(digits));
      return (await collection.list()).items;
    },
  };
}
