import { z } from 'zod';
import { decodeBase64, encodeBase64 } from './base64.ts';
import { validateConfig, type TrainingConfig } from './config.ts';
import { describeValue } from './describeValue.ts';
import { architectureOf } from './configSummary.ts';
import {
  checkLayout,
  checkParameters,
  describeShape,
  sizeOf,
  type ParameterTensor,
} from './modelParameters.ts';
import type { NormalizationStats } from './normalization.ts';

/**
 * A trained model as a file and as what the page keeps: its config, the input normalisation it
 * was trained with, where in training the weights are from, and every tensor of its state
 * (`parameterLayout`). The file is JSON, one object:
 *
 * ```json
 * { "format": "mlp-playground-model", "version": 1, "name": "…", "savedAt": "2026-…Z",
 *   "config": { …TrainingConfig… }, "normalization": { "mean": 0, "std": 1 },
 *   "origin": { "epoch": 1, "step": 16 }, "testAccuracy": 0.9123, "encoding": "base64-float32-le",
 *   "parameters": [{ "name": "dense0.kernel", "shape": [784, 128], "data": "…base64…" }, …] }
 * ```
 *
 * Weights are little-endian float32 in base64, so a saved model round-trips bit for bit. Files
 * are untrusted: {@link parseModelFile} checks every field and every shape against the config and
 * says exactly what is wrong.
 */

export const MODEL_FILE_FORMAT = 'mlp-playground-model';
export const MODEL_FILE_VERSION = 1;
export const MODEL_FILE_ENCODING = 'base64-float32-le';
/** Largest file accepted (characters of JSON ≈ bytes): 100 MB, well above the largest model (~60 MB). */
export const MAX_MODEL_FILE_BYTES = 100_000_000;
export const MAX_MODEL_NAME_LENGTH = 120;

/** Where in training the weights are from: the epoch (1-based) and the optimisation steps taken. */
export interface ModelOrigin {
  readonly epoch: number;
  readonly step: number;
}

export interface SavedModel {
  readonly name: string;
  /** When it was saved, ms since 1970. */
  readonly savedAt: number;
  readonly config: TrainingConfig;
  /** Inputs are `(x/255 − mean)/std` with these constants, as in training. */
  readonly normalization: NormalizationStats;
  readonly origin: ModelOrigin;
  /** These weights on the 10,000 test images, when known (null for a paused run). */
  readonly testAccuracy: number | null;
  /** `parameterLayout(config.model)`, in order. */
  readonly parameters: readonly ParameterTensor[];
}

/**
 * What using the weights again needs: the config they were trained with (architecture, loss), the
 * normalisation, where they are from, and the tensors. What crosses the worker boundary.
 */
export type ModelWeights = Pick<SavedModel, 'config' | 'normalization' | 'origin' | 'parameters'>;

/** Everything but the weights: what a list of saved models shows. */
export type SavedModelInfo = Omit<SavedModel, 'parameters'>;

export type ModelParse =
  { readonly ok: true; readonly model: SavedModel } | { readonly ok: false; readonly error: string };

const finite = z.number().refine(Number.isFinite, 'must be finite');
const count = z.number().int('must be a whole number').min(0, 'must be at least 0');

/** The fields of {@link SavedModelInfo} except `savedAt` (a number in memory, ISO text in files). */
const infoFields = {
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_MODEL_NAME_LENGTH, `must be at most ${MAX_MODEL_NAME_LENGTH} characters`),
  // Checked with validateConfig afterwards, for its field-level messages and version migration.
  config: z.unknown(),
  normalization: z.strictObject({
    mean: finite,
    std: finite.pipe(z.number().positive('must be greater than 0')),
  }),
  origin: z.strictObject({ epoch: count, step: count }),
  testAccuracy: z.number().min(0).max(1).nullable(),
};

/** Stored info as the page keeps it (`savedAt` in ms). */
export const savedModelInfoSchema = z.object({ ...infoFields, savedAt: finite });

