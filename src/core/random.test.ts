import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.ts';

describe('SeededRandom', () => {
  it('repeats the same stream for the same seed and differs for another', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const first = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(first);
  });

  it('treats seed 0 as a real seed: a stream of its own, repeatable and well mixed', () => {
    const draw = (seed: number, count: number) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: count }, () => rng.nextUint32());
    };
    const zero = draw(0, 1000);
    expect(draw(0, 1000)).toEqual(zero);
    // Not a stand-in for another seed, nor the stuck stream of an all-zero sfc32 state.
    for (const other of [1, 42, 0xffffffff]) expect(draw(other, 4)).not.toEqual(zero.slice(0, 4));
    expect(new Set(zero).size, 'distinct values among 1,000 draws').toBe(1000);
    expect(zero.reduce((sum, v) => sum + v / 2 ** 32, 0) / zero.length).toBeCloseTo(0.5, 1);
    // Pinned: a change to the seeding would change every run seeded 0 (and its documented figures).
    expect(zero.slice(0, 4)).toEqual([4205396811, 3543653536, 1222415357, 3047368389]);
  });

  it('draws uniform floats in [0, 1) with mean near 0.5', () => {
    const rng = new SeededRandom(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = rng.nextFloat();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const rng = new SeededRandom(7);
    const n = 40000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.nextNormal();
      sum += x;
      sumSq += x * x;
    }
    expect(sum / n).toBeCloseTo(0, 1);
    expect(sumSq / n).toBeCloseTo(1, 1);
  });

  it('makes permutations that hold each index once', () => {
    const perm = new SeededRandom(3).permutation(1000);
    expect([...perm].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...perm.subarray(0, 10)]).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('SeededRandom state', () => {
  it('hands its stream over and takes it back: a copy continues exactly where it left off', () => {
    const original = new SeededRandom(123);
    for (let i = 0; i < 7; i++) original.nextUint32();
    const copy = new SeededRandom(0);
    copy.setState(original.state());
    expect(Array.from({ length: 50 }, () => copy.nextUint32())).toEqual(
      Array.from({ length: 50 }, () => original.nextUint32()),
    );
  });
});
