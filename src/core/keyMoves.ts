/**
 * The keyboard conventions of WAI-ARIA's composite widgets, written once: what a key asks of a
 * selection that moves along a row (tabs) or of a chart's cursor. Pure (a key name in, a move
 * out), so the tab lists and the canvas charts read keys the same way.
 */

/** Step to the next or previous item, jump to the first or last, or drop the selection. */
export type KeyMove = 'next' | 'previous' | 'first' | 'last' | 'clear';

/**
 * The move `key` (a KeyboardEvent's `key`) asks for, or null for any other key. Left and Right
 * always move; Up and Down only where the items have no vertical order of their own
 * (`upDown`: a scatter's points, not a horizontal tab list).
 */
export function keyMove(key: string, { upDown = false } = {}): KeyMove | null {
  switch (key) {
    case 'ArrowRight':
      return 'next';
    case 'ArrowLeft':
      return 'previous';
    case 'ArrowDown':
      return upDown ? 'next' : null;
    case 'ArrowUp':
      return upDown ? 'previous' : null;
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Escape':
      return 'clear';
    default:
      return null;
  }
}

/** What each move does for one widget; only the one a key asks for is run. */
export type MoveHandlers<T> = Readonly<Record<KeyMove, () => T>>;

/**
 * The result of the handler for the move `key` asks for, or undefined for a key that is not a
 * move (the caller then leaves the event alone, default action included).
 */
export function moveByKey<T>(
  key: string,
  handlers: MoveHandlers<T>,
  options?: { readonly upDown?: boolean },
): T | undefined {
  const move = keyMove(key, options);
  return move === null ? undefined : handlers[move]();
}

/**
 * The index a tab list moves to from `index` of `count` on `key`: the arrows wrap around, Home
 * and End jump; null for keys a tab list ignores (Escape included).
 */
export function nextTabIndex(key: string, index: number, count: number): number | null {
  const next = moveByKey(key, {
    next: () => (index + 1) % count,
    previous: () => (index + count - 1) % count,
    first: () => 0,
    last: () => count - 1,
    clear: () => null,
  });
  return next ?? null;
}