const fileSchema = z.object({
  ...infoFields,
  savedAt: z.iso.datetime({ message: 'must be an ISO date and time' }),
  encoding: z.literal(MODEL_FILE_ENCODING, `must be "${MODEL_FILE_ENCODING}"`),
  parameters: z
    .array(
      z.strictObject({
        name: z.string().max(64),
        shape: z.array(z.number().int().min(1).max(100_000_000)).min(1).max(2),
        data: z.string(),
      }),
    )
    .max(64, 'has too many tensors'),
});

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'is invalid'}`;
}

function configOf(value: unknown): { ok: true; config: TrainingConfig } | { ok: false; error: string } {
  const validation = validateConfig(value);
  if (validation.ok) return validation;
  const [field, message] = Object.entries(validation.errors)[0] ?? ['(config)', 'invalid'];
  return { ok: false, error: `Its config is invalid: ${field}: ${message}` };
}

/**
 * Checks a {@link SavedModelInfo} read back from storage (`savedAt` in ms); the config may be of
 * an older version and is migrated.
 */
export function parseSavedModelInfo(
  value: unknown,
): { ok: true; info: SavedModelInfo } | { ok: false; error: string } {
  const result = savedModelInfoSchema.safeParse(value);
  if (!result.success) return { ok: false, error: issueText(result.error) };
  const config = configOf(result.data.config);
  if (!config.ok) return config;
  return { ok: true, info: { ...result.data, config: config.config } };
}

/** Checks a whole {@link SavedModel} held in memory or storage (typed-array weights). */
export function checkSavedModel(info: unknown, parameters: readonly ParameterTensor[]): ModelParse {
  const parsed = parseSavedModelInfo(info);
  if (!parsed.ok) return parsed;
  const problem = checkParameters(parsed.info.config.model, parameters);
  if (problem !== null) return { ok: false, error: problem };
  return { ok: true, model: { ...parsed.info, parameters } };
}

/** Float32 values → little-endian bytes (a copy, whatever the platform's byte order); also the TF.js export's weights. */
export function float32Bytes(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] ?? 0, true);
  return bytes;
}

/** Little-endian bytes (a multiple of 4 of them) → float32 values, a copy. */
export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const values = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}

/** The file's JSON text (one line per tensor, so it diffs and skims reasonably). */
export function encodeModelFile(model: SavedModel): string {
  const header = {
    format: MODEL_FILE_FORMAT,
    version: MODEL_FILE_VERSION,
    name: model.name,
    savedAt: new Date(model.savedAt).toISOString(),
    config: model.config,
    normalization: model.normalization,
    origin: model.origin,
    testAccuracy: model.testAccuracy,
    encoding: MODEL_FILE_ENCODING,
  };
  const tensors = model.parameters.map((p) =>
    JSON.stringify({ name: p.name, shape: p.shape, data: encodeBase64(float32Bytes(p.data)) }),
  );
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  return `${head},\n  "parameters": [\n    ${tensors.join(',\n    ')}\n  ]\n}\n`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The format marker and version, checked first so a wrong file gets the message that fits it. */
function checkHeader(value: unknown): string | null {
  if (!isRecord(value)) return 'This is not a model file: it holds no JSON object.';
  const { format, version } = value;
  if (format === undefined && 'optimizer' in value && 'model' in value) {
    return 'This is a config file, not a model file: import it with Import config.';
  }
  if (format !== MODEL_FILE_FORMAT) {
    return `This is not a model file of this playground: its format should be "${MODEL_FILE_FORMAT}".`;
  }
  if (typeof version === 'number' && Number.isInteger(version) && version > MODEL_FILE_VERSION) {
    return `This file was saved by a newer version (${version}); this page reads version ${MODEL_FILE_VERSION}.`;
  }
  if (version !== MODEL_FILE_VERSION) {
    return `Unknown model file version ${describeValue(version, 20)}; this page reads version ${MODEL_FILE_VERSION}.`;
  }
  return null;
}

/**
 * Reads a model file's text into a {@link SavedModel}, or says what is wrong: not JSON, too
 * large, another format, a newer version, a missing or invalid field, an invalid config, a tensor
 * of the wrong name or shape for that config, weights that are not base64 or are truncated, or
 * weights that are not finite.
 */
export function parseModelFile(text: string): ModelParse {
  const fail = (error: string): ModelParse => ({ ok: false, error });
  if (text.length > MAX_MODEL_FILE_BYTES) {
    return fail(
      `The file is too large (${(text.length / 1e6).toFixed(0)} MB; at most ${MAX_MODEL_FILE_BYTES / 1e6} MB).`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('This is not a model file: it is not valid JSON (cut short or not JSON at all).');
  }
  const header = checkHeader(value);
  if (header !== null) return fail(header);
  const result = fileSchema.safeParse(value);
  if (!result.success) return fail(`The model file is invalid: ${issueText(result.error)}.`);
  const file = result.data;
  const config = configOf(file.config);
  if (!config.ok) return fail(`${config.error}.`);
  const layout = checkLayout(config.config.model, file.parameters);
  if (layout !== null) return fail(`${layout}.`);
  const parameters: ParameterTensor[] = [];
  for (const { name, shape, data } of file.parameters) {
    const bytes = decodeBase64(data);
    if (bytes === null) return fail(`${name}: its data is not valid base64 (the file is corrupt).`);
    const size = sizeOf(shape);
    if (bytes.length !== size * 4) {
      return fail(
        `${name} has ${bytes.length.toLocaleString('en-US')} bytes but ${describeShape(shape)} float32 values need ${(size * 4).toLocaleString('en-US')}: the weights are truncated or corrupt.`,
      );
    }
    parameters.push({ name, shape, data: bytesToFloat32(bytes) });
  }
  const checked = checkSavedModel(
    { ...file, savedAt: Date.parse(file.savedAt), config: config.config },
    parameters,
  );
  return checked.ok ? checked : fail(`${checked.error}.`);
}

/** The name a model gets when none is typed: the config's name, else e.g. "784-128-64-10 Adam, 91.2%". */
export function defaultModelName(config: TrainingConfig, testAccuracy: number | null): string {
  const named = config.name?.trim() ?? '';
  if (named !== '') return named.slice(0, MAX_MODEL_NAME_LENGTH);
  const accuracy = testAccuracy === null ? '' : `, ${(testAccuracy * 100).toFixed(1)}%`;
  return `${architectureOf(config)} ${config.optimizer.kind}${accuracy}`;
}

/** `name`, or `name (2)`, `name (3)` … when it is taken, so two entries never look the same. */
export function uniqueModelName(name: string, taken: readonly string[]): string {
  const names = new Set(taken);
  if (!names.has(name)) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name.slice(0, MAX_MODEL_NAME_LENGTH - 6)} (${n})`;
    if (!names.has(candidate)) return candidate;
  }
}
