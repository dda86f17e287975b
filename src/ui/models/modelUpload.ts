import { MAX_MODEL_FILE_BYTES, parseModelFile, type SavedModel } from '../../core/modelFile.ts';

/**
 * What Upload model file reads: one `.json` file, either this playground's model file (which
 * holds its weights) or a TF.js Layers `model.json` chosen together with its `.bin` weight files.
 * The TF.js reader is loaded only when such a file comes.
 */

export interface UploadedModel {
  readonly model: SavedModel;
  /** What the person should know about how it was read (e.g. default settings for a foreign model). */
  readonly notes: readonly string[];
  /** The files it came from, for the status line: `a.tfjs.json and a.weights.bin`. */
  readonly source: string;
}

const namesOf = (files: readonly File[]) => files.map((f) => f.name).join(', ');

const isJson = (file: File) => /\.json$/i.test(file.name) || file.type === 'application/json';

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The one `.json` among `files`, or a message on how to choose. */
function modelJsonOf(files: readonly File[]): File {
  const jsons = files.filter(isJson);
  const others = files.filter((f) => !isJson(f));
  const [json] = jsons;
  if (jsons.length > 1) {
    throw new Error(
      `Choose one model at a time (${namesOf(jsons)} are ${jsons.length} .json files). Nothing was changed.`,
    );
  }
  if (json === undefined) {
    const weights =
      others.length > 0 ? ` ${namesOf(others)} can only come together with its model.json.` : '';
    throw new Error(`Choose a model file (.json).${weights} Nothing was changed.`);
  }
  return json;
}

/**
 * Reads the chosen `files` into a saved model, or throws a message naming the file and what is
 * wrong, ending in "Nothing was changed." `now` is the saved time a model from elsewhere gets.
 */
export async function readUploadedModel(files: readonly File[], now: number): Promise<UploadedModel> {
  const bytes = files.reduce((n, f) => n + f.size, 0);
  if (bytes > MAX_MODEL_FILE_BYTES) {
    throw new Error(
      `${namesOf(files)}: too large (${(bytes / 1e6).toFixed(0)} MB; at most ${MAX_MODEL_FILE_BYTES / 1e6} MB). Nothing was changed.`,
    );
  }
  const json = modelJsonOf(files);
  const others = files.filter((f) => f !== json);
  const text = await json.text();
  // A cheap look first: only a text naming a TF.js field is parsed here (model files can be large).
  if (text.includes('"modelTopology"') || text.includes('"weightsManifest"')) {
    const value = tryParse(text);
    const tfjs = await import('../../core/export/tfjsLayersImport.ts');
    if (tfjs.isTfjsModelJson(value)) {
      const weights = await Promise.all(
        others.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
      );
      const parsed = tfjs.parseTfjsLayersModel(value, json.name, weights, now);
      if (!parsed.ok) throw new Error(`${json.name}: ${parsed.error} Nothing was changed.`);
      return { model: parsed.model, notes: parsed.notes, source: files.map((f) => f.name).join(' and ') };
    }
  }
  const parsed = parseModelFile(text);
  if (!parsed.ok) throw new Error(`${json.name}: ${parsed.error} Nothing was changed.`);
  if (others.length > 0) {
    throw new Error(
      `${json.name} is a model file of this playground and holds its own weights: choose it alone, without ${namesOf(others)}. Nothing was changed.`,
    );
  }
  return { model: parsed.model, notes: [], source: json.name };
}
