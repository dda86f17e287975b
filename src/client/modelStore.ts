import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { browserIndexedDb, guardConnection } from './idbConnection.ts';
import { z } from 'zod';
import {
  checkSavedModel,
  parseSavedModelInfo,
  type SavedModel,
  type SavedModelInfo,
} from '../core/modelFile.ts';
import type { ParameterTensor } from '../core/modelParameters.ts';

/**
 * Saved models in this browser's IndexedDB, apart from the run history (their own database, so
 * neither blocks the other's upgrades). Two stores: `models` holds what the list shows (name,
 * config, accuracy, when) and `weights` the tensors, so listing never reads megabytes of weights.
 * Everything read back is validated (`core/modelFile.ts`); what fails is skipped and counted,
 * never deleted. Errors leaving this module are {@link ModelStoreError}s a person can act on.
 */

export const MODEL_STORE_DB_NAME = 'mlp-playground-models';
/** Bump with a new step in `upgradeSchema` whenever stores or indexes change. */
const DB_VERSION = 1;
const MODELS = 'models';
const WEIGHTS = 'weights';

interface ModelSchema extends DBSchema {
  models: { key: string; value: unknown; indexes: { savedAt: number } };
  weights: { key: string; value: unknown };
}

type ModelDatabase = IDBPDatabase<ModelSchema>;

/** A saved model's list entry: its info plus the key it is stored under. */
export interface StoredModelInfo extends SavedModelInfo {
  readonly id: string;
}

export interface ModelListing {
  /** Newest first. */
  readonly models: StoredModelInfo[];
  /** Stored entries that failed validation; left in place. */
  readonly skipped: number;
}

export interface ModelStore {
  list(): Promise<ModelListing>;
  /** Validates first (throws a readable error if invalid); returns the entry as listed. */
  save(model: SavedModel): Promise<StoredModelInfo>;
  /** The whole model, weights included, validated; throws when missing or unreadable. */
  get(id: string): Promise<SavedModel>;
  /** Deleting an id that is not there is not an error. */
  remove(id: string): Promise<void>;
  close(): void;
}

export type ModelStoreFailure = 'unavailable' | 'quota' | 'blocked' | 'invalid' | 'notFound' | 'failed';

export class ModelStoreError extends Error {
  override readonly name = 'ModelStoreError';
  constructor(
    readonly failure: ModelStoreFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function modelStoreErrorMessage(error: unknown): string {
  return toStoreError(error).message;
}

const detailOf = (error: unknown) =>
  error instanceof Error || error instanceof DOMException ? error.message || error.name : String(error);

/** IndexedDB's DOMExceptions as messages that say what to do (see `runHistory.ts`). */
function toStoreError(error: unknown): ModelStoreError {
  if (error instanceof ModelStoreError) return error;
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const detail = detailOf(error);
  if (name === 'QuotaExceededError') {
    return new ModelStoreError(
      'quota',
      `Your browser's storage is full: delete some saved models or free space for this site, then try again (${detail}).`,
      { cause: error },
    );
  }
  if (name === 'VersionError' || name === 'InvalidStateError') {
    return new ModelStoreError('unavailable', `Saved models are unavailable: reload the page (${detail}).`, {
      cause: error,
    });
  }
  return new ModelStoreError('failed', `Saved models failed: ${detail}`, { cause: error });
}

function unavailable(error: unknown): ModelStoreError {
  return new ModelStoreError(
    'unavailable',
    `Saved models are unavailable in this browser: ${detailOf(error)}`,
    {
      cause: error,
    },
  );
}

async function guarded<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toStoreError(error);
  }
}

function upgradeSchema(database: ModelDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    database.createObjectStore(MODELS, { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
    database.createObjectStore(WEIGHTS, { keyPath: 'id' });
  }
}

/** Opens through an explicit factory (tests pass fake-indexeddb's); a blocked upgrade rejects at once. */
function openDatabase(factory: IDBFactory, name: string): Promise<ModelDatabase> {
  return new Promise<ModelDatabase>((resolve, reject) => {
    let settled = false;
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, DB_VERSION);
    } catch (error) {
      reject(unavailable(error));
      return;
    }
    request.addEventListener('upgradeneeded', (event) => {
      upgradeSchema(wrap(request.result) as unknown as ModelDatabase, event.oldVersion);
    });
    request.addEventListener('blocked', () => {
      if (settled) return;
      settled = true;
      reject(
        new ModelStoreError(
          'blocked',
          'Saved models are waiting for another tab of this app to let go of them: close the other tabs of this page, then reload.',
        ),
      );
    });
    (wrap(request) as Promise<unknown> as Promise<ModelDatabase>).then(
      (database) => {
        if (settled) database.close();
        else resolve(database);
        settled = true;
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        const mapped = toStoreError(error);
        reject(mapped.failure === 'quota' ? mapped : unavailable(error));
      },
    );
  });
}

