import type { SavedModel } from '../modelFile.ts';

/**
 * The contract every model export format meets: a saved model in, the files a person downloads
 * out. The Models panel lists the formats (`src/ui/models/modelExports.ts`) and loads each
 * writer lazily, so the libraries a format needs (TF.js Layers, protobuf) never reach the page's
 * first download.
 */

/** One file to download: its name (with extension), its media type and its bytes or text. */
export interface ExportedFile {
  readonly name: string;
  /** E.g. `application/json`, `application/octet-stream`, `text/x-python`. */
  readonly mimeType: string;
  readonly contents: Uint8Array | string;
}

/**
 * Writes `model` in one format. `baseName` is the safe file-name stem to use (e.g. `digits-97`);
 * formats of several files (TF.js: `model.json` + `.bin`) name them from it so they stay
 * together. Rejects with a message a person can act on when the model cannot be expressed in
 * the format.
 */
export type ModelExporter = (model: SavedModel, baseName: string) => Promise<readonly ExportedFile[]>;
