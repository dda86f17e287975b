import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../core/config.ts';
import { fakeIndexedDbPerTest } from '../testing/fakeIndexedDb.ts';
import { makeSavedModel } from '../testing/savedModelFixture.ts';
import { MODEL_STORE_DB_NAME, modelStoreErrorMessage, openModelStore } from './modelStore.ts';

const small: TrainingConfig = {
  ...DEFAULT_CONFIG,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0, batchNorm: true }],
  },
};

const { open, openRaw: openRawNamed } = fakeIndexedDbPerTest((factory) => openModelStore({ factory }));
const openRaw = () => openRawNamed(MODEL_STORE_DB_NAME);

describe('model store', () => {
  it('saves, lists newest first without weights, and gets a model back bit for bit', async () => {
    const store = await open();
    const older = makeSavedModel(small, { name: 'older', savedAt: 1_000 });
    const newer = makeSavedModel(small, { name: 'newer', savedAt: 2_000 }, 9);
    const saved = await store.save(older);
    await store.save(newer);
    const { items: models, skipped } = await store.list();
    expect(models.map((m) => m.name)).toEqual(['newer', 'older']);
    expect(skipped).toBe(0);
    expect(models[1]).toEqual({ ...saved });
    expect(models[0]).not.toHaveProperty('parameters');
    const back = await store.get(saved.id);
    expect(back.parameters).toEqual(older.parameters);
    expect(back.config).toEqual(small);
  });

  it('keeps models across close and reopen (a page reload)', async () => {
    const first = await open();
    const saved = await first.save(makeSavedModel(small));
    first.close();
    const second = await open();
    expect((await second.get(saved.id)).name).toBe('digits');
  });

  it('refuses an invalid model with what is wrong and stores nothing', async () => {
    const store = await open();
    const model = makeSavedModel(small);
    const broken = { ...model, parameters: model.parameters.slice(1) };
    await expect(store.save(broken)).rejects.toThrow(
      /^This model cannot be saved: Tensor 1 should be dense0\.kernel/,
    );
    expect((await store.list()).items).toEqual([]);
  });

  it('deletes a model and its weights; deleting one that is gone is not an error', async () => {
    const store = await open();
    const saved = await store.save(makeSavedModel(small));
    await store.remove(saved.id);
    await store.remove(saved.id);
    expect((await store.list()).items).toEqual([]);
    await expect(store.get(saved.id)).rejects.toThrow('no longer saved');
    const raw = await openRaw();
    expect(await raw.getAllKeys('weights')).toEqual([]);
    raw.close();
  });

  it('skips and counts corrupted entries, never deletes them, and will not load corrupted weights', async () => {
    const store = await open();
    const good = await store.save(makeSavedModel(small, { name: 'good' }));
    const victim = await store.save(makeSavedModel(small, { name: 'victim', savedAt: 5 }));
    const raw = await openRaw();
    await raw.put('models', { ...good, id: 'bad-info', testAccuracy: 'high' });
    const weights = (await raw.get('weights', victim.id)) as { parameters: { data: Float32Array }[] };
    weights.parameters[0]!.data = weights.parameters[0]!.data.subarray(0, 10);
    await raw.put('weights', weights);
    const { items: models, skipped } = await store.list();
    expect(models.map((m) => m.name)).toEqual(['good', 'victim']);
    expect(skipped).toBe(1);
    await expect(store.get(victim.id)).rejects.toThrow(
      /^This saved model could not be read: dense0\.kernel has 10 values but 784×8 needs 6,272/,
    );
    await expect(store.get('bad-info')).rejects.toThrow('could not be read');
    expect((await raw.getAllKeys('models')).length).toBe(3);
    raw.close();
  });

  it('says the storage is full when the browser refuses a write for quota', async () => {
    const store = await open();
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(store.save(makeSavedModel(small))).rejects.toThrow(/^Your browser's storage is full: /);
  });

  it('says it is unavailable without IndexedDB, and after close', async () => {
    vi.stubGlobal('indexedDB', undefined);
    await expect(openModelStore()).rejects.toThrow(/^Saved models are unavailable in this browser: /);
    const store = await open();
    store.close();
    await expect(store.list()).rejects.toThrow('Saved models are closed.');
    expect(modelStoreErrorMessage('odd')).toBe('Saved models failed: odd');
  });
});
