import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  engineTrialCache,
  MAX_AGE_DAYS,
  type CachedEngineChoice,
  type EngineTrialCache,
} from './engineTrialCache.ts';

const DAY = 24 * 60 * 60 * 1000;
const measuredAt = Date.UTC(2026, 11, 3);

const choice = (key: string): CachedEngineChoice => ({
  key,
  engine: 'fused',
  backend: 'wasm',
  measured: [
    { engine: 'fused', backend: 'wasm', outcome: 'measured', examplesPerSecond: 98_000, trialMs: 40 },
    {
      engine: 'tfjs',
      backend: 'webgl',
      outcome: 'capped',
      examplesPerSecond: null,
      trialMs: 4100,
      software: true,
    },
  ],
  measuredAt,
});

const opened: EngineTrialCache[] = [];
const open = (factory: IDBFactory | null = new IDBFactory()) => {
  const cache = engineTrialCache(factory);
  opened.push(cache);
  return cache;
};
afterEach(() => {
  for (const cache of opened.splice(0)) cache.close();
});

describe('engineTrialCache', () => {
  it('keeps a choice per key, and hands it back whole', async () => {
    const cache = open();
    expect(await cache.get('a', measuredAt)).toBeNull();
    await cache.put(choice('a'));
    expect(await cache.get('a', measuredAt + DAY)).toEqual(choice('a'));
    expect(await cache.get('b', measuredAt)).toBeNull();
  });

  it('survives a new connection (a reload)', async () => {
    const factory = new IDBFactory();
    const first = open(factory);
    await first.put(choice('a'));
    first.close();
    expect(await open(factory).get('a', measuredAt)).toEqual(choice('a'));
  });

  it(`measures again after ${MAX_AGE_DAYS} days`, async () => {
    const cache = open();
    await cache.put(choice('a'));
    expect(await cache.get('a', measuredAt + MAX_AGE_DAYS * DAY)).not.toBeNull();
    expect(await cache.get('a', measuredAt + MAX_AGE_DAYS * DAY + 1)).toBeNull();
  });

  it('forgets every choice on "Measure again"', async () => {
    const cache = open();
    await cache.put(choice('a'));
    await cache.put(choice('b'));
    await cache.clear();
    expect(await cache.get('a', measuredAt)).toBeNull();
    expect(await cache.get('b', measuredAt)).toBeNull();
  });

  it('ignores a stored value it does not understand', async () => {
    const cache = open();
    await cache.put({ ...choice('a'), engine: 'quantum' } as unknown as CachedEngineChoice);
    await cache.put({ ...choice('b'), measured: [{ engine: 'fused' }] } as unknown as CachedEngineChoice);
    expect(await cache.get('a', measuredAt)).toBeNull();
    expect(await cache.get('b', measuredAt)).toBeNull();
  });

  it('without IndexedDB answers as an empty cache, and never rejects', async () => {
    const cache = open(null);
    await cache.put(choice('a'));
    expect(await cache.get('a', measuredAt)).toBeNull();
    await expect(cache.clear()).resolves.toBeUndefined();
    const broken = {
      open: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const refusing = open(broken);
    await refusing.put(choice('a'));
    expect(await refusing.get('a', measuredAt)).toBeNull();
  });

  it('does not hold up a run when storage never answers', async () => {
    vi.useFakeTimers();
    try {
      const silent = { open: () => ({}) as IDBOpenDBRequest } as unknown as IDBFactory;
      const answer = open(silent).get('a', measuredAt);
      await vi.advanceTimersByTimeAsync(2000);
      expect(await answer).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
