import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparedFromRecord } from './comparedRun.ts';
import { comparisonToJson } from './compareExport.ts';
import {
  assertConfigOutcome,
  deepJson,
  deepNest,
  FUZZ_RUNS,
  hostileJsonText,
  hostileValue,
  MEGABYTE_STRING,
  mutation,
  prototypeKeys,
  textMutation,
} from '../testing/hostileInputs.ts';
import { MAX_RUN_FILE_BYTES, parseRunFile, runToJson } from './runFile.ts';
import { parseRunRecord, runRecordSchema, type RunRecord } from './runRecord.ts';
import { makeRunRecord } from '../testing/runRecordFixture.ts';

/**
 * Property: run records (from IndexedDB or a file) and run files (a run or a comparison export)
 * never make their parsers throw; the result is valid records or one non-empty message.
 */

const untouchedPrototype = prototypeKeys();

function checkRecord(record: RunRecord): void {
  if (!runRecordSchema.safeParse(record).success) throw new Error('accepted record is not valid again');
  assertConfigOutcome({ ok: true, config: record.config });
  if (prototypeKeys() !== untouchedPrototype) throw new Error('Object.prototype was changed');
}

function checkMessage(error: unknown): void {
  if (typeof error !== 'string' || error.trim() === '') throw new Error(`empty message: ${String(error)}`);
}

const record = makeRunRecord();
const comparison: unknown = JSON.parse(
  comparisonToJson([comparedFromRecord(record, '#000'), comparedFromRecord({ ...record, id: 'b' }, '#111')], {
    base: record.config,
    exportedAt: 0,
  }),
);

describe('parseRunRecord under hostile values', () => {
  it('never throws on a record with one value replaced, removed or an unknown key added', () => {
    const value = fc.oneof(mutation(record), hostileValue);
    fc.assert(
      fc.property(value, (input) => {
        const parsed = parseRunRecord(input);
        if (parsed.ok) checkRecord(parsed.record);
        else checkMessage(parsed.error);
      }),
      { numRuns: FUZZ_RUNS.runRecord.mutatedRecords },
    );
  });
});

describe('parseRunFile under hostile files', () => {
  it('never throws on broken run files, comparison exports and junk', () => {
    const text = fc.oneof(
      textMutation(JSON.parse(runToJson(record))),
      textMutation(comparison),
      hostileJsonText,
      fc.string({ unit: 'binary', maxLength: 100 }),
    );
    fc.assert(
      fc.property(text, (contents) => {
        const parsed = parseRunFile(contents);
        if (!parsed.ok) return checkMessage(parsed.error);
        if (parsed.records.length === 0) throw new Error('ok without records');
        parsed.records.forEach(checkRecord);
      }),
      { numRuns: FUZZ_RUNS.runFile.texts },
    );
  });

  it('says so when a file is nested too deeply or too large, before parsing it', () => {
    // JSON.parse's reviver overflows the stack near 5,000 levels in Node 20 and Chromium.
    expect(parseRunFile(deepJson(10_000, 'array'))).toEqual({
      ok: false,
      error: 'The file is nested too deeply to be a run file.',
    });
    const big = `{"name": "${'x'.repeat(MAX_RUN_FILE_BYTES + 4 * 1024 * 1024)}"}`;
    expect(parseRunFile(big)).toEqual({
      ok: false,
      error: 'The file is too large to be a run file (24.0 MB; at most 20.0 MB).',
    });
    expect(parseRunRecord({ ...record, name: MEGABYTE_STRING }).ok).toBe(false);
    expect(parseRunRecord({ ...record, curves: deepNest(10_000, 'object') }).ok).toBe(false);
  });
});
