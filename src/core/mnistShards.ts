import { MNIST_TRAIN_COUNT } from './config.ts';

/**
 * How the 60,000 training images travel: in {@link TRAIN_SHARD_COUNT} shards, shard `k` holding
 * the rows `k, k + 10, k + 20, …` in file order (a strided, not a contiguous, slice). Shards
 * arrive in order 0, 1, 2, …, so "the first `received` shards" names what a partly downloaded
 * set holds, and every shard holds rows of every part of the file: a run started after shard 0
 * finds training *and* validation rows under either split method (`first` validates on the
 * file's last rows). The server writes the shards (`scripts/mnistPlugin.ts`), the worker fetches
 * and reassembles them (`worker/mnistFetch.ts`) into the file's own row order, and the split
 * (`ml/dataset.ts`) keeps only received rows, so a partial run's examples are a subset of the
 * complete run's with the same split membership.
 */

/** Shards of the training images: 6,000 rows each (≈ 0.97 MB gzip), the first ready after ~1 s at 10 Mbit/s. */
export const TRAIN_SHARD_COUNT = 10;

/** Rows per shard: `[6000]` images of 784 bytes. */
export const TRAIN_SHARD_ROWS = MNIST_TRAIN_COUNT / TRAIN_SHARD_COUNT;

/** The shard that carries training row `row` (0 … 59,999). */
export const shardOfRow = (row: number): number => row % TRAIN_SHARD_COUNT;

/** The training row at position `position` (0 … 5,999) of shard `shard`. */
export const rowOfShardPosition = (shard: number, position: number): number =>
  position * TRAIN_SHARD_COUNT + shard;

/** The file name of shard `shard` (an IDX3 file of its 6,000 images), gzip-compressed on the wire. */
export const trainShardFileName = (shard: number): string =>
  `train-images-idx3-ubyte.shard-${shard}-of-${TRAIN_SHARD_COUNT}`;

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

/** Training rows received: 6,000 per shard. */
export const receivedRowCount = (shards: ReceivedShards | undefined): number =>
  (shards?.received ?? TRAIN_SHARD_COUNT) * TRAIN_SHARD_ROWS;

/**
 * Copies shard `shard`'s rows (`[6000, rowBytes]`) into the whole set's file order
 * (`[60000, rowBytes]`): what the worker does with each shard it receives.
 */
export function placeShardRows(
  shardRows: Uint8Array,
  shard: number,
  rowBytes: number,
  whole: Uint8Array,
): void {
  const rows = shardRows.length / rowBytes;
  for (let position = 0; position < rows; position++) {
    const row = rowOfShardPosition(shard, position);
    whole.set(shardRows.subarray(position * rowBytes, (position + 1) * rowBytes), row * rowBytes);
  }
}

/** The inverse of {@link placeShardRows}: shard `shard`'s rows out of the whole set (the server's side). */
export function gatherShardRows(
  whole: Uint8Array,
  shard: number,
  rowBytes: number,
  shardRows: Uint8Array,
): void {
  const rows = shardRows.length / rowBytes;
  for (let position = 0; position < rows; position++) {
    const row = rowOfShardPosition(shard, position);
    shardRows.set(whole.subarray(row * rowBytes, (row + 1) * rowBytes), position * rowBytes);
  }
}
