import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config.ts';
import { exportPlaygroundModel } from '../../core/export/playgroundExport.ts';
import { exportTfjsLayers } from '../../core/export/tfjsLayersExport.ts';
import type { ExportedFile } from '../../core/export/exportedFile.ts';
import type { SavedModel } from '../../core/modelFile.ts';
import { makeSavedModel } from '../../testing/savedModelFixture.ts';
import { readUploadedModel } from './modelUpload.ts';

const config = {
  ...DEFAULT_CONFIG,
  model: {
    ...DEFAULT_CONFIG.model,
    hiddenLayers: [{ units: 4, activation: 'relu' as const, dropout: 0, batchNorm: false }],
  },
};
const model: SavedModel = makeSavedModel(config, { name: 'tiny' });

const asFiles = (files: readonly ExportedFile[]) =>
  files.map(
    (f) => new File([typeof f.contents === 'string' ? f.contents : new Uint8Array(f.contents)], f.name),
  );

describe('readUploadedModel', () => {
  it('reads our model file alone, and a TF.js model.json with its weights', async () => {
    const ours = await readUploadedModel(asFiles(await exportPlaygroundModel(model, 'tiny')), 0);
    expect(ours).toEqual({ model, notes: [], source: 'tiny.model.json' });
    const tfjs = await readUploadedModel(asFiles(await exportTfjsLayers(model, 'tiny')), 0);
    expect(tfjs).toEqual({ model, notes: [], source: 'tiny.tfjs.json and tiny.weights.bin' });
  });

  it('says how to choose when the files do not go together', async () => {
    const [json, bin] = asFiles(await exportTfjsLayers(model, 'tiny'));
    const [ours] = asFiles(await exportPlaygroundModel(model, 'tiny'));
    await expect(readUploadedModel([bin!], 0)).rejects.toThrow(
      'Choose a model file (.json). tiny.weights.bin can only come together with its model.json. Nothing was changed.',
    );
    await expect(readUploadedModel([json!, ours!], 0)).rejects.toThrow(
      'Choose one model at a time (tiny.tfjs.json, tiny.model.json are 2 .json files). Nothing was changed.',
    );
    await expect(readUploadedModel([ours!, bin!], 0)).rejects.toThrow(
      'tiny.model.json is a model file of this playground and holds its own weights: choose it alone, without tiny.weights.bin.',
    );
    await expect(readUploadedModel([json!], 0)).rejects.toThrow(
      /^tiny\.tfjs\.json: tiny\.tfjs\.json needs its weights file tiny\.weights\.bin \(chosen: none\)/,
    );
  });
});
