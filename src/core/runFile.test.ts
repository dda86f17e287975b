import { describe, expect, it } from 'vitest';
import { makeRunRecord } from '../testing/runRecordFixture.ts';
import { comparedFromRecord } from './comparedRun.ts';
import { comparisonToJson } from './compareExport.ts';
import { parseRunFile, runFileName, runToJson } from './runFile.ts';

describe('run files', () => {
  it('round-trips a run, a diverged loss included', () => {
    const record = makeRunRecord();
    const diverged = {
      ...record,
      curves: { ...record.curves, trainLoss: [{ epoch: 0.5, examples: 10, ms: 5, value: Number.NaN }] },
    };
    const result = parseRunFile(runToJson(diverged));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.records).toHaveLength(1);
    expect(result.records[0]?.id).toBe(record.id);
    expect(Number.isNaN(result.records[0]?.curves.trainLoss[0]?.value)).toBe(true);
  });

  it('reads the finished runs of a comparison export', () => {
    const a = makeRunRecord({ id: 'a' });
    const b = makeRunRecord({ id: 'b' });
    const json = comparisonToJson([comparedFromRecord(a, '#000'), comparedFromRecord(b, '#111')], {
      base: null,
      exportedAt: 0,
    });
    const result = parseRunFile(json);
    expect(result.ok && result.records.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('explains what is wrong with anything else', () => {
    expect(parseRunFile('not json')).toEqual({
      ok: false,
      error: 'The file is not JSON, so it is not a run file.',
    });
    const wrong = parseRunFile(JSON.stringify({ hello: 1 }));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error).toMatch(/^This is not a run file this page can read: /);
    const truncated = runToJson(makeRunRecord()).slice(0, 200);
    expect(parseRunFile(truncated).ok).toBe(false);
  });

  it('names files after the run', () => {
    expect(runFileName(makeRunRecord({ name: 'Adam · lr 0.001!', createdAt: Date.UTC(2026, 10, 23) }))).toBe(
      'run-adam-lr-0-001-2026-11-23.json',
    );
  });
});