const storedInfoSchema = z.object({ id: z.string().min(1).max(200) });
const storedWeightsSchema = z.object({
  id: z.string(),
  parameters: z.array(
    z.strictObject({
      name: z.string(),
      shape: z.array(z.number().int().min(1)),
      data: z.instanceof(Float32Array),
    }),
  ),
});

function readInfo(value: unknown): StoredModelInfo | null {
  const id = storedInfoSchema.safeParse(value);
  const info = parseSavedModelInfo(value);
  return id.success && info.ok ? { ...info.info, id: id.data.id } : null;
}

let counter = 0;
/** A new key: time plus a per-page counter plus random bits where the browser offers them. */
function newId(savedAt: number): string {
  counter += 1;
  const random = globalThis.crypto?.randomUUID?.().slice(0, 8) ?? '';
  return `model-${savedAt.toString(36)}-${counter}${random === '' ? '' : `-${random}`}`;
}

/** Opens (creating as needed) the saved models; rejects with a {@link ModelStoreError} when unusable. */
export async function openModelStore(
  options: { readonly factory?: IDBFactory; readonly name?: string } = {},
): Promise<ModelStore> {
  const factory = options.factory ?? browserIndexedDb();
  if (factory === undefined) {
    throw unavailable(new Error('this browser does not provide IndexedDB (some private modes turn it off)'));
  }
  const database = await openDatabase(factory, options.name ?? MODEL_STORE_DB_NAME);
  const { connection, closeWith } = guardConnection<ModelDatabase>(
    database,
    'Saved models',
    (reason) => new ModelStoreError('unavailable', reason),
  );

  return {
    list: () =>
      guarded(async () => {
        const tx = connection().transaction(MODELS, 'readonly');
        const [values, total] = await Promise.all([
          tx.store.index('savedAt').getAll(),
          tx.store.count(),
          tx.done,
        ]);
        const models = values.flatMap((value) => readInfo(value) ?? []).reverse();
        return { models, skipped: total - models.length };
      }),

    save: (model) =>
      guarded(async () => {
        const { parameters, ...info } = model;
        const checked = checkSavedModel(info, parameters);
        if (!checked.ok) throw new ModelStoreError('invalid', `This model cannot be saved: ${checked.error}`);
        const { parameters: tensors, ...valid } = checked.model;
        const stored: StoredModelInfo = { ...valid, id: newId(valid.savedAt) };
        const copies: ParameterTensor[] = tensors.map((p) => ({
          name: p.name,
          shape: [...p.shape],
          data: p.data,
        }));
        const tx = connection().transaction([MODELS, WEIGHTS], 'readwrite');
        await Promise.all([
          tx.objectStore(MODELS).put(stored),
          tx.objectStore(WEIGHTS).put({ id: stored.id, parameters: copies }),
          tx.done,
        ]);
        return stored;
      }),

    get: (id) =>
      guarded(async () => {
        const tx = connection().transaction([MODELS, WEIGHTS], 'readonly');
        const [info, weights] = await Promise.all([
          tx.objectStore(MODELS).get(id),
          tx.objectStore(WEIGHTS).get(id),
          tx.done,
        ]);
        if (info === undefined) {
          throw new ModelStoreError('notFound', 'This model is no longer saved (deleted in another tab?).');
        }
        const parsedWeights = storedWeightsSchema.safeParse(weights);
        const checked = parsedWeights.success
          ? checkSavedModel(info, parsedWeights.data.parameters)
          : { ok: false as const, error: 'its weights are missing or unreadable' };
        if (!checked.ok) {
          throw new ModelStoreError('invalid', `This saved model could not be read: ${checked.error}`);
        }
        return checked.model;
      }),

    remove: (id) =>
      guarded(async () => {
        const tx = connection().transaction([MODELS, WEIGHTS], 'readwrite');
        await Promise.all([tx.objectStore(MODELS).delete(id), tx.objectStore(WEIGHTS).delete(id), tx.done]);
      }),

    close: () => closeWith('Saved models are closed.'),
  };
}
