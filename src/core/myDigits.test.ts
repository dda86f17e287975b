import { describe, expect, it } from 'vitest';
import { IdxFormatError, parseIdxImages, parseIdxLabels, writeIdxImages, writeIdxLabels } from './idx.ts';
import { myDigitsFromIdx, myDigitsToIdx, readMyDigit, scoreMyDigits } from './myDigits.ts';

/** A digit whose pixels are a pattern of its index, so any mix-up shows. */
function digit(i: number, label: number) {
  const pixels = Uint8Array.from({ length: 784 }, (_, p) => (p * 7 + i * 31) % 256);
  return { id: `digit-${i}`, label, pixels, addedAt: 1_000 + i };
}

describe('My digits as IDX files', () => {
  it('round-trips images and labels, in order, through an images file and a labels file', () => {
    const digits = [digit(0, 3), digit(1, 0), digit(2, 9)];
    const files = myDigitsToIdx(digits);
    expect(files.images.name).toBe('my-digits-images-idx3-ubyte');
    expect(files.images.bytes.length).toBe(16 + 3 * 784);
    expect(files.labels.bytes.length).toBe(8 + 3);
    // Either order: the files are told apart by their magic numbers.
    const back = myDigitsFromIdx([files.labels, files.images]);
    expect(back.count).toBe(3);
    expect([...back.labels]).toEqual([3, 0, 9]);
    digits.forEach((d, i) => expect(back.pixels.subarray(i * 784, (i + 1) * 784)).toEqual(d.pixels));
  });

  it('writes files any MNIST reader parses, and an empty set as two empty files', () => {
    const empty = myDigitsToIdx([]);
    expect(myDigitsFromIdx([empty.images, empty.labels]).count).toBe(0);
    expect(parseIdxImages(writeIdxImages(new Uint8Array(784), 1)).count).toBe(1);
    expect([...parseIdxLabels(writeIdxLabels(Uint8Array.of(1, 2))).labels]).toEqual([1, 2]);
    expect(() => writeIdxImages(new Uint8Array(700), 1)).toThrow(/Expected 1 × 784 pixels, got 700/);
    expect(() => writeIdxLabels(Uint8Array.of(10))).toThrow(/Label 0 is 10/);
  });

  it('refuses bad files with a message naming the file and the problem', () => {
    const { images, labels } = myDigitsToIdx([digit(0, 1), digit(1, 2)]);
    const fails = (files: Parameters<typeof myDigitsFromIdx>[0], message: RegExp) => {
      expect(() => myDigitsFromIdx(files)).toThrow(IdxFormatError);
      expect(() => myDigitsFromIdx(files)).toThrow(message);
    };
    fails([images], /choose two files together.*got 1/);
    fails([images, images], /expected one IDX images file \(magic number 2051\) and one IDX labels file/);
    fails([images, { name: 'notes.txt', bytes: new TextEncoder().encode('hello') }], /notes\.txt/);
    fails([images, { name: 'short', bytes: labels.bytes.subarray(0, 9) }], /short: file is truncated/);
    const badLabel = labels.bytes.slice();
    badLabel[9] = 12;
    fails([images, { name: 'lab', bytes: badLabel }], /lab: label 1 is 12, expected a digit 0–9/);
    const oneLabel = myDigitsToIdx([digit(0, 1)]).labels;
    fails([images, oneLabel], /2 images but 1 labels/);
  });
});

describe('readMyDigit', () => {
  it('accepts a stored digit and says what is wrong with anything else', () => {
    const good = digit(4, 7);
    expect(readMyDigit(good)).toEqual({ ok: true, value: good });
    expect(readMyDigit({ ...good, label: 10 })).toEqual({ ok: false, error: 'label: must be a digit 0–9' });
    expect(readMyDigit({ ...good, label: 2.5 })).toMatchObject({ ok: false, error: /^label:/ });
    expect(readMyDigit({ ...good, pixels: new Uint8Array(783) })).toEqual({
      ok: false,
      error: 'pixels: must be 784 bytes (28×28)',
    });
    expect(readMyDigit({ ...good, pixels: [...good.pixels] })).toMatchObject({
      ok: false,
      error: /^pixels:/,
    });
    expect(readMyDigit({ ...good, id: '' })).toMatchObject({ ok: false, error: /^id:/ });
    expect(readMyDigit({ ...good, extra: 1 })).toMatchObject({ ok: false });
    expect(readMyDigit(null)).toMatchObject({ ok: false });
  });
});

describe('scoreMyDigits', () => {
  it('counts the most probable class against each label', () => {
    const digits = [digit(0, 3), digit(1, 5), digit(2, 1)];
    const answer = (k: number) => Float32Array.from({ length: 10 }, (_, j) => (j === k ? 0.9 : 0.01));
    const score = scoreMyDigits(digits, [answer(3), answer(6), answer(1)]);
    expect(score).toMatchObject({ total: 3, correct: 2 });
    expect(score.accuracy).toBeCloseTo(2 / 3);
    expect(score.predicted.get('digit-1')).toBe(6);
    expect(scoreMyDigits([], []).accuracy).toBeNull();
    expect(() => scoreMyDigits(digits, [answer(3)])).toThrow(/3 digits but 1 answers/);
  });
});
