import { pairImagesWithLabels, parseIdxImages, parseIdxLabels, type LabelledImages } from '../core/idx.ts';
import type { MnistData } from '../ml/trainingLoop.ts';

/**
 * Downloads MNIST from the app's own origin and parses it with typed arrays only (no DOM).
 * Files are gzip-compressed on the wire and inflated here with `DecompressionStream`, so any
 * static host serves them as plain files; if a server has already decoded them (it sent
 * `Content-Encoding: gzip`), the bytes are used as they are.
 */

export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

type FileKey = keyof typeof MNIST_FILES;

export function mnistUrl(fileName: string): string {
  return new URL(`${import.meta.env.BASE_URL}mnist/${fileName}.gz`, self.location.origin).href;
}

export type ProgressListener = (loadedBytes: number, totalBytes: number) => void;

async function download(
  key: FileKey,
  onBytes: (key: FileKey, loaded: number, total: number) => void,
): Promise<Uint8Array> {
  const name = `${MNIST_FILES[key]}.gz`;
  let response: Response;
  try {
    response = await fetch(mnistUrl(MNIST_FILES[key]));
  } catch (error) {
    throw new Error(`Could not download MNIST file ${name}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok || response.body === null) {
    throw new Error(`Could not download MNIST file ${name}: HTTP ${response.status}`);
  }
  const total = Number(response.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onBytes(key, loaded, Math.max(total, loaded));
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return isGzip(bytes) ? gunzip(bytes, name) : bytes;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new Error(`MNIST file ${name} is corrupted (gzip: ${(error as Error).message})`, {
      cause: error,
    });
  }
}

/**
 * Fetches and parses the four files in parallel, reporting combined compressed-byte progress.
 * Any failure rejects with a message that starts "MNIST could not be loaded:" and names the file.
 */
export async function fetchMnist(onProgress: ProgressListener): Promise<MnistData> {
  try {
    return await fetchAndParse(onProgress);
  } catch (error) {
    throw new Error(`MNIST could not be loaded: ${(error as Error).message}`, { cause: error });
  }
}

async function fetchAndParse(onProgress: ProgressListener): Promise<MnistData> {
  const keys = Object.keys(MNIST_FILES) as FileKey[];
  const loaded = new Map<FileKey, number>();
  const totals = new Map<FileKey, number>();
  const onBytes = (key: FileKey, bytes: number, total: number) => {
    loaded.set(key, bytes);
    totals.set(key, total);
    const sum = (m: Map<FileKey, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    onProgress(sum(loaded), sum(totals));
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    keys.map((key) => download(key, onBytes)),
  );
  const train: LabelledImages = pairImagesWithLabels(
    parseIdxImages(trainImages as Uint8Array, MNIST_FILES.trainImages),
    parseIdxLabels(trainLabels as Uint8Array, MNIST_FILES.trainLabels),
    'MNIST training set',
  );
  const test: LabelledImages = pairImagesWithLabels(
    parseIdxImages(testImages as Uint8Array, MNIST_FILES.testImages),
    parseIdxLabels(testLabels as Uint8Array, MNIST_FILES.testLabels),
    'MNIST test set',
  );
  return { train, test };
}
