import { useCallback, useEffect, useRef, useState } from 'react';
import {
  modelStoreErrorMessage,
  openModelStore,
  type ModelStore,
  type StoredModelInfo,
} from '../../client/modelStore.ts';
import type { SavedModel } from '../../core/modelFile.ts';

export type SavedModelsStatus = 'loading' | 'ready' | 'unavailable';

export interface SavedModels {
  /** Newest first, without weights. */
  readonly models: readonly StoredModelInfo[];
  readonly status: SavedModelsStatus;
  /** Why the store cannot be used at all (status `unavailable`). */
  readonly unavailable: string | null;
  /** Stored entries that could not be read (left untouched). */
  readonly skipped: number;
  /** Each resolves with the result, or rejects with a readable message; the list follows the store. */
  save(model: SavedModel): Promise<StoredModelInfo>;
  get(id: string): Promise<SavedModel>;
  remove(id: string): Promise<void>;
}

interface ListState {
  readonly models: readonly StoredModelInfo[];
  readonly status: SavedModelsStatus;
  readonly unavailable: string | null;
  readonly skipped: number;
}

const INITIAL: ListState = { models: [], status: 'loading', unavailable: null, skipped: 0 };

const newerFirst = (a: StoredModelInfo, b: StoredModelInfo) => b.savedAt - a.savedAt;

/**
 * The saved models for one component tree: opens the store once on mount and closes it on
 * unmount (as `useRunHistory` does). The list changes only after the store accepted a change.
 */
export function useSavedModels(openStore: () => Promise<ModelStore> = openModelStore): SavedModels {
  const [state, setState] = useState<ListState>(INITIAL);
  const storeRef = useRef<Promise<ModelStore> | null>(null);

  useEffect(() => {
    let disposed = false;
    const opening = openStore();
    const listed = opening.then(async (store) => {
      const { models, skipped } = await store.list();
      if (!disposed) setState({ models, skipped, status: 'ready', unavailable: null });
      return store;
    });
    listed.catch((error: unknown) => {
      if (!disposed)
        setState({ ...INITIAL, status: 'unavailable', unavailable: modelStoreErrorMessage(error) });
    });
    storeRef.current = listed;
    return () => {
      disposed = true;
      if (storeRef.current === listed) storeRef.current = null;
      opening.then(
        (store) => store.close(),
        () => undefined,
      );
    };
  }, [openStore]);

  /** Runs `action` on the store, with its errors as readable messages. */
  const act = useCallback(async <T>(action: (store: ModelStore) => Promise<T>): Promise<T> => {
    const opened = storeRef.current;
    if (opened === null) throw new Error('Saved models are closed.');
    try {
      return await action(await opened);
    } catch (error) {
      throw new Error(modelStoreErrorMessage(error), { cause: error });
    }
  }, []);

  const save = useCallback(
    async (model: SavedModel) => {
      const stored = await act((store) => store.save(model));
      setState((s) => ({ ...s, models: [...s.models, stored].sort(newerFirst) }));
      return stored;
    },
    [act],
  );
  const get = useCallback((id: string) => act((store) => store.get(id)), [act]);
  const remove = useCallback(
    async (id: string) => {
      await act((store) => store.remove(id));
      setState((s) => ({ ...s, models: s.models.filter((m) => m.id !== id) }));
    },
    [act],
  );

  return { ...state, save, get, remove };
}
