/**
 * What can go wrong with a collection kept in this browser's IndexedDB (the run history, the
 * saved models), in words a person can act on: storage full, close the other tabs, reload,
 * IndexedDB missing. Every error leaving an {@link IdbCollection} is a {@link CollectionError}
 * made here, so each collection says the same things in the same way, only naming itself.
 *
 * @see ./idbCollection.ts
 */

/** How messages name a collection, e.g. "Run history" (singular) or "Saved models" (plural). */
export interface CollectionWording {
  /** Starts sentences: "Run history is unavailable…". */
  readonly title: string;
  /** Whether `title` takes "are" / "them" / "their" rather than "is" / "it" / "its". */
  readonly plural: boolean;
  /** What to delete when the storage is full: "some past runs". */
  readonly deletable: string;
}

/**
 * Why a collection failed, for callers that react differently: `unavailable` means it cannot be
 * used at all in this page (show it as unavailable); the others concern one action.
 */
export type CollectionFailure = 'unavailable' | 'quota' | 'blocked' | 'invalid' | 'notFound' | 'failed';

export class CollectionError extends Error {
  override readonly name = 'CollectionError';
  constructor(
    readonly failure: CollectionFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The words of one collection's messages, with the grammar its title needs. */
export function collectionPhrases(wording: CollectionWording) {
  const { title, plural } = wording;
  const is = plural ? 'are' : 'is';
  const it = plural ? 'them' : 'it';
  return {
    unavailableHere: (detail: string) => `${title} ${is} unavailable in this browser: ${detail}`,
    blocked: `${title} ${is} waiting for another tab of this app to let go of ${it}: close the other tabs of this page, then reload.`,
    closed: `${title} ${is} closed.`,
    upgradedElsewhere: `${title} ${plural ? 'were' : 'was'} upgraded by a newer version of this app in another tab; reload this page.`,
    connectionLost: `${title} lost ${plural ? 'their' : 'its'} connection to the browser's storage; reload this page.`,
    newerVersion: (detail: string) =>
      `${title} ${is} unavailable: ${plural ? 'they were' : 'it was'} saved by a newer version of this app; reload the page (${detail}).`,
    closedConnection: (detail: string) =>
      `${title} ${is} unavailable: the connection to the browser's storage was closed; reload the page (${detail}).`,
    full: (detail: string) =>
      `Your browser's storage is full: delete ${wording.deletable} or free space for this site, then try again (${detail}).`,
    failed: (detail: string) => `${title} failed: ${detail}`,
  };
}

function detailOf(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return error.message || error.name;
  return String(error);
}

/**
 * Maps IndexedDB's DOMExceptions onto messages that say what to do. Browsers report a full disk
 * as `QuotaExceededError`, either thrown or as the aborting transaction's error.
 */
export function toCollectionError(error: unknown, wording: CollectionWording): CollectionError {
  if (error instanceof CollectionError) return error;
  const phrases = collectionPhrases(wording);
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const detail = detailOf(error);
  switch (name) {
    case 'QuotaExceededError':
      return new CollectionError('quota', phrases.full(detail), { cause: error });
    case 'VersionError':
      return new CollectionError('unavailable', phrases.newerVersion(detail), { cause: error });
    case 'InvalidStateError':
      return new CollectionError('unavailable', phrases.closedConnection(detail), { cause: error });
    default:
      return new CollectionError('failed', phrases.failed(detail), { cause: error });
  }
}

/** The collection cannot be used in this browser at all (no IndexedDB, private mode, refused). */
export function unavailableError(error: unknown, wording: CollectionWording): CollectionError {
  return new CollectionError('unavailable', collectionPhrases(wording).unavailableHere(detailOf(error)), {
    cause: error,
  });
}
