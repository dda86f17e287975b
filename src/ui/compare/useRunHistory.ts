import { useCallback, useMemo } from 'react';
import { historyErrorMessage, openRunHistory, type RunHistoryStore } from '../../client/runHistory.ts';
import type { RunRecord } from '../../core/runRecord.ts';
import { useStoredCollection, type CollectionView, type StoreOutcome } from '../useStoredCollection.ts';

/** The run history as the Compare view and the Train runs recorder use it (see `useStoredCollection`). */
export interface RunHistory extends Omit<CollectionView<RunRecord>, 'items'> {
  /** Newest first, as stored. */
  readonly records: readonly RunRecord[];
  /** Keeps a run (replacing one with the same id); none of these rejects. */
  save(record: RunRecord): Promise<StoreOutcome<void>>;
  rename(id: string, name: string): Promise<StoreOutcome<RunRecord>>;
  remove(id: string): Promise<StoreOutcome<void>>;
}

const HISTORY_OPTIONS = {
  timeOf: (record: RunRecord) => record.createdAt,
  describeError: historyErrorMessage,
};

/**
 * The run history for one component tree (opened on mount, closed on unmount).
 *
 * @param openStore Opens the store; must be stable (a module function), since a new one reopens.
 */
export function useRunHistory(openStore: () => Promise<RunHistoryStore> = openRunHistory): RunHistory {
  const { items, act, remove, status, error, skipped } = useStoredCollection(openStore, HISTORY_OPTIONS);
  const save = useCallback((record: RunRecord) => act((store) => store.put(record), { put: record }), [act]);
  const rename = useCallback(
    (id: string, name: string) =>
      act(
        (store) => store.rename(id, name),
        (renamed) => ({ put: renamed }),
      ),
    [act],
  );
  // One object per change of state, so memoised consumers skip the page's frequent re-renders.
  return useMemo(
    () => ({ records: items, status, error, skipped, save, rename, remove }),
    [items, status, error, skipped, save, rename, remove],
  );
}
