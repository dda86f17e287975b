import { useCallback, useMemo } from 'react';
import {
  modelStoreErrorMessage,
  openModelStore,
  type ModelStore,
  type StoredModelInfo,
} from '../../client/modelStore.ts';
import type { SavedModel } from '../../core/modelFile.ts';
import { useStoredCollection, type CollectionView, type StoreOutcome } from '../useStoredCollection.ts';

/** The saved models as the Models panel uses them (see `useStoredCollection`). */
export interface SavedModels extends Omit<CollectionView<StoredModelInfo>, 'items'> {
  /** Newest first, without weights. */
  readonly models: readonly StoredModelInfo[];
  /** Each resolves with the result or a readable failure; none rejects. The list follows the store. */
  save(model: SavedModel): Promise<StoreOutcome<StoredModelInfo>>;
  get(id: string): Promise<StoreOutcome<SavedModel>>;
  remove(id: string): Promise<StoreOutcome<void>>;
}

const MODELS_OPTIONS = {
  timeOf: (model: StoredModelInfo) => model.savedAt,
  describeError: modelStoreErrorMessage,
};

/**
 * The saved models for one component tree (opened on mount, closed on unmount).
 *
 * @param openStore Opens the store; must be stable (a module function), since a new one reopens.
 */
export function useSavedModels(openStore: () => Promise<ModelStore> = openModelStore): SavedModels {
  const { items, act, remove, status, error, skipped } = useStoredCollection(openStore, MODELS_OPTIONS);
  const save = useCallback(
    (model: SavedModel) =>
      act(
        (store) => store.save(model),
        (stored) => ({ put: stored }),
      ),
    [act],
  );
  const get = useCallback((id: string) => act((store) => store.get(id), null), [act]);
  return useMemo(
    () => ({ models: items, status, error, skipped, save, get, remove }),
    [items, status, error, skipped, save, get, remove],
  );
}
