import { describe, expect, it } from 'vitest';
import {
  copyShardRows,
  isRowReceived,
  receivedRowCount,
  shardOfRow,
  TRAIN_SHARD_COUNT,
  TRAIN_SHARD_ROWS,
} from './mnistShards.ts';

describe('MNIST training shards', () => {
  it('cover every row exactly once, strided so each shard spans the whole file', () => {
    const perShard = new Array<number>(TRAIN_SHARD_COUNT).fill(0);
    for (let row = 0; row < TRAIN_SHARD_COUNT * TRAIN_SHARD_ROWS; row++)
      perShard[shardOfRow(row)] = (perShard[shardOfRow(row)] ?? 0) + 1;
    expect(perShard).toEqual(new Array<number>(TRAIN_SHARD_COUNT).fill(TRAIN_SHARD_ROWS));
    expect(shardOfRow(59_999)).toBe(TRAIN_SHARD_COUNT - 1);
    expect(receivedRowCount({ received: 2 })).toBe(2 * TRAIN_SHARD_ROWS);
    expect(receivedRowCount(undefined)).toBe(60_000);
    expect(isRowReceived(54_000 + TRAIN_SHARD_COUNT, { received: 1 })).toBe(true);
    expect(isRowReceived(54_001, { received: 1 })).toBe(false);
  });

  it('gathering a shard and placing it back restores the file order', () => {
    const rowBytes = 3;
    const rows = TRAIN_SHARD_COUNT * 4;
    const whole = Uint8Array.from({ length: rows * rowBytes }, (_, i) => i % 251);
    const rebuilt = new Uint8Array(whole.length);
    for (let shard = 0; shard < TRAIN_SHARD_COUNT; shard++) {
      const part = new Uint8Array((rows / TRAIN_SHARD_COUNT) * rowBytes);
      copyShardRows('gather', shard, rowBytes, whole, part);
      copyShardRows('place', shard, rowBytes, rebuilt, part);
    }
    expect(rebuilt).toEqual(whole);
  });
});
