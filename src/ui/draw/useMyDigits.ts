import { useCallback, useMemo } from 'react';
import { myDigitStoreErrorMessage, openMyDigitStore, type MyDigitStore } from '../../client/myDigitStore.ts';
import type { LabelledImages } from '../../core/idx.ts';
import type { MyDigit } from '../../core/myDigits.ts';
import { useStoredCollection, type CollectionView, type StoreOutcome } from '../useStoredCollection.ts';

/** My digits as the drawing pad and its panel use them (see `useStoredCollection`). */
export interface MyDigits extends Omit<CollectionView<MyDigit>, 'items'> {
  /** Newest first. */
  readonly digits: readonly MyDigit[];
  /** Each resolves with the result or a readable failure; none rejects. The list follows the store. */
  add(label: number, pixels: Uint8Array): Promise<StoreOutcome<MyDigit>>;
  /** Adds a whole set (an import) or nothing. */
  addMany(set: LabelledImages): Promise<StoreOutcome<readonly MyDigit[]>>;
  remove(id: string): Promise<StoreOutcome<void>>;
}

const MY_DIGITS_OPTIONS = {
  timeOf: (digit: MyDigit) => digit.addedAt,
  describeError: myDigitStoreErrorMessage,
};

/**
 * My digits for one component tree (opened on mount, closed on unmount).
 *
 * @param openStore Opens the store; must be stable (a module function), since a new one reopens.
 */
export function useMyDigits(openStore: () => Promise<MyDigitStore> = openMyDigitStore): MyDigits {
  const { items, act, remove, status, error, skipped } = useStoredCollection(openStore, MY_DIGITS_OPTIONS);
  const add = useCallback(
    (label: number, pixels: Uint8Array) =>
      act(
        (store) => store.add(label, pixels),
        (digit) => ({ put: digit }),
      ),
    [act],
  );
  const addMany = useCallback(
    (set: LabelledImages) =>
      act(
        (store) => store.addMany(set),
        (listed) => ({ listed }),
      ),
    [act],
  );
  return useMemo(
    () => ({ digits: items, status, error, skipped, add, addMany, remove }),
    [items, status, error, skipped, add, addMany, remove],
  );
}
