import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { historyErrorMessage, openRunHistory, type RunHistoryStore } from '../../client/runHistory.ts';
import type { RunRecord } from '../../core/runRecord.ts';

export type RunHistoryStatus = 'loading' | 'ready' | 'unavailable';

export interface RunHistory {
  /** Newest first, as stored. */
  readonly records: readonly RunRecord[];
  readonly status: RunHistoryStatus;
  /** The last failure in words (shown at the top of the panel); cleared by the next success. */
  readonly error: string | null;
  /** Stored values that could not be read (left untouched). */
  readonly skipped: number;
  /** Each resolves true once the store has the change, false on failure (then `error` says why); none rejects. */
  save(record: RunRecord): Promise<boolean>;
  rename(id: string, name: string): Promise<boolean>;
  remove(id: string): Promise<boolean>;
}

interface HistoryState {
  readonly records: readonly RunRecord[];
  readonly status: RunHistoryStatus;
  readonly error: string | null;
  readonly skipped: number;
}

const INITIAL: HistoryState = { records: [], status: 'loading', error: null, skipped: 0 };

/** Newest first, ties by id descending: the order `RunHistoryStore.list` returns. */
function newerFirst(a: RunRecord, b: RunRecord): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function upsert(records: readonly RunRecord[], record: RunRecord): RunRecord[] {
  return [...records.filter((r) => r.id !== record.id), record].sort(newerFirst);
}

/**
 * The run history for one component tree: opens the store once on mount, loads the list, and
 * closes the store on unmount. The list changes only after the store has accepted a change, so
 * what is shown is what a reload would show. Actions wait for the initial load, so a save made
 * while loading cannot be overwritten by the older list; all go through one store per mount.
 *
 * @param openStore Opens the store; must be stable (a module function), since a new one reopens.
 */
export function useRunHistory(openStore: () => Promise<RunHistoryStore> = openRunHistory): RunHistory {
  const [state, setState] = useState<HistoryState>(INITIAL);
  /** The store once opened and listed; null before mount and after unmount. */
  const loadedRef = useRef<Promise<RunHistoryStore> | null>(null);

  useEffect(() => {
    let disposed = false;
    const opening = openStore();
    const loaded = opening.then(async (store) => {
      const { records, skipped } = await store.list();
      if (!disposed) setState({ records, skipped, status: 'ready', error: null });
      return store;
    });
    loaded.catch((error: unknown) => {
      if (!disposed) setState({ ...INITIAL, status: 'unavailable', error: historyErrorMessage(error) });
    });
    loadedRef.current = loaded;
    return () => {
      disposed = true;
      if (loadedRef.current === loaded) loadedRef.current = null;
      // Closing waits for transactions in flight, so an action started before unmount completes.
      opening.then(
        (store) => store.close(),
        () => undefined,
      );
    };
  }, [openStore]);

  /** Runs an action on the store; on success applies `update` to the list, on failure sets `error`. */
  const act = useCallback(
    async <T>(
      action: (store: RunHistoryStore) => Promise<T>,
      update: (records: readonly RunRecord[], result: T) => readonly RunRecord[],
    ): Promise<boolean> => {
      const loaded = loadedRef.current;
      if (loaded === null) return false;
      try {
        const store = await loaded;
        const result = await action(store);
        if (loadedRef.current === loaded) {
          setState((s) => ({ ...s, records: update(s.records, result), error: null }));
        }
        return true;
      } catch (error) {
        if (loadedRef.current === loaded) setState((s) => ({ ...s, error: historyErrorMessage(error) }));
        return false;
      }
    },
    [],
  );

  const save = useCallback(
    (record: RunRecord) =>
      act(
        (store) => store.put(record),
        (records) => upsert(records, record),
      ),
    [act],
  );
  const rename = useCallback(
    (id: string, name: string) =>
      act(
        (store) => store.rename(id, name),
        (records, renamed) => upsert(records, renamed),
      ),
    [act],
  );
  const remove = useCallback(
    (id: string) =>
      act(
        (store) => store.remove(id),
        (records) => records.filter((r) => r.id !== id),
      ),
    [act],
  );

  // One object per change of state, so memoised consumers skip the page's frequent re-renders.
  return useMemo(() => ({ ...state, save, rename, remove }), [state, save, rename, remove]);
}
