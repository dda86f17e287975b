import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig } from './config.ts';
import { noisyLabelCount, withLabelNoise } from './labelNoise.ts';
import { SeededRandom } from './random.ts';
import { runStreams } from './runStreams.ts';

/** A file of 1,000 rows: labels 0–9 in turn; rows 0–199 validate, 200–999 train (shuffled). */
const labels = Uint8Array.from({ length: 1000 }, (_, i) => i % 10);
const trainRows = new SeededRandom(5).permutation(800).map((i) => i + 200);
const validationRows = Int32Array.from({ length: 200 }, (_, i) => i);

const changedRows = (noisy: Uint8Array) =>
  Array.from(noisy.keys()).filter((row) => noisy[row] !== labels[row]);

describe('label noise', () => {
  it.each([0, 0.1, 0.25, 0.333, 0.9])('changes exactly round(%s · N) training labels', (share) => {
    const noisy = withLabelNoise(labels, trainRows, share, runStreams(42).labelNoise);
    const changed = changedRows(noisy);
    expect(changed).toHaveLength(Math.round(share * trainRows.length));
    expect(changed.length).toBe(noisyLabelCount(share, trainRows.length));
    const training = new Set(trainRows);
    expect(changed.every((row) => training.has(row))).toBe(true);
    for (const row of validationRows) expect(noisy[row]).toBe(labels[row]);
    expect(noisy.every((label) => label >= 0 && label < 10)).toBe(true);
  });

  it('is seeded: the same seed gives the same labels, another seed others; the input stays', () => {
    const before = labels.slice();
    const a = withLabelNoise(labels, trainRows, 0.3, runStreams(42).labelNoise);
    const b = withLabelNoise(labels, trainRows, 0.3, runStreams(42).labelNoise);
    const c = withLabelNoise(labels, trainRows, 0.3, runStreams(43).labelNoise);
    expect(a).toEqual(b);
    expect(changedRows(c)).not.toEqual(changedRows(a));
    expect(labels).toEqual(before);
  });

  it('spreads the wrong classes over all nine others', () => {
    const noisy = withLabelNoise(labels, trainRows, 0.9, runStreams(7).labelNoise);
    const offsets = new Set(
      changedRows(noisy).map((row) => ((noisy[row] ?? 0) - (labels[row] ?? 0) + 10) % 10),
    );
    expect([...offsets].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('is a config field: absent means 0 (older configs stay valid), limited to 0–0.9', () => {
    const oldData = Object.fromEntries(
      Object.entries(DEFAULT_CONFIG.data).filter(([key]) => key !== 'labelNoise'),
    );
    const old = validateConfig({ ...DEFAULT_CONFIG, data: oldData });
    expect(old.ok && old.config.data.labelNoise).toBe(0);
    const withNoise = (labelNoise: unknown) =>
      validateConfig({ ...DEFAULT_CONFIG, data: { ...DEFAULT_CONFIG.data, labelNoise } });
    expect(withNoise(0.4)).toMatchObject({ ok: true, config: { data: { labelNoise: 0.4 } } });
    expect(withNoise(0.95)).toEqual({
      ok: false,
      errors: { 'data.labelNoise': 'Label noise must be at most 0.9' },
    });
    expect(withNoise(-0.1)).toMatchObject({ ok: false });
    expect(withNoise('lots')).toMatchObject({
      ok: false,
      errors: { 'data.labelNoise': 'Label noise must be a number' },
    });
  });
});
