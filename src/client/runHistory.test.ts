import { describe, expect, it, vi } from 'vitest';
import {
  MAX_RUN_NAME_LENGTH,
  RUN_HISTORY_DB_NAME,
  historyErrorMessage,
  openRunHistory,
} from './runHistory.ts';
import { fakeIndexedDbPerTest } from '../testing/fakeIndexedDb.ts';
import { makeRunRecord } from '../testing/runRecordFixture.ts';

const fake = fakeIndexedDbPerTest((factory) => openRunHistory({ factory }));
const { open } = fake;
/** A raw connection to the same database, to write what the app never would. */
const openRaw = (version?: number) => fake.openRaw(RUN_HISTORY_DB_NAME, version);

describe('run history', () => {
  it('lists records newest first', async () => {
    const store = await open();
    await store.put(makeRunRecord({ id: 'b', createdAt: 2_000 }));
    await store.put(makeRunRecord({ id: 'c', createdAt: 3_000 }));
    await store.put(makeRunRecord({ id: 'a', createdAt: 1_000 }));
    const { items: records, skipped } = await store.list();
    expect(records.map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(skipped).toBe(0);
  });

  it('replaces a record put again with the same id', async () => {
    const store = await open();
    await store.put(makeRunRecord({ id: 'a', name: 'first' }));
    await store.put(makeRunRecord({ id: 'a', name: 'second' }));
    const { items: records } = await store.list();
    expect(records.map((r) => r.name)).toEqual(['second']);
  });

  it('keeps records across close and reopen (a page reload)', async () => {
    const record = makeRunRecord({ id: 'kept' });
    const first = await open();
    await first.put(record);
    first.close();
    const second = await open();
    expect((await second.list()).items).toEqual([record]);
  });

  it('refuses to work after close, with a message', async () => {
    const store = await open();
    store.close();
    await expect(store.list()).rejects.toThrow('Run history is closed.');
  });

  it('rejects an invalid record with what is wrong and stores nothing', async () => {
    const store = await open();
    const valid = makeRunRecord();
    const invalid = makeRunRecord({ summary: { ...valid.summary, testAccuracy: 1.5 } });
    await expect(store.put(invalid)).rejects.toThrow(
      /^This run cannot be kept in the history: summary\.testAccuracy: /,
    );
    expect((await store.list()).items).toEqual([]);
  });

  describe('rename', () => {
    it('trims the name, stores it and returns the renamed record', async () => {
      const store = await open();
      await store.put(makeRunRecord({ id: 'a', name: 'old' }));
      const renamed = await store.rename('a', '  Adam, wider  ');
      expect(renamed.name).toBe('Adam, wider');
      expect((await store.list()).items[0]?.name).toBe('Adam, wider');
    });

    it('rejects an empty or too long name and keeps the old one', async () => {
      const store = await open();
      await store.put(makeRunRecord({ id: 'a', name: 'old' }));
      await expect(store.rename('a', '   ')).rejects.toThrow('Name must not be empty');
      await expect(store.rename('a', 'x'.repeat(MAX_RUN_NAME_LENGTH + 1))).rejects.toThrow(
        `Name must be at most ${MAX_RUN_NAME_LENGTH} characters`,
      );
      await expect(store.rename('a', 'x'.repeat(MAX_RUN_NAME_LENGTH))).resolves.toBeDefined();
      expect((await store.list()).items[0]?.name).toBe('x'.repeat(MAX_RUN_NAME_LENGTH));
    });

    it('rejects an unknown id', async () => {
      const store = await open();
      await expect(store.rename('missing', 'name')).rejects.toThrow('no longer in the history');
    });
  });

  it('removes a record; removing one that is gone is not an error', async () => {
    const store = await open();
    await store.put(makeRunRecord({ id: 'a', createdAt: 1 }));
    await store.put(makeRunRecord({ id: 'b', createdAt: 2 }));
    await store.remove('a');
    await store.remove('a');
    expect((await store.list()).items.map((r) => r.id)).toEqual(['b']);
  });

  it('skips and counts stored values that fail validation, and leaves them in place', async () => {
    const store = await open();
    await store.put(makeRunRecord({ id: 'good' }));
    const raw = await openRaw();
    await raw.put('runs', { ...makeRunRecord({ id: 'bad-name' }), name: 42 });
    await raw.put('runs', { id: 'no-date', note: 'not a record' }); // missing from the createdAt index
    const { items: records, skipped } = await store.list();
    expect(records.map((r) => r.id)).toEqual(['good']);
    expect(skipped).toBe(2);
    await expect(store.rename('bad-name', 'fixed')).rejects.toThrow(
      'could not be read, so it was not renamed',
    );
    expect((await raw.getAllKeys('runs')).sort()).toEqual(['bad-name', 'good', 'no-date']);
    raw.close();
  });

  it('says the storage is full when the browser refuses a write for quota', async () => {
    const store = await open();
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(store.put(makeRunRecord())).rejects.toThrow(/^Your browser's storage is full: /);
  });

  describe('opening', () => {
    it('says the history is unavailable when the browser has no IndexedDB', async () => {
      vi.stubGlobal('indexedDB', undefined);
      await expect(openRunHistory()).rejects.toThrow(/^Run history is unavailable in this browser: /);
    });

    it('says the history is unavailable when opening is refused (private modes)', async () => {
      const refusing = {
        open: () => {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      } as unknown as IDBFactory;
      await expect(openRunHistory({ factory: refusing })).rejects.toThrow(
        'Run history is unavailable in this browser: The operation is insecure.',
      );
    });

    it('asks to close other tabs when an older connection blocks an upgrade', async () => {
      const olderTab = await openRaw(); // never closes on versionchange
      const newerApp = { open: (name: string) => fake.factory().open(name, 2) } as unknown as IDBFactory;
      await expect(openRunHistory({ factory: newerApp })).rejects.toThrow('close the other tabs');
      olderTab.close(); // the upgrade then completes and the late connection is closed, not leaked
      const database = await openRaw(2);
      expect(database.version).toBe(2);
      database.close();
    });

    it('lets go when a newer version in another tab upgrades, and then says to reload', async () => {
      const store = await open();
      await store.put(makeRunRecord());
      const newerTab = await openRaw(2); // would be blocked if the store held on
      expect(newerTab.version).toBe(2);
      await expect(store.list()).rejects.toThrow('reload this page');
      newerTab.close();
    });
  });

  it('turns anything thrown into a message', () => {
    expect(historyErrorMessage(new DOMException('no space', 'QuotaExceededError'))).toMatch(
      /^Your browser's storage is full: /,
    );
    expect(historyErrorMessage('odd')).toBe('Run history failed: odd');
  });
});
