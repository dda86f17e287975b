import { describe, expect, it } from 'vitest';
import { MY_DIGITS_LIMIT } from '../core/myDigits.ts';
import { fakeIndexedDbPerTest } from '../testing/fakeIndexedDb.ts';
import { MY_DIGITS_DB_NAME, myDigitStoreErrorMessage, openMyDigitStore } from './myDigitStore.ts';

const { open, openRaw } = fakeIndexedDbPerTest((factory) => openMyDigitStore({ factory }));

const ink = (value: number) => new Uint8Array(784).fill(value);

/** A labelled set of `count` images, image i filled with the byte i. */
function set(count: number) {
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) pixels.fill(i % 256, i * 784, (i + 1) * 784);
  return { count, pixels, labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
}

describe('My digits store', () => {
  it('adds labelled drawings, lists them newest first, and keeps them across a reopen', async () => {
    const first = await open();
    const three = await first.add(3, ink(30));
    const seven = await first.add(7, ink(70));
    expect(three).toMatchObject({ label: 3 });
    first.close();
    const second = await open();
    const { items, skipped } = await second.list();
    expect(items.map((d) => d.id)).toEqual([seven.id, three.id]);
    expect(items[1]?.pixels).toEqual(ink(30));
    expect(skipped).toBe(0);
  });

  it('keeps a copy: changing the caller’s array later changes nothing stored', async () => {
    const store = await open();
    const pixels = ink(5);
    await store.add(1, pixels);
    pixels.fill(0);
    expect((await store.list()).items[0]?.pixels).toEqual(ink(5));
  });

  it('refuses a label outside 0–9 or an image that is not 28×28, storing nothing', async () => {
    const store = await open();
    await expect(store.add(10, ink(1))).rejects.toThrow(
      'This digit cannot be kept: label: must be a digit 0–9',
    );
    await expect(store.add(-1, ink(1))).rejects.toThrow(/label: must be a digit 0–9/);
    await expect(store.add(2, new Uint8Array(100))).rejects.toThrow(
      'This digit cannot be kept: pixels: must be 784 bytes (28×28)',
    );
    expect((await store.list()).items).toEqual([]);
  });

  it('imports a set in one go, listed in the set’s order (its first oldest)', async () => {
    const store = await open();
    const listed = await store.addMany(set(4));
    expect(listed.map((d) => d.label)).toEqual([3, 2, 1, 0]);
    expect(listed.map((d) => d.pixels[0])).toEqual([3, 2, 1, 0]);
  });

  it('refuses a set that would pass the limit, whole, and loses nothing already kept', async () => {
    const store = await open();
    const kept = await store.add(4, ink(4));
    const error = await store.addMany(set(MY_DIGITS_LIMIT)).catch((e: unknown) => e);
    expect(myDigitStoreErrorMessage(error)).toMatch(
      /^My digits hold at most 2,000 drawings; 1 are kept and 2,000 more would pass that\. Delete some first; nothing was added\.$/,
    );
    expect((await store.list()).items.map((d) => d.id)).toEqual([kept.id]);
  });

  it('refuses a set whose labels and images disagree', async () => {
    const store = await open();
    await expect(store.addMany({ ...set(2), labels: Uint8Array.of(1) })).rejects.toThrow(
      /images and labels do not match/,
    );
    await expect(store.addMany({ ...set(1), labels: Uint8Array.of(11) })).rejects.toThrow(
      /label: must be a digit/,
    );
    expect((await store.list()).items).toEqual([]);
  });

  it('skips and counts stored values it cannot read, and never deletes them', async () => {
    const store = await open();
    await store.add(2, ink(2));
    const raw = await openRaw(MY_DIGITS_DB_NAME);
    await raw.put('digits', { id: 'broken', label: 12, pixels: ink(1), addedAt: 5 });
    await raw.put('digits', { id: 'short', label: 1, pixels: new Uint8Array(3), addedAt: 6 });
    raw.close();
    const { items, skipped } = await store.list();
    expect(items.map((d) => d.label)).toEqual([2]);
    expect(skipped).toBe(2);
    expect((await store.list()).skipped).toBe(2);
  });

  it('deletes one digit; deleting it again is not an error', async () => {
    const store = await open();
    const a = await store.add(1, ink(1));
    const b = await store.add(2, ink(2));
    await store.remove(a.id);
    await store.remove(a.id);
    expect((await store.list()).items.map((d) => d.id)).toEqual([b.id]);
  });
});
