import { describe, expect, it } from 'vitest';
import {
  CollectionError,
  collectionPhrases,
  toCollectionError,
  unavailableError,
} from './collectionErrors.ts';

const history = { title: 'Run history', plural: false, deletable: 'some past runs' };
const models = { title: 'Saved models', plural: true, deletable: 'some saved models' };

describe('collection errors', () => {
  it('names each collection with the grammar its title needs', () => {
    expect(collectionPhrases(history).blocked).toBe(
      'Run history is waiting for another tab of this app to let go of it: close the other tabs of this page, then reload.',
    );
    expect(collectionPhrases(models).blocked).toBe(
      'Saved models are waiting for another tab of this app to let go of them: close the other tabs of this page, then reload.',
    );
    expect(collectionPhrases(models).upgradedElsewhere).toMatch(/^Saved models were upgraded /);
    expect(collectionPhrases(models).connectionLost).toMatch(/^Saved models lost their connection /);
    expect(collectionPhrases(history).connectionLost).toMatch(/^Run history lost its connection /);
  });

  it('maps IndexedDB failures onto what to do, and keeps its own errors as they are', () => {
    const full = toCollectionError(new DOMException('no space', 'QuotaExceededError'), models);
    expect(full.failure).toBe('quota');
    expect(full.message).toBe(
      "Your browser's storage is full: delete some saved models or free space for this site, then try again (no space).",
    );
    const newer = toCollectionError(new DOMException('too new', 'VersionError'), history);
    expect([newer.failure, newer.message]).toEqual([
      'unavailable',
      'Run history is unavailable: it was saved by a newer version of this app; reload the page (too new).',
    ]);
    expect(toCollectionError(new DOMException('closing', 'InvalidStateError'), models).failure).toBe(
      'unavailable',
    );
    const own = new CollectionError('notFound', 'gone');
    expect(toCollectionError(own, history)).toBe(own);
    expect(toCollectionError('odd', models).message).toBe('Saved models failed: odd');
    expect(unavailableError(new Error('no IndexedDB'), models).message).toBe(
      'Saved models are unavailable in this browser: no IndexedDB',
    );
  });
});
