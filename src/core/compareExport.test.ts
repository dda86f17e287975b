import { describe, expect, it } from 'vitest';
import {
  COMPARISON_FORMAT,
  comparisonFileName,
  comparisonSummaryCsv,
  comparisonToCsv,
  comparisonToJson,
  csvField,
  csvNumber,
  CURVES_HEADER,
  readComparisonJson,
  SUMMARY_HEADER,
} from './compareExport.ts';
import type { ComparedRun } from './comparedRun.ts';
import { DEFAULT_CONFIG } from './config.ts';
import {
  parseRunRecord,
  type CurvePoint,
  type RunCurves,
  type RunRecord,
  type RunSummary,
} from './runRecord.ts';

const point = (epoch: number, value: number): CurvePoint => ({
  epoch,
  examples: Math.round(epoch * 54_000),
  ms: epoch * 4321.123456,
  value,
});

const curves: RunCurves = {
  trainLoss: [point(0.25, 1.2345678), point(0.5, 0.8), point(0.75, 0.61), point(1, 0.5)],
  validationLoss: [point(1, 0.45)],
  validationAccuracy: [point(1, 0.9512)],
};

const summary: RunSummary = {
  bestValidationAccuracy: 0.9512,
  bestEpoch: 1,
  testAccuracy: 0.9488,
  testLoss: 0.17,
  trainMs: 4321.123456,
  examplesPerSecond: 12_496.7,
  parameterCount: 109_386,
  epochsCompleted: 1,
  stopped: false,
};

const record: RunRecord = {
  version: 1,
  id: 'run-1',
  name: 'Adam, "fast"',
  createdAt: Date.UTC(2024, 4, 1, 9, 30),
  source: 'compare',
  differs: 'optimizer Adam, learning rate 0.001',
  config: { ...DEFAULT_CONFIG, seed: 7 },
  environment: {
    backend: 'wasm',
    engine: 'fused',
    threads: 2,
    browser: 'Chromium 156',
    cores: 2,
    concurrentRuns: 1,
  },
  fingerprints: { initialWeights: '0123abcd', dataOrder: '89abcdef' },
  summary,
  curves,
};

const finished: ComparedRun = {
  key: 'a',
  label: 'optimizer Adam, learning rate "0.001"',
  color: '#0072B2',
  origin: 'history',
  status: 'finished',
  curves,
  summary,
  record,
};

const diverged: ComparedRun = {
  key: 'b',
  label: 'optimizer SGD · learning rate 10',
  color: '#E69F00',
  origin: 'live',
  status: 'training',
  curves: {
    trainLoss: [point(0.1, 2.3), point(0.2, Number.NaN), point(0.3, Infinity)],
    validationLoss: [],
    validationAccuracy: [],
  },
  summary: {
    ...summary,
    bestValidationAccuracy: null,
    bestEpoch: null,
    testAccuracy: null,
    testLoss: null,
    examplesPerSecond: null,
  },
  record: null,
};

