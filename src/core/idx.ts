/**
 * Parsing of the IDX files MNIST ships in (http-free, DOM-free: works in a worker, Node and tests).
 *
 * Layout (big-endian): a 4-byte magic number (0x00000803 = 2051 for 3-D ubyte images,
 * 0x00000801 = 2049 for 1-D ubyte labels), one 4-byte size per dimension, then the raw bytes.
 */

/** Magic number of an IDX file holding unsigned-byte images `[count, rows, cols]`. */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an IDX file holding unsigned-byte labels `[count]`. */
export const IDX_LABELS_MAGIC = 2049;
/** MNIST images are 28×28 pixels. */
export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
export const MNIST_CLASSES = 10;

/** Thrown for any file that is not a well-formed MNIST IDX file; the message names the file. */
export class IdxFormatError extends Error {
  constructor(fileName: string, problem: string) {
    super(`${fileName}: ${problem}`);
    this.name = 'IdxFormatError';
  }
}

/** Images as one contiguous byte array: pixel `p` of image `i` is `pixels[i * 784 + p]`, 0–255. */
export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  readonly pixels: Uint8Array;
}

export interface IdxLabels {
  readonly count: number;
  /** One digit 0–9 per image. */
  readonly labels: Uint8Array;
}

function asBytes(data: ArrayBuffer | Uint8Array): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

function checkMagic(bytes: Uint8Array, fileName: string, expectedMagic: number): void {
  const magic = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
  if (magic !== expectedMagic) {
    const kind = expectedMagic === IDX_IMAGES_MAGIC ? 'images' : 'labels';
    throw new IdxFormatError(
      fileName,
      `not an IDX ${kind} file: magic number is ${magic}, expected ${expectedMagic}`,
    );
  }
}

function readHeader(bytes: Uint8Array, fileName: string, expectedMagic: number, dims: number) {
  const headerBytes = 4 + 4 * dims;
  if (bytes.byteLength >= 4) checkMagic(bytes, fileName, expectedMagic);
  if (bytes.byteLength < headerBytes) {
    throw new IdxFormatError(
      fileName,
      `file is truncated: ${bytes.byteLength} bytes is shorter than the ${headerBytes}-byte IDX header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sizes: number[] = [];
  for (let d = 0; d < dims; d++) sizes.push(view.getUint32(4 + 4 * d, false));
  return { headerBytes, sizes };
}

function checkLength(bytes: Uint8Array, fileName: string, expected: number): void {
  if (bytes.byteLength < expected) {
    throw new IdxFormatError(
      fileName,
      `file is truncated: expected ${expected} bytes, got ${bytes.byteLength}`,
    );
  }
  if (bytes.byteLength > expected) {
    throw new IdxFormatError(
      fileName,
      `file has ${bytes.byteLength - expected} unexpected trailing bytes (expected ${expected} bytes)`,
    );
  }
}

/** Parses an IDX3 ubyte image file and checks it holds 28×28 images. Views, never copies, the pixels. */
export function parseIdxImages(data: ArrayBuffer | Uint8Array, fileName = 'images'): IdxImages {
  const bytes = asBytes(data);
  const { headerBytes, sizes } = readHeader(bytes, fileName, IDX_IMAGES_MAGIC, 3);
  const [count = 0, rows = 0, cols = 0] = sizes;
  if (rows !== MNIST_SIDE || cols !== MNIST_SIDE) {
    throw new IdxFormatError(fileName, `images are ${rows}×${cols}, expected 28×28`);
  }
  checkLength(bytes, fileName, headerBytes + count * rows * cols);
  return { count, rows, cols, pixels: bytes.subarray(headerBytes) };
}

/** Parses an IDX1 ubyte label file and checks every label is a digit 0–9. */
export function parseIdxLabels(data: ArrayBuffer | Uint8Array, fileName = 'labels'): IdxLabels {
  const bytes = asBytes(data);
  const { headerBytes, sizes } = readHeader(bytes, fileName, IDX_LABELS_MAGIC, 1);
  const [count = 0] = sizes;
  checkLength(bytes, fileName, headerBytes + count);
  const labels = bytes.subarray(headerBytes);
  const bad = labels.findIndex((label) => label >= MNIST_CLASSES);
  if (bad >= 0) {
    throw new IdxFormatError(fileName, `label ${bad} is ${labels[bad]}, expected a digit 0–9`);
  }
  return { count, labels };
}

/** A labelled set of 28×28 images: `pixels` is `[count, 784]` row-major bytes, `labels` is `[count]`. */
export interface LabelledImages {
  readonly count: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/** Pairs parsed images with their labels, refusing files whose counts disagree. */
export function pairImagesWithLabels(images: IdxImages, labels: IdxLabels, setName: string): LabelledImages {
  if (images.count !== labels.count) {
    throw new IdxFormatError(
      setName,
      `${images.count} images but ${labels.count} labels; the image and label files do not match`,
    );
  }
  return { count: images.count, pixels: images.pixels, labels: labels.labels };
}

/** Writes the IDX header: the magic number, then one big-endian size per dimension. */
function idxFile(magic: number, dims: readonly number[], body: Uint8Array): Uint8Array {
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((size, d) => view.setUint32(4 + 4 * d, size, false));
  out.set(body, headerBytes);
  return out;
}

/**
 * Writes `count` 28×28 images (`pixels`: `[count, 784]` bytes, row-major) as an IDX3 ubyte file,
 * the layout MNIST's own `*-images-idx3-ubyte` files use, so {@link parseIdxImages} (and any MNIST
 * loader) reads it back. Throws when `pixels` is not `count × 784` bytes long.
 */
export function writeIdxImages(pixels: Uint8Array, count: number): Uint8Array {
  if (pixels.length !== count * MNIST_PIXELS) {
    throw new Error(`Expected ${count} × ${MNIST_PIXELS} pixels, got ${pixels.length}`);
  }
  return idxFile(IDX_IMAGES_MAGIC, [count, MNIST_SIDE, MNIST_SIDE], pixels);
}

/** Writes digit labels `[count]` (each 0–9) as an IDX1 ubyte file, as MNIST's `*-labels-idx1-ubyte`. */
export function writeIdxLabels(labels: Uint8Array): Uint8Array {
  const bad = labels.findIndex((label) => label >= MNIST_CLASSES);
  if (bad >= 0) throw new Error(`Label ${bad} is ${labels[bad]}, expected a digit 0–9`);
  return idxFile(IDX_LABELS_MAGIC, [labels.length], labels);
}
