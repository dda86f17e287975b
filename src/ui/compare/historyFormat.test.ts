import { describe, expect, it } from 'vitest';
import { makeRunRecord } from '../../testing/runRecordFixture.ts';
import { describeEnvironment, formatAccuracy, formatFinishedAt, skippedNote } from './historyFormat.ts';

const environment = makeRunRecord().environment;

describe('describeEnvironment', () => {
  it('names backend, engine and browser, and threads only above one', () => {
    expect(describeEnvironment({ ...environment, threads: 1 })).toBe('wasm · fused · Chromium 156');
    expect(describeEnvironment({ ...environment, threads: 4 })).toBe(
      'wasm · 4 threads · fused · Chromium 156',
    );
  });

  it('says when other runs shared the CPU', () => {
    expect(describeEnvironment({ ...environment, threads: 1, concurrentRuns: 1 })).toBe(
      'wasm · fused · Chromium 156 · alongside 1 other run',
    );
    expect(describeEnvironment({ ...environment, threads: 1, concurrentRuns: 3 })).toContain(
      'alongside 3 other runs',
    );
  });
});

describe('history cells', () => {
  it('formats accuracy with two decimals, or a dash without one', () => {
    expect(formatAccuracy(0.97684)).toBe('97.68%');
    expect(formatAccuracy(null)).toBe('—');
  });

  it('shows date and time', () => {
    const { date, time } = formatFinishedAt(new Date(2025, 0, 15, 9, 30).getTime(), 'en-US');
    expect(date).toBe('Jan 15, 2025');
    expect(time).toBe('9:30 AM');
  });

  it('says how many stored runs were skipped, in the right number', () => {
    expect(skippedNote(0)).toBeNull();
    expect(skippedNote(1)).toBe('1 stored run could not be read and was left untouched.');
    expect(skippedNote(2)).toBe('2 stored runs could not be read and were left untouched.');
  });
});
