import { MNIST_TRAIN_COUNT } from '../core/config.ts';
import { MNIST_PIXELS, pairImagesWithLabels, parseIdxImages, parseIdxLabels } from '../core/idx.ts';
import {
  MNIST_CACHE,
  MNIST_FILES,
  mnistPath,
  copyShardRows,
  TRAIN_SHARD_COUNT,
  TRAIN_SHARD_ROWS,
  trainShardFileName,
} from '../core/mnistShards.ts';
import type { MnistData } from '../ml/trainingLoop.ts';

/**
 * Downloads MNIST from the app's own origin and parses it with typed arrays only (no DOM), in the
 * order that gets a first visit training soonest on a slow link: the labels, the test set and the
 * first training shard together (≈ 2.1 MB gzip; the page is ready to train then, on 3,000
 * images), then the other shards, two at a time (see `core/mnistShards.ts`). Files are
 * gzip-compressed on the wire and inflated here with `DecompressionStream`, so any static host
 * serves them as plain files; if a server has already decoded them (it sent
 * `Content-Encoding: gzip`), the bytes are used as they are. Each file, once it parses, is kept in
 * Cache Storage (`MNIST_CACHE`) and read from there first: a reload, or a visit offline,
 * needs no network for the data.
 */

export function mnistUrl(fileName: string): string {
  return new URL(mnistPath(import.meta.env.BASE_URL, fileName), self.location.origin).href;
}

/** Compressed bytes of the files needed before the page is ready (both counts grow as responses arrive). */
export type ProgressListener = (loadedBytes: number, totalBytes: number) => void;

/**
 * Called with the data received so far: the test set whole, and `receivedShards.received` of the
 * training shards (their rows in place in `train`, the other rows still zero).
 */
export type PartialListener = (data: MnistData) => void;

/** Where a file's bytes come from: Cache Storage, else the network (then cached once it parses). */
class MnistSource {
  constructor(private readonly cache: Cache | null) {}

  static async open(): Promise<MnistSource> {
    // Cache Storage exists only in secure contexts (https, localhost); elsewhere every visit downloads.
    const cache = typeof caches === 'undefined' ? null : await caches.open(MNIST_CACHE).catch(() => null);
    return new MnistSource(cache);
  }

  /** The file's bytes (inflated) and a function that keeps them in the cache. */
  async read(
    fileName: string,
    onBytes: (loaded: number, total: number) => void,
  ): Promise<{ bytes: Uint8Array; keep: () => void }> {
    const url = mnistUrl(fileName);
    const name = `${fileName}.gz`;
    const cached = await this.cache?.match(url).catch(() => undefined);
    const response = cached ?? (await download(url, name));
    const raw = await readBody(response, name, onBytes);
    const keep = () => {
      if (cached !== undefined || this.cache === null) return;
      const headers = { 'Content-Type': 'application/gzip' };
      // A full disk or a private window refuses: the data still works, it is just not kept.
      void this.cache.put(url, new Response(raw as BlobPart, { headers })).catch(() => undefined);
    };
    return { bytes: isGzip(raw) ? await gunzip(raw, name) : raw, keep };
  }
}

async function download(url: string, name: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not download MNIST file ${name}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok || response.body === null) {
    throw new Error(`Could not download MNIST file ${name}: HTTP ${response.status}`);
  }
  return response;
}

async function readBody(
  response: Response,
  name: string,
  onBytes: (loaded: number, total: number) => void,
): Promise<Uint8Array> {
  if (response.body === null) throw new Error(`MNIST file ${name} has no body`);
  const total = Number(response.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onBytes(loaded, Math.max(total, loaded));
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
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
 * Fetches and parses MNIST: `onPartial` hears of the data each time a training shard arrives
 * (the first time with the test set and shard 0), and the promise resolves with all of it, in the
 * official files' row order. Any failure rejects with a message that starts "MNIST could not be
 * loaded:" and names the file.
 */
export async function fetchMnist(
  onProgress: ProgressListener,
  onPartial?: PartialListener,
): Promise<MnistData> {
  try {
    return await fetchAndParse(onProgress, onPartial ?? (() => {}));
  } catch (error) {
    throw new Error(`MNIST could not be loaded: ${(error as Error).message}`, { cause: error });
  }
}

async function fetchAndParse(onProgress: ProgressListener, onPartial: PartialListener): Promise<MnistData> {
  const source = await MnistSource.open();
  const loaded = new Map<string, number>();
  const totals = new Map<string, number>();
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const progressOf = (fileName: string) => (bytes: number, total: number) => {
    loaded.set(fileName, bytes);
    totals.set(fileName, total);
    onProgress(sum(loaded), sum(totals));
  };
  const read = (fileName: string) => source.read(fileName, progressOf(fileName));
  // Together, so the link never idles between them; the page waits for all four.
  const [trainLabels, testImages, testLabels, firstShard] = await Promise.all([
    read(MNIST_FILES.trainLabels),
    read(MNIST_FILES.testImages),
    read(MNIST_FILES.testLabels),
    read(trainShardFileName(0)),
  ]);
  const test = pairImagesWithLabels(
    parseIdxImages(testImages.bytes, MNIST_FILES.testImages),
    parseIdxLabels(testLabels.bytes, MNIST_FILES.testLabels),
    'MNIST test set',
  );
  const labels = parseIdxLabels(trainLabels.bytes, MNIST_FILES.trainLabels);
  if (labels.count !== MNIST_TRAIN_COUNT)
    throw new Error(`${MNIST_FILES.trainLabels}: ${labels.count} labels, expected ${MNIST_TRAIN_COUNT}`);
  [trainLabels, testImages, testLabels].forEach((file) => file.keep());
  const train = {
    count: MNIST_TRAIN_COUNT,
    pixels: new Uint8Array(MNIST_TRAIN_COUNT * MNIST_PIXELS),
    labels: labels.labels,
  };
  const place = (shard: number, file: { bytes: Uint8Array; keep: () => void }) => {
    const name = trainShardFileName(shard);
    const images = parseIdxImages(file.bytes, name);
    if (images.count !== TRAIN_SHARD_ROWS)
      throw new Error(`${name}: ${images.count} images, expected ${TRAIN_SHARD_ROWS}`);
    copyShardRows('place', shard, MNIST_PIXELS, train.pixels, images.pixels);
    file.keep();
  };
  place(0, firstShard);
  onPartial({ train, test, receivedShards: { received: 1 } });
  // Two requests in flight, so the link does not idle for a round trip between shards; each is
  // placed in order, so "the first `received` shards" stays true.
  const request = (shard: number) => {
    const reading = source.read(trainShardFileName(shard), () => {});
    // Awaited in its turn; until then a failure must not count as unhandled (the worker reports those).
    reading.catch(() => undefined);
    return reading;
  };
  let next = request(1);
  for (let shard = 1; shard < TRAIN_SHARD_COUNT; shard++) {
    const arriving = next;
    if (shard + 1 < TRAIN_SHARD_COUNT) next = request(shard + 1);
    place(shard, await arriving);
    if (shard + 1 < TRAIN_SHARD_COUNT) onPartial({ train, test, receivedShards: { received: shard + 1 } });
  }
  return { train, test };
}
