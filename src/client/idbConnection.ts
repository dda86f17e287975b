/**
 * What the run history and the saved models share about holding an IndexedDB connection: where
 * the browser's IndexedDB is (if anywhere), and letting go of a connection when another tab
 * upgrades the database or the browser drops it, so that later calls fail with a clear message
 * instead of hanging or blocking the other tab.
 */

/** The browser's IndexedDB, or undefined where there is none (some private modes, sandboxes). */
export function browserIndexedDb(): IDBFactory | undefined {
  // Reading the global itself can throw in some sandboxed iframes.
  try {
    return typeof indexedDB === 'undefined' ? undefined : indexedDB;
  } catch {
    return undefined;
  }
}

/** The part of an (idb-wrapped) database connection this needs. */
interface Closable {
  close(): void;
  addEventListener(type: 'versionchange' | 'close', listener: () => void): void;
}

export interface GuardedConnection<D> {
  /** The database while it is usable; otherwise throws `closedError(reason)`. */
  readonly connection: () => D;
  /** Closes it for good; later calls fail with `reason`. */
  readonly closeWith: (reason: string) => void;
}

/** Watches `database` (named `what` in messages, e.g. "Run history"); see {@link GuardedConnection}. */
export function guardConnection<D>(
  database: D & Closable,
  what: string,
  closedError: (reason: string) => Error,
): GuardedConnection<D> {
  let closedBecause: string | null = null;
  const closeWith = (reason: string) => {
    if (closedBecause !== null) return;
    closedBecause = reason;
    database.close();
  };
  // A newer version of the app in another tab wants to upgrade: let go so it is not blocked.
  database.addEventListener('versionchange', () =>
    closeWith(`${what} was upgraded by a newer version of this app in another tab; reload this page.`),
  );
  // The browser dropped the connection (storage cleared, disk error).
  database.addEventListener('close', () =>
    closeWith(`${what} lost its connection to the browser's storage; reload this page.`),
  );
  const connection = () => {
    if (closedBecause !== null) throw closedError(closedBecause);
    return database;
  };
  return { connection, closeWith };
}
