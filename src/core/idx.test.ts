import { describe, expect, it } from 'vitest';
import { IdxFormatError, pairImagesWithLabels, parseIdxImages, parseIdxLabels } from './idx.ts';

function idxFile(magic: number, dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(body, 4 + 4 * dims.length);
  return out;
}

function images(count: number, side = 28): Uint8Array {
  const body = new Uint8Array(count * side * side).map((_, i) => i % 256);
  return idxFile(2051, [count, side, side], body);
}

describe('parseIdxImages', () => {
  it('reads count, size and pixels of a well-formed file', () => {
    const parsed = parseIdxImages(images(3));
    expect(parsed.count).toBe(3);
    expect(parsed.rows).toBe(28);
    expect(parsed.pixels.length).toBe(3 * 784);
    expect(parsed.pixels[785]).toBe(785 % 256);
  });

  it('rejects a labels file passed as images by its magic number', () => {
    const labels = idxFile(2049, [2], new Uint8Array([1, 2]));
    expect(() => parseIdxImages(labels, 'train-images')).toThrow(
      /train-images: not an IDX images file: magic number is 2049, expected 2051/,
    );
  });

  it('rejects images that are not 28×28', () => {
    expect(() => parseIdxImages(images(1, 32))).toThrow(/32×32, expected 28×28/);
  });

  it('reports a truncated body with expected and actual sizes', () => {
    const whole = images(2);
    expect(() => parseIdxImages(whole.subarray(0, whole.length - 10))).toThrow(
      /truncated: expected 1584 bytes, got 1574/,
    );
  });

  it('reports a file shorter than the header', () => {
    expect(() => parseIdxImages(new Uint8Array([0, 0, 8]))).toThrow(IdxFormatError);
    expect(() => parseIdxImages(new Uint8Array([0, 0, 8]))).toThrow(/shorter than the 16-byte/);
  });

  it('rejects trailing garbage', () => {
    const whole = images(1);
    const longer = new Uint8Array(whole.length + 3);
    longer.set(whole);
    expect(() => parseIdxImages(longer)).toThrow(/3 unexpected trailing bytes/);
  });

  it('reads from an ArrayBuffer and from an offset view without copying', () => {
    const file = images(1);
    const padded = new Uint8Array(file.length + 8);
    padded.set(file, 8);
    const parsed = parseIdxImages(padded.subarray(8));
    expect(parsed.pixels.buffer).toBe(padded.buffer);
    expect(parseIdxImages(file.slice().buffer).count).toBe(1);
  });
});

describe('parseIdxLabels', () => {
  it('reads digits', () => {
    const parsed = parseIdxLabels(idxFile(2049, [4], new Uint8Array([7, 2, 1, 0])));
    expect([...parsed.labels]).toEqual([7, 2, 1, 0]);
  });

  it('rejects an images file passed as labels', () => {
    expect(() => parseIdxLabels(images(1))).toThrow(/magic number is 2051, expected 2049/);
  });

  it('rejects a label outside 0–9', () => {
    expect(() => parseIdxLabels(idxFile(2049, [2], new Uint8Array([3, 12])))).toThrow(/label 1 is 12/);
  });

  it('reports truncation', () => {
    const file = idxFile(2049, [5], new Uint8Array([1, 2, 3, 4, 5]));
    expect(() => parseIdxLabels(file.subarray(0, 10), 't10k-labels')).toThrow(
      /t10k-labels: file is truncated: expected 13 bytes, got 10/,
    );
  });
});

describe('pairImagesWithLabels', () => {
  it('refuses mismatched counts', () => {
    const imgs = parseIdxImages(images(2));
    const labels = parseIdxLabels(idxFile(2049, [3], new Uint8Array([1, 2, 3])));
    expect(() => pairImagesWithLabels(imgs, labels, 'test')).toThrow(/2 images but 3 labels/);
  });
});
