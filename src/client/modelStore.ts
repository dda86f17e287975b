import { z } from 'zod';
import { CollectionError, toCollectionError, type CollectionWording } from './collectionErrors.ts';
import {
  openIdbCollection,
  type CollectionSpec,
  type IdbCollection,
  type OpenCollectionOptions,
} from './idbCollection.ts';
import {
  checkSavedModel,
  parseSavedModelInfo,
  type SavedModel,
  type SavedModelInfo,
} from '../core/modelFile.ts';
import type { ParameterTensor } from '../core/modelParameters.ts';

/**
 * Saved models in this browser's IndexedDB, apart from the run history (their own database, so
 * neither blocks the other's upgrades). An {@link IdbCollection} with two stores: `models` holds
 * what the list shows (name, config, accuracy, when) and `weights` the tensors under the same key,
 * so listing never reads megabytes of weights. Everything read back is validated
 * (`core/modelFile.ts`); what fails is skipped and counted, never deleted. Errors leaving this
 * module are `CollectionError`s a person can act on; see {@link modelStoreErrorMessage}.
 */

export const MODEL_STORE_DB_NAME = 'mlp-playground-models';
const MODELS = 'models';
const WEIGHTS = 'weights';

/** A saved model's list entry: its info plus the key it is stored under. */
export interface StoredModelInfo extends SavedModelInfo {
  readonly id: string;
}

const MODELS_WORDING: CollectionWording = {
  title: 'Saved models',
  plural: true,
  deletable: 'some saved models',
};

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

const SAVED_MODELS: CollectionSpec<StoredModelInfo> = {
  name: MODEL_STORE_DB_NAME,
  version: 1,
  upgrade: (database, oldVersion) => {
    if (oldVersion < 1) {
      database.createObjectStore(MODELS, { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
      database.createObjectStore(WEIGHTS, { keyPath: 'id' });
    }
  },
  store: MODELS,
  parts: [WEIGHTS],
  newestFirstBy: 'savedAt',
  read: (value) => {
    const id = storedInfoSchema.safeParse(value);
    const info = parseSavedModelInfo(value);
    if (!info.ok) return info;
    return id.success ? { ok: true, value: { ...info.info, id: id.data.id } } : { ok: false, error: 'no id' };
  },
  wording: MODELS_WORDING,
};

export interface ModelStore extends Pick<IdbCollection<StoredModelInfo>, 'list' | 'remove' | 'close'> {
  /** Validates first (throws a readable error if invalid); returns the entry as listed. */
  save(model: SavedModel): Promise<StoredModelInfo>;
  /** The whole model, weights included, validated; throws when missing or unreadable. */
  get(id: string): Promise<SavedModel>;
}

/** The message a person should read for any error from the saved models (or anything else). */
export function modelStoreErrorMessage(error: unknown): string {
  return toCollectionError(error, MODELS_WORDING).message;
}

let counter = 0;
/** A new key: time plus a per-page counter plus random bits where the browser offers them. */
function newId(savedAt: number): string {
  counter += 1;
  const random = globalThis.crypto?.randomUUID?.().slice(0, 8) ?? '';
  return `model-${savedAt.toString(36)}-${counter}${random === '' ? '' : `-${random}`}`;
}

/** Opens (creating as needed) the saved models; rejects with a `CollectionError` when unusable. */
export async function openModelStore(options: OpenCollectionOptions = {}): Promise<ModelStore> {
  const collection = await openIdbCollection(SAVED_MODELS, options);
  return {
    list: collection.list,
    remove: collection.remove,
    close: collection.close,

    save: async (model) => {
      const { parameters, ...info } = model;
      const checked = checkSavedModel(info, parameters);
      if (!checked.ok) throw new CollectionError('invalid', `This model cannot be saved: ${checked.error}`);
      const { parameters: tensors, ...valid } = checked.model;
      const stored: StoredModelInfo = { ...valid, id: newId(valid.savedAt) };
      const copies: ParameterTensor[] = tensors.map((p) => ({
        name: p.name,
        shape: [...p.shape],
        data: p.data,
      }));
      await collection.write({ [MODELS]: stored, [WEIGHTS]: { id: stored.id, parameters: copies } });
      return stored;
    },

    get: (id) =>
      collection.transact([MODELS, WEIGHTS], 'readonly', async (tx) => {
        const [info, weights]: unknown[] = await Promise.all([
          tx.objectStore(MODELS).get(id),
          tx.objectStore(WEIGHTS).get(id),
          tx.done,
        ]);
        if (info === undefined) {
          throw new CollectionError('notFound', 'This model is no longer saved (deleted in another tab?).');
        }
        const parsedWeights = storedWeightsSchema.safeParse(weights);
        const checked = parsedWeights.success
          ? checkSavedModel(info, parsedWeights.data.parameters)
          : { ok: false as const, error: 'its weights are missing or unreadable' };
        if (!checked.ok) {
          throw new CollectionError('invalid', `This saved model could not be read: ${checked.error}`);
        }
        return checked.model;
      }),
  };
}
