import 'fake-indexeddb/auto'; // idb checks values against the global IDB classes
import { IDBFactory } from 'fake-indexeddb';
import { wrap, type IDBPDatabase } from 'idb';
import { afterEach, beforeEach, vi } from 'vitest';

/**
 * A fresh fake IndexedDB (fake-indexeddb) for each test of an IndexedDB collection, so nothing
 * leaks between tests: call it at the top of a test file with the collection's opener. What a test
 * opens through it is closed after the test, and spies and stubbed globals are restored.
 */
export function fakeIndexedDbPerTest<Store extends { close(): void }>(
  openStore: (factory: IDBFactory) => Promise<Store>,
) {
  let factory = new IDBFactory();
  const opened: Store[] = [];
  beforeEach(() => {
    factory = new IDBFactory();
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
  return {
    /** This test's IndexedDB. */
    factory: () => factory,
    /** Opens the collection on this test's IndexedDB (closed after the test). */
    open: async (): Promise<Store> => {
      const store = await openStore(factory);
      opened.push(store);
      return store;
    },
    /** A raw connection to the same database, to write what the app never would; close it. */
    openRaw: async (name: string, version?: number): Promise<IDBPDatabase> => {
      const database = await (wrap(factory.open(name, version)) as Promise<IDBPDatabase | undefined>);
      if (database === undefined) throw new Error('no database');
      return database;
    },
  };
}
