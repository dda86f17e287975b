import { z } from 'zod';
import { architectureOf } from '../configSummary.ts';
import { DEFAULT_CONFIG, validateConfig, type Normalization } from '../config.ts';
import {
  bytesToFloat32,
  checkSavedModel,
  MAX_MODEL_NAME_LENGTH,
  MODEL_FILE_FORMAT,
  MODEL_FILE_VERSION,
  parseSavedModelInfo,
  type SavedModel,
} from '../modelFile.ts';
import { describeShape, parameterLayout, sizeOf, type ParameterTensor } from '../modelParameters.ts';
import type { NormalizationStats } from '../normalization.ts';
import { kerasWeightName, TFJS_LAYERS_FORMAT } from './tfjsLayersFormat.ts';
import { readForeignTopology, type ForeignArchitecture, type WeightSource } from './tfjsLayersTopology.ts';

/**
 * Reads a TF.js Layers model (`model.json` and its weight files) back into a {@link SavedModel}.
 * A file this playground wrote (`userDefinedMetadata.format` is ours) gets its exact config,
 * name, normalisation and origin back, its weights found by name; any other `Sequential` model
 * of supported layers (`tfjsLayersTopology.ts`) gets the default config with its layers, its
 * normalisation from its `Rescaling` layer (raw 0–255 pixels without one, as TF.js would feed
 * it). Everything is checked; a problem comes back as a message naming the layer, weight or file.
 */

/** A weights file the person chose, by its name on disk. */
export interface WeightFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type TfjsImport =
  | { readonly ok: true; readonly model: SavedModel; readonly notes: readonly string[] }
  | { readonly ok: false; readonly error: string };

/** What a model without a `Rescaling` layer is fed: raw pixels, `(x/255 − 0)/(1/255)`. */
const RAW_PIXELS: NormalizationStats = { mean: 0, std: 1 / 255 };

const manifestSchema = z
  .array(
    z.object({
      paths: z.array(z.string()).min(1).max(1000),
      weights: z
        .array(
          z.object({
            name: z.string(),
            shape: z.array(z.number().int().min(0).max(100_000_000)).max(8),
            dtype: z.string().optional(),
            quantization: z.unknown().optional(),
          }),
        )
        .max(10_000),
    }),
  )
  .max(1000);

type Manifest = z.infer<typeof manifestSchema>;

