import { z } from 'zod';
import { trainingConfigSchema, type TrainingConfig } from './config.ts';
import type { RunFingerprints } from './runReports.ts';

export type { RunFingerprints } from './runReports.ts';

/**
 * What the page keeps of a finished (or stopped) run: enough to overlay it on a comparison,
 * re-run it from its config and seed, and say where it ran. Stored in IndexedDB by the run
 * history and written into comparison exports; validated with {@link runRecordSchema} whenever
 * it is read back, since storage and imported files can hold anything.
 */

export const RUN_RECORD_VERSION = 1;

/**
 * One point of a curve, placed on all three x axes a comparison can switch between: `epoch`
 * (fractional for per-batch points: examples seen / training examples), `examples` seen so far,
 * and `ms` of training time (excluding pauses and evaluation) so far.
 */
export interface CurvePoint {
  readonly epoch: number;
  readonly examples: number;
  readonly ms: number;
  readonly value: number;
}

/**
 * A run's curves. Training loss is per batch, bucket-averaged to at most
 * {@link MAX_TRAIN_POINTS} points; validation curves have one point per completed epoch.
 */
export interface RunCurves {
  readonly trainLoss: readonly CurvePoint[];
  readonly validationLoss: readonly CurvePoint[];
  readonly validationAccuracy: readonly CurvePoint[];
}

/** Upper bound of stored training-loss points per run (a batch-1 run makes hundreds of thousands). */
export const MAX_TRAIN_POINTS = 600;

export interface RunSummary {
  /** Highest validation accuracy over completed epochs, and its epoch; null without validation. */
  readonly bestValidationAccuracy: number | null;
  readonly bestEpoch: number | null;
  /** Final weights on the 10,000 test images; null when the run ended before its test. */
  readonly testAccuracy: number | null;
  readonly testLoss: number | null;
  /** Training time in ms, excluding pauses and evaluation. */
  readonly trainMs: number;
  /** Examples trained on per second of training time; null before any step. */
  readonly examplesPerSecond: number | null;
  readonly parameterCount: number;
  readonly epochsCompleted: number;
  /** Stopped by the user before its last epoch. */
  readonly stopped: boolean;
}

/** Where the run ran: a figure is only comparable with figures from the same environment. */
export interface RunEnvironment {
  /** TF.js backend (`wasm`, `webgl`, …). */
  readonly backend: string;
  /** Training engine path (`fused` or `tfjs`). */
  readonly engine: string;
  /** WASM threads in use (1 for other backends). */
  readonly threads: number;
  /** Browser and version, e.g. "Chromium 156" (from the user agent). */
  readonly browser: string;
  /** Logical CPU cores the browser reports; null when it does not say. */
  readonly cores: number | null;
  /** Other runs sharing the CPU at the same time (comparisons run concurrently); 0 alone. */
  readonly concurrentRuns: number;
}

export interface RunRecord {
  readonly version: typeof RUN_RECORD_VERSION;
  /** Unique, stable; the IndexedDB key. */
  readonly id: string;
  /** Shown in history and legends; the user can rename it. */
  readonly name: string;
  /** When the run finished, ms since 1970. */
  readonly createdAt: number;
  /** The Train view or a comparison. */
  readonly source: 'train' | 'compare';
  /** For runs from a comparison: what this variant changed, e.g. "optimizer SGD · learning rate 0.1". */
  readonly differs: string | null;
  readonly config: TrainingConfig;
  readonly environment: RunEnvironment;
  readonly fingerprints: RunFingerprints;
  readonly summary: RunSummary;
  readonly curves: RunCurves;
}

const finite = z.number().refine(Number.isFinite, 'must be finite');
/** Any number, NaN and ±Infinity included (zod's `number()` rejects those). */
const anyNumber = z.custom<number>((value) => typeof value === 'number', 'must be a number');
const curvePointSchema = z.strictObject({
  epoch: finite,
  examples: finite,
  ms: finite,
  value: anyNumber, // a diverged run's loss may be NaN or Infinity; keep it as it was
});
const curveSchema = z.array(curvePointSchema).max(100_000);

export const runRecordSchema = z.strictObject({
  version: z.literal(RUN_RECORD_VERSION),
  id: z.string().min(1).max(200),
  name: z.string().max(200),
  createdAt: finite,
  source: z.enum(['train', 'compare']),
  differs: z.string().max(500).nullable(),
  config: trainingConfigSchema,
  environment: z.strictObject({
    backend: z.string().max(40),
    engine: z.string().max(40),
    threads: z.number().int().min(0).max(1024),
    browser: z.string().max(200),
    cores: z.number().int().min(0).max(4096).nullable(),
    concurrentRuns: z.number().int().min(0).max(64),
  }),
  fingerprints: z.strictObject({
    initialWeights: z.string().max(32),
    dataOrder: z.string().max(32),
  }),
  summary: z.strictObject({
    bestValidationAccuracy: z.number().min(0).max(1).nullable(),
    bestEpoch: z.number().int().min(0).nullable(),
    testAccuracy: z.number().min(0).max(1).nullable(),
    testLoss: anyNumber.nullable(),
    trainMs: finite.pipe(z.number().min(0)),
    examplesPerSecond: finite.pipe(z.number().min(0)).nullable(),
    parameterCount: z.number().int().min(0),
    epochsCompleted: z.number().int().min(0),
    stopped: z.boolean(),
  }),
  curves: z.strictObject({
    trainLoss: curveSchema,
    validationLoss: curveSchema,
    validationAccuracy: curveSchema,
  }),
});

/** Compile-time check that what the schema accepts is a {@link RunRecord}. */
const schemaOutputIsRecord = (r: z.infer<typeof runRecordSchema>): RunRecord => r;
void schemaOutputIsRecord;

/** Parses an unknown value (from storage or a file) into a record, or says what is wrong. */
export function parseRunRecord(
  value: unknown,
): { ok: true; record: RunRecord } | { ok: false; error: string } {
  const result = runRecordSchema.safeParse(value);
  if (result.success) return { ok: true, record: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${where}${issue?.message ?? 'invalid run record'}` };
}
