import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Listing } from '../client/idbCollection.ts';

/**
 * One hook for every collection the page keeps in IndexedDB (the run history, the saved models),
 * with one error contract: **no action rejects**. Each resolves with a {@link StoreOutcome}; a
 * failure's message, in words a person can act on, is also the collection's `error` until the
 * next success. So fire-and-forget callers (a run that finished, an import loop) cannot leak an
 * unhandled rejection, panels show the collection's `error`, and callers with a notice of their
 * own read `outcome.error` (or {@link valueOf} inside their own try/catch).
 */

export type CollectionStatus = 'loading' | 'ready' | 'unavailable';

/** What every action on a stored collection resolves with. */
export type StoreOutcome<R> =
  { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: string };

/** What a panel shows of a collection. */
export interface CollectionView<T> {
  /** Newest first, as stored; changes only once the store has accepted a change. */
  readonly items: readonly T[];
  readonly status: CollectionStatus;
  /** Why the collection is unavailable, or the last failure in words; cleared by the next success. */
  readonly error: string | null;
  /** Stored values that could not be read (left untouched). */
  readonly skipped: number;
}

/**
 * How a successful action changes the list: a record put (added or replaced), one removed, the
 * whole list as the store now lists it (after a change of many records), or none.
 */
export type ListChange<T> =
  { readonly put: T } | { readonly removed: string } | { readonly listed: readonly T[] } | null;

/** What the hook needs of a store: its listing, deleting a record, and closing it on unmount. */
export interface ListableStore<T> {
  list(): Promise<Listing<T>>;
  remove(id: string): Promise<void>;
  close(): void;
}

export interface CollectionOptions<T> {
  /**
   * The timestamp the store lists by (ms), to place a record that was put where a reload would:
   * newest first, ties by id descending (the order of `IdbCollection.list`).
   */
  readonly timeOf: (item: T) => number;
  /** Any error from the store (or from opening it) in words. */
  readonly describeError: (error: unknown) => string;
}

export interface StoredCollection<T, S> extends CollectionView<T> {
  /**
   * Runs `action` on the open store (after the initial listing); on success, changes the list by
   * `change` (or by what it says of the result). Never rejects.
   */
  act<R>(
    action: (store: S) => Promise<R>,
    change: ListChange<T> | ((result: R) => ListChange<T>),
  ): Promise<StoreOutcome<R>>;
  /** Deletes a record; deleting one that is gone succeeds. */
  remove(id: string): Promise<StoreOutcome<void>>;
}

/** An outcome's value, or its message thrown as an Error: for code that gathers failures with try/catch. */
export function valueOf<R>(outcome: StoreOutcome<R>): R {
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

function applyChange<T extends { readonly id: string }>(
  items: readonly T[],
  change: ListChange<T>,
  timeOf: (item: T) => number,
): readonly T[] {
  if (change === null) return items;
  if ('removed' in change) return items.filter((item) => item.id !== change.removed);
  if ('listed' in change) return change.listed;
  const newerFirst = (a: T, b: T) => timeOf(b) - timeOf(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  return [...items.filter((item) => item.id !== change.put.id), change.put].sort(newerFirst);
}

const INITIAL: CollectionView<never> = { items: [], status: 'loading', error: null, skipped: 0 };

/** One mount's store: listed once, then used by every action of that mount. */
interface Session<S> {
  readonly loaded: Promise<S>;
  live: boolean;
}

/**
 * A collection for one component tree: opens the store once on mount, lists it, and closes it on
 * unmount. The list changes only after the store has accepted a change, so what is shown is what
 * a reload would show. Actions wait for the initial listing, so a change made while loading cannot
 * be overwritten by the older list; all go through one store per mount (after unmount, the closed
 * store answers them with its "closed" message).
 *
 * @param openStore Opens the store; must be stable (a module function), since a new one reopens.
 * @param options Must be stable too (a module constant).
 */
export function useStoredCollection<T extends { readonly id: string }, S extends ListableStore<T>>(
  openStore: () => Promise<S>,
  options: CollectionOptions<T>,
): StoredCollection<T, S> {
  const [view, setView] = useState<CollectionView<T>>(INITIAL);
  const sessionRef = useRef<Session<S> | null>(null);
  const { timeOf, describeError } = options;

  useEffect(() => {
    const opening = openStore();
    const session: Session<S> = {
      live: true,
      loaded: opening.then(async (store) => {
        const { items, skipped } = await store.list();
        if (session.live) setView({ items, skipped, status: 'ready', error: null });
        return store;
      }),
    };
    session.loaded.catch((error: unknown) => {
      if (session.live) setView({ ...INITIAL, status: 'unavailable', error: describeError(error) });
    });
    sessionRef.current = session;
    return () => {
      session.live = false;
      // Closing waits for transactions in flight, so an action started before unmount completes.
      opening.then(
        (store) => store.close(),
        () => undefined,
      );
    };
  }, [openStore, describeError]);

  const act = useCallback(
    async <R>(
      action: (store: S) => Promise<R>,
      change: ListChange<T> | ((result: R) => ListChange<T>),
    ): Promise<StoreOutcome<R>> => {
      const session = sessionRef.current;
      try {
        if (session === null) throw new Error('the page has not opened it yet');
        const value = await action(await session.loaded);
        if (session.live) {
          const changed = typeof change === 'function' ? change(value) : change;
          setView((v) => ({ ...v, items: applyChange(v.items, changed, timeOf), error: null }));
        }
        return { ok: true, value };
      } catch (failure) {
        const error = describeError(failure);
        if (session?.live === true) setView((v) => ({ ...v, error }));
        return { ok: false, error };
      }
    },
    [timeOf, describeError],
  );

  const remove = useCallback((id: string) => act((store) => store.remove(id), { removed: id }), [act]);

  // One object per change of view, so memoised consumers skip the page's frequent re-renders.
  return useMemo(() => ({ ...view, act, remove }), [view, act, remove]);
}
