import { COMPARISON_FORMAT, MAY_BE_NON_FINITE, readComparisonJson } from './compareExport.ts';
import { parseRunRecord, type RunRecord } from './runRecord.ts';

/**
 * One run as a file: the {@link RunRecord} (config, seed, curves, results, environment) as JSON,
 * non-finite numbers written as strings as the comparison export does. Reading accepts a run
 * file or a whole comparison export, and explains what is wrong with anything else.
 */

/** Refuse files above this size before parsing them (a run file is tens of kB). */
export const MAX_RUN_FILE_BYTES = 20 * 1024 * 1024;

/**
 * The message for a file over {@link MAX_RUN_FILE_BYTES}, or null: the page checks the file's
 * size with this before reading it, and {@link parseRunFile} checks the text's length again.
 */
export function runFileSizeProblem(bytes: number): string | null {
  if (bytes <= MAX_RUN_FILE_BYTES) return null;
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `The file is too large to be a run file (${mb(bytes)}; at most ${mb(MAX_RUN_FILE_BYTES)}).`;
}

export function runToJson(record: RunRecord): string {
  return JSON.stringify(
    record,
    (key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) && MAY_BE_NON_FINITE.has(key)
        ? String(value)
        : value,
    2,
  );
}

/** "run-adam-lr-0-001-2026-11-23.json": the run's name, made safe for a file name. */
export function runFileName(record: RunRecord): string {
  const slug = record.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  const day = new Date(record.createdAt).toISOString().slice(0, 10);
  return `run-${slug || 'untitled'}-${day}.json`;
}

export type RunFileResult =
  | { readonly ok: true; readonly records: readonly RunRecord[] }
  | { readonly ok: false; readonly error: string };

/** Parses a run file or a comparison export into its finished runs, or one clear message. */
export function parseRunFile(text: string): RunFileResult {
  const tooLarge = runFileSizeProblem(text.length);
  if (tooLarge !== null) return { ok: false, error: tooLarge };
  let value: unknown;
  try {
    value = readComparisonJson(text);
  } catch (error) {
    // JSON.parse's reviver recurses, so thousands of nested brackets overflow the stack.
    const deep = error instanceof RangeError;
    return {
      ok: false,
      error: deep
        ? 'The file is nested too deeply to be a run file.'
        : 'The file is not JSON, so it is not a run file.',
    };
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === COMPARISON_FORMAT
  ) {
    const runs = (value as { runs?: unknown }).runs;
    if (!Array.isArray(runs)) return { ok: false, error: 'The comparison file has no list of runs.' };
    const records: RunRecord[] = [];
    for (const [i, run] of runs.entries()) {
      const record = (run as { record?: unknown } | null)?.record;
      if (record === null || record === undefined) continue; // a run that had not finished
      const parsed = parseRunRecord(record);
      if (!parsed.ok)
        return { ok: false, error: `Run ${i + 1} of the comparison is not valid: ${parsed.error}` };
      records.push(parsed.record);
    }
    if (records.length === 0) return { ok: false, error: 'The comparison file holds no finished runs.' };
    return { ok: true, records };
  }
  const parsed = parseRunRecord(value);
  if (!parsed.ok) return { ok: false, error: `This is not a run file this page can read: ${parsed.error}` };
  return { ok: true, records: [parsed.record] };
}
