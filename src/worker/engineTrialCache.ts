import { wrap, type IDBPDatabase } from 'idb';
import { BACKEND_CHOICES, type BackendName } from '../core/backends.ts';
import type { CandidateRate } from '../core/engineTrial.ts';
import { ENGINE_CHOICES, type EnginePath } from '../core/engines.ts';

/**
 * The measuring `auto`'s memory: the choice a trial made, per device and model shape (the key of
 * `engineTrialKey` in `core/engineTrial.ts`), kept in the worker's IndexedDB so later runs of
 * the same shape start at once, with the rates shown as "from a measurement on …".
 *
 * When a choice is measured again: the key holds the browser's major version, the GPU adapter
 * and renderer, the core count and cross-origin isolation, so a browser update or another GPU
 * measures afresh by itself; a choice older than {@link MAX_AGE_DAYS} is measured again too
 * (driver and OS updates change speed without changing the key); and Details has a "Measure
 * again" button for a person who doubts it (it empties this cache: the next Train measures).
 *
 * Storage can fail (private mode, a full disk, no IndexedDB): every method then answers as an
 * empty cache would, and runs just measure.
 */

/** A kept choice. */
export interface CachedEngineChoice {
  /** `engineTrialKey(device, shape, backend choice)`. */
  readonly key: string;
  readonly engine: EnginePath;
  readonly backend: BackendName;
  /** Every candidate's rate, as the trial measured them. */
  readonly measured: readonly CandidateRate[];
  /** When it was measured (ms since 1970, UTC). */
  readonly measuredAt: number;
}

/**
 * The longest a run waits for the cache (ms): storage that does not answer (a stuck upgrade, a
 * busy disk) must not hold up Train; the run then measures, as with an empty cache.
 */
const STORAGE_WAIT_MS = 2000;

/** `work`'s value, or `fallback` when it has not settled within `ms`. */
async function withinMs<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A choice older than this many days is measured again. */
export const MAX_AGE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const DATABASE = 'mlp-playground-engine-trials';

/** The worker's IndexedDB, or null where there is none (reading the global can throw). */
function workerIndexedDb(): IDBFactory | null {
  try {
    return typeof indexedDB === 'undefined' ? null : indexedDB;
  } catch {
    return null;
  }
}
const STORE = 'choices';

/** The cache's operations; none of them rejects. */
export interface EngineTrialCache {
  /** The choice kept under `key`, or null (none, unreadable, or older than {@link MAX_AGE_DAYS} at `now`). */
  get(key: string, now: number): Promise<CachedEngineChoice | null>;
  put(choice: CachedEngineChoice): Promise<void>;
  /** Forgets every kept choice ("Measure again"). */
  clear(): Promise<void>;
  close(): void;
}

const PATHS = new Set<string>(ENGINE_CHOICES.filter((c) => c !== 'auto'));
const BACKENDS = new Set<string>(BACKEND_CHOICES.filter((c) => c !== 'auto'));

/** The stored value as a choice, or null when it is not one (an older version, a hand edit). */
function readChoice(value: unknown): CachedEngineChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<Record<keyof CachedEngineChoice, unknown>>;
  const ok =
    typeof v.key === 'string' &&
    typeof v.engine === 'string' &&
    PATHS.has(v.engine) &&
    typeof v.backend === 'string' &&
    BACKENDS.has(v.backend) &&
    Array.isArray(v.measured) &&
    v.measured.every(isRate) &&
    typeof v.measuredAt === 'number' &&
    Number.isFinite(v.measuredAt);
  return ok ? (value as CachedEngineChoice) : null;
}

function isRate(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<keyof CandidateRate, unknown>>;
  return (
    typeof r.engine === 'string' &&
    PATHS.has(r.engine) &&
    typeof r.backend === 'string' &&
    BACKENDS.has(r.backend) &&
    typeof r.outcome === 'string' &&
    (r.examplesPerSecond === null || typeof r.examplesPerSecond === 'number') &&
    typeof r.trialMs === 'number'
  );
}

/**
 * Opens the database through `factory` (idb's `openDB` always uses the global one; tests pass an
 * isolated fake); null when it cannot open or another tab blocks the upgrade. The connection
 * lets go when another tab upgrades the database.
 */
function openChoices(factory: IDBFactory): Promise<IDBPDatabase<unknown> | null> {
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(DATABASE, 1);
    } catch {
      resolve(null); // some private modes throw instead of failing the request
      return;
    }
    request.onupgradeneeded = () => void request.result.createObjectStore(STORE, { keyPath: 'key' });
    request.onblocked = () => resolve(null);
    request.onerror = () => resolve(null);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => db.close();
      resolve(wrap(db) as IDBPDatabase<unknown>);
    };
  });
}

/**
 * The cache in `factory`'s IndexedDB (the worker's own by default), opened on first use; a cache
 * that cannot open behaves as an empty one.
 */
export function engineTrialCache(factory: IDBFactory | null = workerIndexedDb()): EngineTrialCache {
  let opening: Promise<IDBPDatabase<unknown> | null> | null = null;
  const database = () => (opening ??= factory ? openChoices(factory) : Promise.resolve(null));
  const quietly = async <T>(fallback: T, action: (db: IDBPDatabase<unknown>) => Promise<T>): Promise<T> => {
    const attempt = async () => {
      const db = await database();
      return db === null ? fallback : await action(db);
    };
    try {
      return await withinMs(attempt(), STORAGE_WAIT_MS, fallback);
    } catch {
      return fallback;
    }
  };
  return {
    get: (key, now) =>
      quietly(null, async (db) => {
        const choice = readChoice(await db.get(STORE, key));
        return choice !== null && now - choice.measuredAt <= MAX_AGE_DAYS * DAY_MS ? choice : null;
      }),
    put: (choice) => quietly(undefined, async (db) => void (await db.put(STORE, choice))),
    clear: () => quietly(undefined, (db) => db.clear(STORE)),
    close: () => void opening?.then((db) => db?.close()),
  };
}
