import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { browserIndexedDb, guardConnection } from './idbConnection.ts';
import { parseRunRecord, type RunRecord } from '../core/runRecord.ts';

/**
 * The run history: finished runs kept in this browser's IndexedDB so they survive a reload and
 * can be compared later. Storage can hold anything (an older app version, a hand edit, a bug), so
 * every value is validated with `parseRunRecord` when read; values that fail are skipped and
 * counted, never deleted, so a later version that understands them still finds them.
 *
 * Every error leaving this module is an `Error` whose message a person can act on (storage full,
 * close other tabs, IndexedDB missing); see {@link historyErrorMessage}.
 */

export const RUN_HISTORY_DB_NAME = 'mlp-playground';
/** Bump with a new step in `upgradeSchema` whenever stores or indexes change. */
const DB_VERSION = 1;
const RUNS = 'runs';
const BY_CREATED_AT = 'createdAt';

/** Longest name a rename accepts; the record schema allows more for generated names. */
export const MAX_RUN_NAME_LENGTH = 120;

/**
 * What is stored. Values are typed `unknown` on purpose: nothing read back is trusted until
 * `parseRunRecord` has accepted it.
 */
interface HistorySchema extends DBSchema {
  runs: { key: string; value: unknown; indexes: { createdAt: number } };
}

type HistoryDatabase = IDBPDatabase<HistorySchema>;

export interface RunHistoryListing {
  /** Valid records, newest first (ties: id descending). */
  readonly records: RunRecord[];
  /** Stored values that failed validation; left in place. */
  readonly skipped: number;
}

/** The history as the page uses it: one open connection, closed with {@link RunHistoryStore.close}. */
export interface RunHistoryStore {
  /** Newest first. Stored values that fail `parseRunRecord` are skipped (counted), never deleted. */
  list(): Promise<RunHistoryListing>;
  /** Validates first and throws a readable Error if invalid; an existing record with the same id is replaced. */
  put(record: RunRecord): Promise<void>;
  /** Trims the name; rejects an empty or too long name (see {@link checkRunName}) or an unknown id. */
  rename(id: string, name: string): Promise<RunRecord>;
  /** Deleting an id that is not there is not an error (the result is the same). */
  remove(id: string): Promise<void>;
  /** Later calls fail with a readable message. */
  close(): void;
}

export interface OpenRunHistoryOptions {
  /** The IndexedDB to use; defaults to the browser's. Tests pass `new IDBFactory()` from fake-indexeddb. */
  readonly factory?: IDBFactory;
  /** Database name; defaults to {@link RUN_HISTORY_DB_NAME}. */
  readonly name?: string;
}

/**
 * Why the history failed, for callers that react differently: `unavailable` means it cannot be
 * used at all in this page (show the panel as unavailable), the others concern one action.
 */
export type RunHistoryFailure = 'unavailable' | 'quota' | 'blocked' | 'invalid' | 'notFound' | 'failed';

export class RunHistoryError extends Error {
  override readonly name = 'RunHistoryError';
  constructor(
    readonly failure: RunHistoryFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
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
  return toHistoryError(error).message;
}

function detailOf(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return error.message || error.name;
  return String(error);
}

/**
 * Maps IndexedDB's DOMExceptions onto messages that say what to do. Browsers report a full disk
 * as `QuotaExceededError`, either thrown or as the aborting transaction's error.
 */
function toHistoryError(error: unknown): RunHistoryError {
  if (error instanceof RunHistoryError) return error;
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const detail = detailOf(error);
  switch (name) {
    case 'QuotaExceededError':
      return new RunHistoryError(
        'quota',
        `Your browser's storage is full: delete some past runs or free space for this site, then try again (${detail}).`,
        { cause: error },
      );
    case 'VersionError':
      return new RunHistoryError(
        'unavailable',
        `Run history is unavailable: it was saved by a newer version of this app; reload the page (${detail}).`,
        { cause: error },
      );
    case 'InvalidStateError':
      return new RunHistoryError(
        'unavailable',
        `Run history is unavailable: the connection to the browser's storage was closed; reload the page (${detail}).`,
        { cause: error },
      );
    default:
      return new RunHistoryError('failed', `Run history failed: ${detail}`, { cause: error });
  }
}

/** Runs a storage action, turning whatever it throws into a readable {@link RunHistoryError}. */
async function guarded<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toHistoryError(error);
  }
}

/** Each step brings the schema from one version to the next, so any older database catches up. */
function upgradeSchema(database: HistoryDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    const runs = database.createObjectStore(RUNS, { keyPath: 'id' });
    runs.createIndex(BY_CREATED_AT, 'createdAt');
  }
}

