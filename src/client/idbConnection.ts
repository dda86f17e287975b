import { wrap, type IDBPDatabase } from 'idb';
import {
  CollectionError,
  collectionPhrases,
  toCollectionError,
  unavailableError,
  type CollectionWording,
} from './collectionErrors.ts';

/**
 * Holding an IndexedDB connection for a collection (see `idbCollection.ts`): where the browser's
 * IndexedDB is (if anywhere), opening and upgrading a database without hanging when another tab
 * blocks the upgrade, and letting go of the connection when another tab upgrades the database or
 * the browser drops it, so that later calls fail with a clear message instead of hanging or
 * blocking the other tab.
 */

/**
 * A collection's database, untyped by idb (any store name). Storage can hold anything (an older
 * app version, a hand edit, a bug), so whatever is read back is taken as `unknown` and trusted
 * only once the collection's reader has accepted it.
 */
export type StoredDatabase = IDBPDatabase<unknown>;

/** The browser's IndexedDB, or undefined where there is none (some private modes, sandboxes). */
export function browserIndexedDb(): IDBFactory | undefined {
  // Reading the global itself can throw in some sandboxed iframes.
  try {
    return typeof indexedDB === 'undefined' ? undefined : indexedDB;
  } catch {
    return undefined;
  }
}

/** Which database to open and how to bring an older one up to `version`. */
export interface DatabaseVersion {
  readonly name: string;
  /** Bump with a new step in `upgrade` whenever stores or indexes change. */
  readonly version: number;
  /** Each step brings the schema from one version to the next, so any older database catches up. */
  readonly upgrade: (database: StoredDatabase, oldVersion: number) => void;
}

/**
 * Opens the database through an explicit factory: idb's `openDB` always uses the global
 * `indexedDB`, and tests need an isolated one. `wrap` turns the request into idb's typed promise.
 * A blocked upgrade (another tab holds an older version open and does not let go) rejects at
 * once with a message; if the other tab closes later, the connection that then opens is closed.
 * Rejects with a {@link CollectionError}: `blocked`, `quota`, or `unavailable`.
 */
export function openDatabase(
  factory: IDBFactory,
  database: DatabaseVersion,
  wording: CollectionWording,
): Promise<StoredDatabase> {
  return new Promise<StoredDatabase>((resolve, reject) => {
    let settled = false;
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(database.name, database.version);
    } catch (error) {
      // Some private modes throw here (SecurityError, InvalidStateError) instead of failing the request.
      reject(unavailableError(error, wording));
      return;
    }
    request.addEventListener('upgradeneeded', (event) => {
      database.upgrade(wrap(request.result) as unknown as StoredDatabase, event.oldVersion);
    });
    request.addEventListener('blocked', () => {
      if (settled) return;
      settled = true;
      reject(new CollectionError('blocked', collectionPhrases(wording).blocked));
    });
    (wrap(request) as Promise<unknown> as Promise<StoredDatabase>).then(
      (opened) => {
        if (settled) {
          opened.close();
          return;
        }
        settled = true;
        resolve(opened);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        // A newer version or a full disk say what to do; anything else (private modes, disabled
        // storage) means the collection cannot be used in this browser.
        const mapped = toCollectionError(error, wording);
        const specific =
          mapped.failure === 'quota' || (error instanceof DOMException && error.name === 'VersionError');
        reject(specific ? mapped : unavailableError(error, wording));
      },
    );
  });
}

export interface GuardedConnection {
  /** The database while it is usable; otherwise throws an `unavailable` {@link CollectionError}. */
  readonly connection: () => StoredDatabase;
  /** Closes it for good; later calls fail with `reason`. */
  readonly closeWith: (reason: string) => void;
}

/** Watches `database` so that it lets go when it must; see {@link GuardedConnection}. */
export function guardConnection(database: StoredDatabase, wording: CollectionWording): GuardedConnection {
  const phrases = collectionPhrases(wording);
  let closedBecause: string | null = null;
  const closeWith = (reason: string) => {
    if (closedBecause !== null) return;
    closedBecause = reason;
    database.close();
  };
  // A newer version of the app in another tab wants to upgrade: let go so it is not blocked.
  database.addEventListener('versionchange', () => closeWith(phrases.upgradedElsewhere));
  // The browser dropped the connection (storage cleared, disk error).
  database.addEventListener('close', () => closeWith(phrases.connectionLost));
  const connection = () => {
    if (closedBecause !== null) throw new CollectionError('unavailable', closedBecause);
    return database;
  };
  return { connection, closeWith };
}