/** A weight as the manifest names it (a `:0` suffix dropped) and its values. */
interface NamedWeight {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

class ImportError extends Error {}

const fail = (message: string): never => {
  throw new ImportError(message);
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True for a parsed JSON value that is a TF.js model (layers or graph), not our own model file. */
export function isTfjsModelJson(value: unknown): boolean {
  return isRecord(value) && ('modelTopology' in value || 'weightsManifest' in value);
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The manifest's files, in order, matched by name (one file for one path whatever its name). */
function filesOf(
  manifest: Manifest,
  files: readonly WeightFile[],
  jsonName: string,
): Map<string, WeightFile> {
  const paths = manifest.flatMap((group) => group.paths);
  const found = new Map<string, WeightFile>();
  for (const path of paths) {
    const name = baseName(path);
    const file = files.find((f) => f.name === name || f.name === decodeURIComponent(name));
    if (file !== undefined) found.set(path, file);
  }
  const [onlyPath] = paths;
  const [onlyFile] = files;
  if (paths.length === 1 && files.length === 1 && onlyPath !== undefined && onlyFile !== undefined) {
    found.set(onlyPath, onlyFile);
  }
  const missing = paths.filter((path) => !found.has(path)).map(baseName);
  if (missing.length > 0) {
    const chosen = files.length === 0 ? 'none' : files.map((f) => f.name).join(', ');
    fail(
      `${jsonName} needs its weights file${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (chosen: ${chosen}): choose the .json and its .bin files together.`,
    );
  }
  return found;
}

/** Every weight in the manifest, read from its group's files (little-endian float32 only). */
function readWeights(manifest: Manifest, files: readonly WeightFile[], jsonName: string) {
  const byPath = filesOf(manifest, files, jsonName);
  const weights = new Map<string, NamedWeight>();
  for (const group of manifest) {
    const parts = group.paths.map((path) => byPath.get(path)?.bytes ?? new Uint8Array(0));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((offset, part) => (bytes.set(part, offset), offset + part.length), 0);
    const needed = group.weights.reduce((n, w) => n + sizeOf(w.shape) * 4, 0);
    const fileNames = group.paths.map(baseName).join(' + ');
    if (bytes.length !== needed) {
      fail(
        `${fileNames} holds ${bytes.length.toLocaleString('en-US')} bytes but its manifest needs ${needed.toLocaleString('en-US')}: the weights are truncated or belong to another model.`,
      );
    }
    let offset = 0;
    for (const { name, shape, dtype, quantization } of group.weights) {
      if (quantization !== undefined)
        fail(`Weight ${name} is quantized; export the model without quantization.`);
      if ((dtype ?? 'float32') !== 'float32')
        fail(`Weight ${name} is ${dtype}; only float32 weights are read.`);
      const size = sizeOf(shape) * 4;
      weights.set(name.replace(/:\d+$/, ''), {
        shape,
        data: bytesToFloat32(bytes.subarray(offset, offset + size)),
      });
      offset += size;
    }
  }
  return weights;
}

/** A Keras layer's weight: `layer/weight` exactly, else the one name ending in `/layer/weight`. */
function findWeight(weights: ReadonlyMap<string, NamedWeight>, layer: string, weight: string): NamedWeight {
  const key = `${layer}/${weight}`;
  const exact = weights.get(key);
  if (exact !== undefined) return exact;
  const scoped = [...weights.keys()].filter((name) => name.endsWith(`/${key}`));
  const [only] = scoped;
  if (scoped.length !== 1 || only === undefined) {
    return fail(
      `The weights manifest has ${scoped.length === 0 ? 'no' : 'several'} ${key}, which the layers need.`,
    );
  }
  return weights.get(only) ?? fail(`The weights manifest has no ${key}.`);
}

function tensor(name: string, shape: readonly number[], source: NamedWeight, label: string): ParameterTensor {
  if (source.shape.join() !== shape.join()) {
    fail(`${label} is ${describeShape(source.shape)} but the layers need ${describeShape(shape)} (${name}).`);
  }
  return { name, shape, data: source.data };
}

/** A model this playground exported: its record from the metadata, its weights by name. */
function ownModel(meta: Record<string, unknown>, weights: ReadonlyMap<string, NamedWeight>): SavedModel {
  const { version } = meta;
  if (typeof version === 'number' && version > MODEL_FILE_VERSION) {
    fail(`It was exported by a newer version (${version}); this page reads version ${MODEL_FILE_VERSION}.`);
  }
  const savedAt = typeof meta.savedAt === 'string' ? Date.parse(meta.savedAt) : Number.NaN;
  const info = parseSavedModelInfo({
    name: meta.name,
    savedAt,
    config: meta.config,
    normalization: meta.normalization,
    origin: meta.origin,
    testAccuracy: meta.testAccuracy,
  });
  if (!info.ok) return fail(`Its playground metadata is invalid: ${info.error}.`);
  const parameters = parameterLayout(info.info.config.model).map(({ name, shape }) => {
    const keras = kerasWeightName(name);
    return tensor(name, shape, weights.get(keras) ?? fail(`The weights have no ${keras} (${name}).`), keras);
  });
  const checked = checkSavedModel(info.info, parameters);
  return checked.ok ? checked.model : fail(`${checked.error}.`);
}

/** The form's normalisation option closest to `stats` (the stats themselves are kept exactly). */
function normalizationKind({ mean, std }: NormalizationStats): Normalization {
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;
  if (near(mean, 0) && near(std, 1)) return 'scale';
  if (near(mean, 0.5) && near(std, 0.5)) return 'center';
  return 'standardize';
}

function sourceTensor(
  weights: ReadonlyMap<string, NamedWeight>,
  name: string,
  shape: readonly number[],
  source: WeightSource | undefined,
): ParameterTensor {
  if (source === undefined) return fail(`The layers give no ${name}.`);
  if (source.kind === 'constant')
    return { name, shape, data: new Float32Array(sizeOf(shape)).fill(source.value) };
  const found = findWeight(weights, source.layer, source.weight);
  const data = source.add === 0 ? found.data : found.data.map((v) => v + source.add);
  return tensor(name, shape, { shape: found.shape, data }, `${source.layer}/${source.weight}`);
}

/** A model from elsewhere: the default config with its layers. */
function foreignModel(
  architecture: ForeignArchitecture,
  weights: ReadonlyMap<string, NamedWeight>,
  name: string,
  now: number,
): SavedModel {
  const normalization = architecture.normalization ?? RAW_PIXELS;
  const validation = validateConfig({
    ...DEFAULT_CONFIG,
    model: {
      ...DEFAULT_CONFIG.model,
      hiddenLayers: architecture.hiddenLayers,
      inputDropout: architecture.inputDropout,
    },
    data: { ...DEFAULT_CONFIG.data, normalization: normalizationKind(normalization) },
  });
  if (!validation.ok) {
    const [field, message] = Object.entries(validation.errors)[0] ?? ['model', 'invalid'];
    return fail(`Its layers do not fit this playground: ${field}: ${message}.`);
  }
  const { config } = validation;
  const parameters = parameterLayout(config.model).map(({ name: parameter, shape }) =>
    sourceTensor(weights, parameter, shape, architecture.sources.get(parameter)),
  );
  const info = {
    name,
    savedAt: now,
    config,
    normalization,
    origin: { epoch: 0, step: 0 },
    testAccuracy: null,
  };
  const checked = checkSavedModel(info, parameters);
  return checked.ok ? checked.model : fail(`${checked.error}.`);
}

/** The model's name from its file name: `digits.tfjs.json` → `digits`. */
function nameFromFile(jsonName: string): string {
  const stem = jsonName
    .replace(/\.json$/i, '')
    .replace(/\.tfjs$/i, '')
    .trim();
  return (stem === '' ? 'TF.js model' : stem).slice(0, MAX_MODEL_NAME_LENGTH);
}

/**
 * Reads the parsed `model.json` (`value`, from the file `jsonName`) with `files`, its weights.
 * `now` is the saved time a model from elsewhere gets (ms since 1970).
 */
export function parseTfjsLayersModel(
  value: unknown,
  jsonName: string,
  files: readonly WeightFile[],
  now: number,
): TfjsImport {
  try {
    if (!isRecord(value)) return fail('It is not a TF.js model.json.');
    if (value.format === 'graph-model') {
      fail(
        'It is a TF.js graph model (tf.loadGraphModel); only layers models (tf.loadLayersModel) are read.',
      );
    }
    if (value.format !== undefined && value.format !== TFJS_LAYERS_FORMAT) {
      fail(
        `Its format is ${JSON.stringify(value.format).slice(0, 40)}; only "${TFJS_LAYERS_FORMAT}" is read.`,
      );
    }
    if (!isRecord(value.modelTopology)) fail('It has no modelTopology.');
    const manifest = manifestSchema.safeParse(value.weightsManifest);
    if (!manifest.success) return fail('Its weightsManifest is missing or invalid.');
    const weights = readWeights(manifest.data, files, jsonName);
    const meta = value.userDefinedMetadata;
    if (isRecord(meta) && meta.format === MODEL_FILE_FORMAT) {
      return { ok: true, model: ownModel(meta, weights), notes: [] };
    }
    const topology = readForeignTopology(value.modelTopology);
    if (!topology.ok) return fail(topology.error);
    const model = foreignModel(topology.architecture, weights, nameFromFile(jsonName), now);
    const notes = [
      `It was not exported by this playground, so the form gets the default settings with its layers (${architectureOf(model.config)}).`,
      ...(topology.architecture.normalization === null
        ? ['It has no Rescaling layer, so it is given raw 0–255 pixels, as tf.loadLayersModel would be.']
        : []),
    ];
    return { ok: true, model, notes };
  } catch (error) {
    if (error instanceof ImportError) return { ok: false, error: error.message };
    throw error;
  }
}