/**
 * Opens the database through an explicit factory: idb's `openDB` always uses the global
 * `indexedDB`, and tests need an isolated one. `wrap` turns the request into idb's typed promise.
 * A blocked upgrade (another tab holds an older version open and does not let go) rejects at
 * once with a message; if the other tab closes later, the connection that then opens is closed.
 */
function openDatabase(factory: IDBFactory, name: string): Promise<HistoryDatabase> {
  return new Promise<HistoryDatabase>((resolve, reject) => {
    let settled = false;
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, DB_VERSION);
    } catch (error) {
      // Some private modes throw here (SecurityError, InvalidStateError) instead of failing the request.
      reject(unavailable(error));
      return;
    }
    request.addEventListener('upgradeneeded', (event) => {
      upgradeSchema(wrap(request.result) as unknown as HistoryDatabase, event.oldVersion);
    });
    request.addEventListener('blocked', () => {
      if (settled) return;
      settled = true;
      reject(
        new RunHistoryError(
          'blocked',
          'Run history is waiting for another tab of this app to let go of it: close the other tabs of this page, then reload.',
        ),
      );
    });
    (wrap(request) as Promise<unknown> as Promise<HistoryDatabase>).then(
      (database) => {
        if (settled) {
          database.close();
          return;
        }
        settled = true;
        resolve(database);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        // A newer version or a full disk say what to do; anything else (private modes, disabled
        // storage) means the history cannot be used in this browser.
        const mapped = toHistoryError(error);
        const specific =
          mapped.failure === 'quota' || (error instanceof DOMException && error.name === 'VersionError');
        reject(specific ? mapped : unavailable(error));
      },
    );
  });
}

function unavailable(error: unknown): RunHistoryError {
  return new RunHistoryError(
    'unavailable',
    `Run history is unavailable in this browser: ${detailOf(error)}`,
    {
      cause: error,
    },
  );
}

/**
 * Opens (creating or upgrading as needed) the run history. Rejects with a
 * {@link RunHistoryError} of failure `unavailable` or `blocked` when it cannot be used.
 */
export async function openRunHistory(options: OpenRunHistoryOptions = {}): Promise<RunHistoryStore> {
  const factory = options.factory ?? browserIndexedDb();
  if (factory === undefined) {
    throw unavailable(new Error('this browser does not provide IndexedDB (some private modes turn it off)'));
  }
  const database = await openDatabase(factory, options.name ?? RUN_HISTORY_DB_NAME);
  const { connection, closeWith } = guardConnection<HistoryDatabase>(
    database,
    'Run history',
    (reason) => new RunHistoryError('unavailable', reason),
  );

  return {
    list: () =>
      guarded(async () => {
        const tx = connection().transaction(RUNS, 'readonly');
        // Oldest first by the index; a value without a valid createdAt is missing from the index
        // but counted by the store, and is invalid anyway (the schema requires a finite number).
        const [indexed, total] = await Promise.all([
          tx.store.index(BY_CREATED_AT).getAll(),
          tx.store.count(),
          tx.done,
        ]);
        const records: RunRecord[] = [];
        for (const value of indexed) {
          const parsed = parseRunRecord(value);
          if (parsed.ok) records.push(parsed.record);
        }
        records.reverse();
        return { records, skipped: total - records.length };
      }),

    put: (record) =>
      guarded(async () => {
        const parsed = parseRunRecord(record);
        if (!parsed.ok) {
          throw new RunHistoryError('invalid', `This run cannot be kept in the history: ${parsed.error}`);
        }
        await connection().put(RUNS, parsed.record);
      }),

    rename: (id, name) =>
      guarded(async () => {
        const checked = checkRunName(name);
        if (!checked.ok) throw new RunHistoryError('invalid', checked.error);
        const tx = connection().transaction(RUNS, 'readwrite');
        const stored: unknown = await tx.store.get(id);
        // Throwing leaves the transaction to commit with no writes.
        if (stored === undefined) {
          throw new RunHistoryError(
            'notFound',
            'This run is no longer in the history (deleted in another tab?).',
          );
        }
        const parsed = parseRunRecord(stored);
        if (!parsed.ok) {
          throw new RunHistoryError(
            'invalid',
            `This stored run could not be read, so it was not renamed: ${parsed.error}`,
          );
        }
        const renamed: RunRecord = { ...parsed.record, name: checked.name };
        await Promise.all([tx.store.put(renamed), tx.done]);
        return renamed;
      }),

    remove: (id) =>
      guarded(async () => {
        await connection().delete(RUNS, id);
      }),

    close: () => closeWith('Run history is closed.'),
  };
}
