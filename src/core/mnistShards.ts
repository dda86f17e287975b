import { MNIST_TRAIN_COUNT } from './config.ts';

/**
 * How the 60,000 training images travel: in {@link TRAIN_SHARD_COUNT} shards, shard `k` holding
 * the rows `k, k + 20, k + 40, …` in file order (a strided, not a contiguous, slice). Shards
 * arrive in order 0, 1, 2, …, so "the first `received` shards" names what a partly downloaded
 * set holds, and every shard holds rows of every part of the file: a run started after shard 0
 * finds training *and* validation rows under either split method (`first` validates on the
 * file's last rows). The server writes the shards (`scripts/mnistPlugin.ts`), the worker fetches
 * and reassembles them (`worker/mnistFetch.ts`) into the file's own row order, and the split
 * (`ml/dataset.ts`) keeps only received rows, so a partial run's examples are a subset of the
 * complete run's with the same split membership.
 */

/**
 * Shards of the training images: 3,000 rows each (≈ 470 KB gzip). Small, because the first one is
 * on the critical path of a first visit (with the app, the labels and the test set: ≈ 2.9 MB, ≈
 * 2.9 s at 10 Mbit/s); the others follow within about 8 s.
 */
export const TRAIN_SHARD_COUNT = 20;

/** Rows per shard: `[3000]` images of 784 bytes. */
export const TRAIN_SHARD_ROWS = MNIST_TRAIN_COUNT / TRAIN_SHARD_COUNT;

/** The shard that carries training row `row` (0 … 59,999). */
export const shardOfRow = (row: number): number => row % TRAIN_SHARD_COUNT;

/** The training row at position `position` (0 … 5,999) of shard `shard`. */
export const rowOfShardPosition = (shard: number, position: number): number =>
  position * TRAIN_SHARD_COUNT + shard;

/** The official files served whole (gzip-compressed on the wire, `.gz` added to the name). */
export const MNIST_FILES = {
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The Cache Storage cache the worker keeps the downloaded files in, keyed by URL (bump to drop them). */
export const MNIST_CACHE = 'mnist-data-v1';

/** Where file `fileName` is served, under the app's base path `base` (ends in `/`). */
export const mnistPath = (base: string, fileName: string): string => `${base}mnist/${fileName}.gz`;

/** The file name of shard `shard` (an IDX3 file of its 3,000 images), gzip-compressed on the wire. */
export const trainShardFileName = (shard: number): string =>
  `train-images-idx3-ubyte.shard-${shard}-of-${TRAIN_SHARD_COUNT}`;

/**
 * What the page needs before it can train: the labels, the test set and the first training shard
 * (≈ 2.6 MB gzip, fetched together), in the order the worker asks for them.
 */
export const FIRST_MNIST_FILES: readonly string[] = [
  MNIST_FILES.trainLabels,
  MNIST_FILES.testImages,
  MNIST_FILES.testLabels,
  trainShardFileName(0),
];

/**
 * Which training rows a partly downloaded set holds: the first `received` of the
 * {@link TRAIN_SHARD_COUNT} shards. Absent (or `received === TRAIN_SHARD_COUNT`) means all.
 */
export interface ReceivedShards {
  readonly received: number;
}

/** Whether training row `row` has arrived. */
export const isRowReceived = (row: number, shards: ReceivedShards | undefined): boolean =>
  shards === undefined || shardOfRow(row) < shards.received;

/** Training rows received: 3,000 per shard. */
export const receivedRowCount = (shards: ReceivedShards | undefined): number =>
  (shards?.received ?? TRAIN_SHARD_COUNT) * TRAIN_SHARD_ROWS;

/**
 * Moves shard `shard`'s rows between the whole set in file order (`whole`, `[60000, rowBytes]`)
 * and the shard (`shardRows`, `[3000, rowBytes]`): `place` what a shard brought into the whole set
 * (the worker), `gather` a shard out of the whole set (the server).
 */
export function copyShardRows(
  direction: 'place' | 'gather',
  shard: number,
  rowBytes: number,
  whole: Uint8Array,
  shardRows: Uint8Array,
): void {
  const rows = shardRows.length / rowBytes;
  for (let position = 0; position < rows; position++) {
    const inShard = position * rowBytes;
    const inWhole = rowOfShardPosition(shard, position) * rowBytes;
    if (direction === 'place') whole.set(shardRows.subarray(inShard, inShard + rowBytes), inWhole);
    else shardRows.set(whole.subarray(inWhole, inWhole + rowBytes), inShard);
  }
}