/** Splits RFC 4180 text into rows of fields (quoted fields may hold commas, quotes, line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\r')) {
      field += c;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else {
      expect(text[i + 1]).toBe('\n'); // a bare CR outside quotes is not a line break
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    }
  }
  expect([field, row]).toEqual(['', []]); // ends with a line break
  return rows;
}

describe('csv fields', () => {
  it('quotes commas, quotes and line breaks, and only those', () => {
    expect(csvField('plain text · 0.1')).toBe('plain text · 0.1');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes integers exactly, others to 6 significant digits, NaN and infinities by name', () => {
    expect(csvNumber(3_240_000)).toBe('3240000');
    expect(csvNumber(1.2345678)).toBe('1.23457');
    expect(csvNumber(4321.123456)).toBe('4321.12');
    expect(csvNumber(0.000012345678)).toBe('0.0000123457');
    expect(csvNumber(Number.NaN)).toBe('NaN');
    expect(csvNumber(Infinity)).toBe('Inf');
    expect(csvNumber(-Infinity)).toBe('-Inf');
    expect(csvNumber(null)).toBe('');
  });
});

describe('comparisonToCsv', () => {
  it('writes the header and one row per curve point, in long form', () => {
    const text = comparisonToCsv([finished, diverged]);
    expect(text.startsWith(`${CURVES_HEADER.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(CURVES_HEADER);
    expect(rows).toHaveLength(1 + 6 + 3);
    for (const row of rows) expect(row).toHaveLength(CURVES_HEADER.length);
    expect(rows[1]).toEqual([
      'a',
      finished.label,
      'finished',
      'train_loss',
      '0.25',
      '13500',
      '1080.28',
      '1.23457',
    ]);
    expect(rows.filter((r) => r[3] === 'validation_accuracy')).toEqual([
      ['a', finished.label, 'finished', 'validation_accuracy', '1', '54000', '4321.12', '0.9512'],
    ]);
    expect(rows.slice(-2).map((r) => r[7])).toEqual(['NaN', 'Inf']);
  });

  it('round-trips labels with commas and quotes through a CSV reader', () => {
    const rows = parseCsv(comparisonToCsv([finished]));
    expect(new Set(rows.slice(1).map((r) => r[1]))).toEqual(new Set([finished.label]));
  });

  it('is just the header without runs', () => {
    expect(comparisonToCsv([])).toBe(`${CURVES_HEADER.join(',')}\r\n`);
  });
});

describe('comparisonSummaryCsv', () => {
  it('writes one row per run, empty cells for figures a run does not have yet', () => {
    const rows = parseCsv(comparisonSummaryCsv([finished, diverged]));
    expect(rows[0]).toEqual(SUMMARY_HEADER);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      'a',
      finished.label,
      'finished',
      '0.9512',
      '1',
      '0.9488',
      '0.17',
      '4321.12',
      '12496.7',
      '109386',
      'wasm',
      'fused',
      'Chromium 156',
      '7',
    ]);
    expect(rows[2]).toEqual([
      'b',
      diverged.label,
      'training',
      '',
      '',
      '',
      '',
      '4321.12',
      '',
      '109386',
      '',
      '',
      '',
      '',
    ]);
  });
});

describe('comparisonToJson', () => {
  const exportedAt = Date.UTC(2024, 4, 1, 10, 0, 0);

  it('writes the format, version, ISO time, base and each run', () => {
    const text = comparisonToJson([finished, diverged], {
      base: DEFAULT_CONFIG,
      exportedAt,
      note: 'Adam vs SGD',
    });
    expect(text).toContain('\n  "format"'); // pretty-printed
    const file = readComparisonJson(text) as Record<string, unknown>;
    expect(file).toMatchObject({
      format: COMPARISON_FORMAT,
      version: 1,
      exportedAt: '2024-05-01T10:00:00.000Z',
      note: 'Adam vs SGD',
      base: DEFAULT_CONFIG,
    });
    const runs = file.runs as Record<string, unknown>[];
    expect(runs.map((r) => [r.label, r.status, r.origin])).toEqual([
      [finished.label, 'finished', 'history'],
      [diverged.label, 'training', 'live'],
    ]);
    expect(runs[0]?.config).toEqual(record.config);
    expect(runs[1]?.config).toBeNull();
    expect(runs[1]?.record).toBeNull();
  });

  it('round-trips each record through parseRunRecord', () => {
    const text = comparisonToJson([finished, diverged], { base: null, exportedAt });
    const file = readComparisonJson(text) as { runs: { record: unknown }[] };
    const parsed = parseRunRecord(file.runs[0]?.record);
    expect(parsed).toEqual({ ok: true, record });
  });

  it('keeps NaN and infinite losses, which plain JSON would turn into null', () => {
    const text = comparisonToJson([diverged], { base: null, exportedAt });
    expect(text).toContain('"NaN"');
    const file = readComparisonJson(text) as { runs: { curves: RunCurves; label: string }[] };
    const values = file.runs[0]?.curves.trainLoss.map((p) => p.value);
    expect(values).toEqual([2.3, Number.NaN, Infinity]);
  });

  it('does not revive a label that happens to read "NaN"', () => {
    const text = comparisonToJson([{ ...diverged, label: 'NaN' }], { base: null, exportedAt });
    const file = readComparisonJson(text) as { runs: { label: unknown }[] };
    expect(file.runs[0]?.label).toBe('NaN');
  });

  it('takes a running variant’s config from meta.configs', () => {
    const configs = new Map([['b', DEFAULT_CONFIG]]);
    const file = readComparisonJson(comparisonToJson([diverged], { base: null, exportedAt, configs })) as {
      runs: { config: unknown }[];
    };
    expect(file.runs[0]?.config).toEqual(DEFAULT_CONFIG);
  });
});

describe('comparisonFileName', () => {
  it('stamps the local date and time, zero-padded', () => {
    const at = new Date(2024, 0, 5, 9, 7).getTime();
    expect(comparisonFileName(at, 'csv')).toBe('comparison-2024-01-05-0907.csv');
    expect(comparisonFileName(at, 'csv', '-summary')).toBe('comparison-2024-01-05-0907-summary.csv');
    expect(comparisonFileName(at, 'json')).toBe('comparison-2024-01-05-0907.json');
  });
});
