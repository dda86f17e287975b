import { encodeModelFile } from '../modelFile.ts';
import type { ModelExporter } from './exportedFile.ts';

/** This playground's own model file (see `modelFile.ts`): config, normalisation and weights. */
export const exportPlaygroundModel: ModelExporter = (model, baseName) =>
  Promise.resolve([
    { name: `${baseName}.model.json`, mimeType: 'application/json', contents: encodeModelFile(model) },
  ]);
