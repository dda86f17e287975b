import type { IDBPTransaction } from 'idb';
import {
  collectionPhrases,
  toCollectionError,
  unavailableError,
  type CollectionWording,
} from './collectionErrors.ts';
import { browserIndexedDb, guardConnection, openDatabase, type DatabaseVersion } from './idbConnection.ts';

/**
 * A collection of records kept in this browser's IndexedDB so they survive a reload: the run
 * history and the saved models are two instances. Storage can hold anything (an older app
 * version, a hand edit, a bug), so every value is validated by the collection's reader when read;
 * values that fail are skipped and counted, never deleted, so a later version that understands
 * them still finds them. Every error leaving a collection is a `CollectionError` whose message a
 * person can act on (see `collectionErrors.ts`).
 */

/** What a stored value is, once read: the record, or what is wrong with it. */
export type ReadResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** One collection: where it is stored, how it is listed and read, and how its messages name it. */
export interface CollectionSpec<T> extends DatabaseVersion {
  /** The store that is listed; its values are keyed by their `id`. */
  readonly store: string;
  /** Stores holding further parts of the same records under the same key (deleted with them). */
  readonly parts?: readonly string[];
  /**
   * An index of `store` over a timestamp: listing goes newest first by it (ties: key descending).
   * A value missing from the index is counted by the store, so it is counted as skipped.
   */
  readonly newestFirstBy: string;
  /** Accepts a stored value of `store`, or says what is wrong with it. */
  readonly read: (value: unknown) => ReadResult<T>;
  readonly wording: CollectionWording;
}

export interface Listing<T> {
  /** Valid records, newest first. */
  readonly items: T[];
  /** Stored values that failed validation; left in place. */
  readonly skipped: number;
}

/** One transaction of a collection, over some of its stores, typed by its mode. */
export type CollectionTransaction<Mode extends IDBTransactionMode> = IDBPTransaction<unknown, string[], Mode>;

/** An open collection: one connection, closed with {@link IdbCollection.close}. */
export interface IdbCollection<T> {
  /** Newest first; stored values the reader refuses are skipped (counted), never deleted. */
  list(): Promise<Listing<T>>;
  /**
   * Puts each value into its store (the listed store or a part) in one transaction, replacing
   * what is stored under the same key. Callers validate first.
   */
  write(values: Readonly<Record<string, unknown>>): Promise<void>;
  /** Deletes the record and its parts; deleting an id that is not there is not an error. */
  remove(id: string): Promise<void>;
  /**
   * Runs `action` in one transaction over `stores`; whatever it throws (an IndexedDB failure or
   * a `CollectionError` of its own) comes out as a readable `CollectionError`. Throwing inside
   * leaves a transaction without writes to commit with none.
   */
  transact<R, Mode extends IDBTransactionMode>(
    stores: readonly string[],
    mode: Mode,
    action: (tx: CollectionTransaction<Mode>) => Promise<R>,
  ): Promise<R>;
  /** Later calls fail with a readable message. */
  close(): void;
}

export interface OpenCollectionOptions {
  /** The IndexedDB to use; defaults to the browser's. Tests pass `new IDBFactory()` from fake-indexeddb. */
  readonly factory?: IDBFactory;
  /** Database name; defaults to the spec's. */
  readonly name?: string;
}

/**
 * Opens (creating or upgrading as needed) the collection `spec` describes. Rejects with a
 * `CollectionError` of failure `unavailable`, `blocked` or `quota` when it cannot be used.
 */
export async function openIdbCollection<T>(
  spec: CollectionSpec<T>,
  options: OpenCollectionOptions = {},
): Promise<IdbCollection<T>> {
  const { wording } = spec;
  const factory = options.factory ?? browserIndexedDb();
  if (factory === undefined) {
    throw unavailableError(
      new Error('this browser does not provide IndexedDB (some private modes turn it off)'),
      wording,
    );
  }
  const database = await openDatabase(factory, { ...spec, name: options.name ?? spec.name }, wording);
  const { connection, closeWith } = guardConnection(database, wording);
  const allStores = [spec.store, ...(spec.parts ?? [])];

  const transact = async <R, Mode extends IDBTransactionMode>(
    stores: readonly string[],
    mode: Mode,
    action: (tx: CollectionTransaction<Mode>) => Promise<R>,
  ): Promise<R> => {
    try {
      return await action(connection().transaction([...stores], mode));
    } catch (error) {
      throw toCollectionError(error, wording);
    }
  };

  return {
    list: () =>
      transact([spec.store], 'readonly', async (tx) => {
        const store = tx.objectStore(spec.store);
        // Oldest first by the index; reversed below.
        const [indexed, total]: [unknown[], number, void] = await Promise.all([
          store.index(spec.newestFirstBy).getAll(),
          store.count(),
          tx.done,
        ]);
        const items = indexed.flatMap((value) => {
          const read = spec.read(value);
          return read.ok ? [read.value] : [];
        });
        items.reverse();
        return { items, skipped: total - items.length };
      }),

    write: (values) =>
      transact(Object.keys(values), 'readwrite', async (tx) => {
        const puts = Object.entries(values).map(([store, value]) => tx.objectStore(store).put(value));
        await Promise.all([...puts, tx.done]);
      }),

    remove: (id) =>
      transact(allStores, 'readwrite', async (tx) => {
        await Promise.all([...allStores.map((store) => tx.objectStore(store).delete(id)), tx.done]);
      }),

    transact,

    close: () => closeWith(collectionPhrases(wording).closed),
  };
}
