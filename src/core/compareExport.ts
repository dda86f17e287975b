/**
 * Comparison exports: what a learner takes away from a race to a notebook or a later session.
 * CSV in long ("tidy") form, one row per curve point, reads straight into pandas or R
 * (`df.pivot(...)`, `ggplot(aes(colour = label))`); a second CSV holds one summary row per run.
 * JSON keeps everything, each finished run's whole {@link RunRecord}, so it can be re-read and
 * its records validated with `parseRunRecord`.
 */
import type { ComparedRun } from './comparedRun.ts';
import type { TrainingConfig } from './config.ts';
import type { RunCurves } from './runRecord.ts';

export const COMPARISON_FORMAT = 'mlp-playground-comparison';
export const COMPARISON_VERSION = 1;

/** Curve names as CSV writes them (snake case, like the header). */
const METRICS: readonly (readonly [keyof RunCurves, string])[] = [
  ['trainLoss', 'train_loss'],
  ['validationLoss', 'validation_loss'],
  ['validationAccuracy', 'validation_accuracy'],
];

export const CURVES_HEADER = [
  'run',
  'label',
  'status',
  'metric',
  'epoch',
  'examples',
  'training_ms',
  'value',
];

export const SUMMARY_HEADER = [
  'run',
  'label',
  'status',
  'best_validation_accuracy',
  'best_epoch',
  'test_accuracy',
  'test_loss',
  'training_ms',
  'examples_per_second',
  'parameters',
  'backend',
  'engine',
  'browser',
  'seed',
];

/** RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A number for CSV: integers exactly (examples seen run into millions), others to 6 significant
 * digits; `NaN`, `Inf`, `-Inf` for a diverged run (pandas and R read all three); empty for null.
 */
export function csvNumber(value: number | null): string {
  if (value === null) return '';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

/** Lines joined with CRLF, as RFC 4180 has it, with a final line break. */
function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.join(',')).join('\r\n') + '\r\n';
}

/**
 * Every curve point of every run, one row each: `run` (the run's key, stable within the
 * comparison), `label`, `status`, `metric` (train_loss, validation_loss, validation_accuracy),
 * the point's `epoch` (fractional for per-batch points), `examples` seen, `training_ms`, `value`.
 */
export function comparisonToCsv(runs: readonly ComparedRun[]): string {
  const rows: string[][] = [CURVES_HEADER];
  for (const run of runs) {
    const head = [csvField(run.key), csvField(run.label), run.status];
    for (const [metric, name] of METRICS) {
      for (const p of run.curves[metric]) {
        rows.push([
          ...head,
          name,
          csvNumber(p.epoch),
          csvNumber(p.examples),
          csvNumber(p.ms),
          csvNumber(p.value),
        ]);
      }
    }
  }
  return csv(rows);
}

/**
 * One row per run: the summary table's figures, with where the run ran and its seed. Environment
 * and seed come from the run's record, so they are empty for a run still going.
 */
export function comparisonSummaryCsv(runs: readonly ComparedRun[]): string {
  const rows: string[][] = [SUMMARY_HEADER];
  for (const run of runs) {
    const s = run.summary;
    const env = run.record?.environment;
    rows.push([
      csvField(run.key),
      csvField(run.label),
      run.status,
      csvNumber(s.bestValidationAccuracy),
      csvNumber(s.bestEpoch),
      csvNumber(s.testAccuracy),
      csvNumber(s.testLoss),
      csvNumber(s.trainMs),
      csvNumber(s.examplesPerSecond),
      csvNumber(s.parameterCount),
      csvField(env?.backend ?? ''),
      csvField(env?.engine ?? ''),
      csvField(env?.browser ?? ''),
      csvNumber(run.record?.config.seed ?? null),
    ]);
  }
  return csv(rows);
}

export interface ComparisonExportMeta {
  /** The comparison's base config; null for a comparison of history runs only. */
  readonly base: TrainingConfig | null;
  /** ms since 1970; written as ISO 8601. */
  readonly exportedAt: number;
  readonly note?: string;
  /** Configs of runs by key, for runs still going (a finished run's record holds its own). */
  readonly configs?: ReadonlyMap<string, TrainingConfig>;
}

/** Non-finite numbers JSON cannot hold, written as these strings and read back by {@link readComparisonJson}. */
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);
/**
 * The numeric fields of a run record or comparison export that may be non-finite (a diverged
 * run's loss): written as strings, and read back as numbers only under these keys.
 */
export const MAY_BE_NON_FINITE: ReadonlySet<string> = new Set([
  'value',
  'testLoss',
  'testAccuracy',
  'bestValidationAccuracy',
  'examplesPerSecond',
  'trainMs',
]);

/**
 * Pretty JSON of the whole comparison: `{ format, version, exportedAt, note?, base, runs }`,
 * each run `{ key, label, color, status, origin, record, summary, curves, config }` (`record`
 * null until the run finished; `config` null when unknown). NaN and ±Infinity, which JSON has
 * no numbers for, are written as the strings "NaN", "Infinity", "-Infinity".
 */
export function comparisonToJson(runs: readonly ComparedRun[], meta: ComparisonExportMeta): string {
  const file = {
    format: COMPARISON_FORMAT,
    version: COMPARISON_VERSION,
    exportedAt: new Date(meta.exportedAt).toISOString(),
    ...(meta.note === undefined ? {} : { note: meta.note }),
    base: meta.base,
    runs: runs.map((run) => ({
      key: run.key,
      label: run.label,
      color: run.color,
      status: run.status,
      origin: run.origin,
      record: run.record,
      summary: run.summary,
      curves: run.curves,
      config: run.record?.config ?? meta.configs?.get(run.key) ?? null,
    })),
  };
  const replacer = (_key: string, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  return `${JSON.stringify(file, replacer, 2)}\n`;
}

/**
 * Parses an exported comparison, turning the non-finite markers back into numbers. The result is
 * unvalidated: check `format` and `version`, and pass each `record` to `parseRunRecord`.
 * Throws on text that is not JSON.
 */
export function readComparisonJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) =>
    typeof value === 'string' && MAY_BE_NON_FINITE.has(key) && NON_FINITE.has(value) ? Number(value) : value,
  );
}

/** "comparison-2024-05-01-0930.csv": the export's local date and time, sortable, no colons. */
export function comparisonFileName(exportedAt: number, extension: string, suffix = ''): string {
  const d = new Date(exportedAt);
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}`;
  return `comparison-${stamp}${suffix}.${extension}`;
}
