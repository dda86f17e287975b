import { CollectionError, toCollectionError, type CollectionWording } from './collectionErrors.ts';
import {
  openIdbCollection,
  type CollectionSpec,
  type IdbCollection,
  type OpenCollectionOptions,
} from './idbCollection.ts';
import { parseRunRecord, type RunRecord } from '../core/runRecord.ts';

/**
 * The run history: finished runs kept in this browser's IndexedDB so they survive a reload and
 * can be compared later. An {@link IdbCollection} of run records, each validated with
 * `parseRunRecord` when read; this module adds what only runs have: a checked put and a rename.
 * Every error leaving it is a `CollectionError` whose message a person can act on; see
 * {@link historyErrorMessage}.
 */

export const RUN_HISTORY_DB_NAME = 'mlp-playground';
const RUNS = 'runs';

/** Longest name a rename accepts; the record schema allows more for generated names. */
export const MAX_RUN_NAME_LENGTH = 120;

const HISTORY_WORDING: CollectionWording = {
  title: 'Run history',
  plural: false,
  deletable: 'some past runs',
};

const RUN_HISTORY: CollectionSpec<RunRecord> = {
  name: RUN_HISTORY_DB_NAME,
  version: 1,
  upgrade: (database, oldVersion) => {
    if (oldVersion < 1)
      database.createObjectStore(RUNS, { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
  },
  store: RUNS,
  newestFirstBy: 'createdAt',
  read: (value) => {
    const parsed = parseRunRecord(value);
    return parsed.ok ? { ok: true, value: parsed.record } : parsed;
  },
  wording: HISTORY_WORDING,
};

/** The history as the page uses it: one open connection, closed with `close`. */
export interface RunHistoryStore extends Pick<IdbCollection<RunRecord>, 'list' | 'remove' | 'close'> {
  /** Validates first and throws a readable Error if invalid; an existing record with the same id is replaced. */
  put(record: RunRecord): Promise<void>;
  /** Trims the name; rejects an empty or too long name (see {@link checkRunName}) or an unknown id. */
  rename(id: string, name: string): Promise<RunRecord>;
}

/** A name as a rename would store it, or what is wrong with it (for a field-level message). */
export function checkRunName(name: string): { ok: true; name: string } | { ok: false; error: string } {
  const trimmed = name.trim();
  if (trimmed === '') return { ok: false, error: 'Name must not be empty' };
  if (trimmed.length > MAX_RUN_NAME_LENGTH) {
    return {
      ok: false,
      error: `Name must be at most ${MAX_RUN_NAME_LENGTH} characters (it has ${trimmed.length})`,
    };
  }
  return { ok: true, name: trimmed };
}

/** The message a person should read for any error from the history (or anything else). */
export function historyErrorMessage(error: unknown): string {
  return toCollectionError(error, HISTORY_WORDING).message;
}

/**
 * Opens (creating or upgrading as needed) the run history. Rejects with a `CollectionError` of
 * failure `unavailable` or `blocked` when it cannot be used.
 */
export async function openRunHistory(options: OpenCollectionOptions = {}): Promise<RunHistoryStore> {
  const collection = await openIdbCollection(RUN_HISTORY, options);
  return {
    list: collection.list,
    remove: collection.remove,
    close: collection.close,

    put: async (record) => {
      const parsed = parseRunRecord(record);
      if (!parsed.ok) {
        throw new CollectionError('invalid', `This run cannot be kept in the history: ${parsed.error}`);
      }
      await collection.write({ [RUNS]: parsed.record });
    },

    rename: async (id, name) => {
      const checked = checkRunName(name);
      if (!checked.ok) throw new CollectionError('invalid', checked.error);
      return collection.transact([RUNS], 'readwrite', async (tx) => {
        const stored: unknown = await tx.objectStore(RUNS).get(id);
        if (stored === undefined) {
          throw new CollectionError(
            'notFound',
            'This run is no longer in the history (deleted in another tab?).',
          );
        }
        const parsed = parseRunRecord(stored);
        if (!parsed.ok) {
          throw new CollectionError(
            'invalid',
            `This stored run could not be read, so it was not renamed: ${parsed.error}`,
          );
        }
        const renamed: RunRecord = { ...parsed.record, name: checked.name };
        await Promise.all([tx.objectStore(RUNS).put(renamed), tx.done]);
        return renamed;
      });
    },
  };
}
