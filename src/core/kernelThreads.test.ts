import { describe, expect, it } from 'vitest';
import { parseThreadRequest, threadShare, ThreadTuner } from './kernelThreads.ts';

describe('threadShare', () => {
  it('tiles the items with whole blocks, in thread order, for any thread count', () => {
    for (const [total, unit] of [
      [128, 4],
      [61, 4],
      [1, 4],
      [784, 4],
      [16, 8],
    ] as const) {
      for (let threads = 1; threads <= 5; threads++) {
        let next = 0;
        for (let t = 0; t < threads; t++) {
          const [start, end] = threadShare(total, unit, t, threads);
          expect(start).toBe(next);
          if (start < end) expect(start % unit).toBe(0);
          expect(end).toBeGreaterThanOrEqual(start);
          next = end;
        }
        expect(next).toBe(total);
      }
    }
  });

  it('deals blocks evenly: shares differ by at most one block', () => {
    const sizes = [0, 1, 2].map((t) => {
      const [start, end] = threadShare(100, 4, t, 3);
      return end - start;
    });
    expect(sizes).toEqual([36, 32, 32]);
  });
});

describe('parseThreadRequest', () => {
  it('takes auto and whole numbers 1…64, nothing else', () => {
    expect(parseThreadRequest('auto')).toBe('auto');
    expect(parseThreadRequest('2')).toBe(2);
    expect(parseThreadRequest('64')).toBe(64);
    for (const bad of ['0', '65', '-1', '1.5', ' 2', '', 'two', '1e1'])
      expect(parseThreadRequest(bad)).toBeNull();
  });
});

/** Feeds the tuner steps whose time per example each thread count gives, until it settles. */
function settle(tuner: ThreadTuner, msPerExample: (threads: number) => number, available = 8) {
  for (let step = 0; step < 1000 && tuner.choice === null; step++) {
    const threads = tuner.threadsFor(available);
    tuner.record(threads, 100, 100 * msPerExample(threads));
  }
  return tuner.choice;
}

describe('ThreadTuner', () => {
  it('measures every count and keeps the fastest', () => {
    const choice = settle(new ThreadTuner(3, 'auto', ''), (t) => [0, 0.1, 0.06, 0.07][t] ?? 1);
    expect(choice?.threads).toBe(2);
    expect(choice?.reason).toBe('measured fastest');
    expect(choice?.measured.map((m) => m.threads)).toEqual([1, 2, 3]);
    expect(choice?.measured[1]?.examplesPerSecond).toBeCloseTo(1000 / 0.06, 6);
  });

  it('keeps fewer threads unless more are clearly faster', () => {
    expect(settle(new ThreadTuner(2, 'auto', ''), (t) => (t === 1 ? 0.1 : 0.099))?.threads).toBe(1);
  });

  it('obeys a forced count at once, clamped to the machine, and says why', () => {
    expect(new ThreadTuner(4, 2, '').choice).toEqual({
      threads: 2,
      measured: [],
      reason: 'forced by ?threads=2',
    });
    expect(new ThreadTuner(2, 6, '').choice?.threads).toBe(2);
    expect(new ThreadTuner(2, 6, '').choice?.reason).toMatch(/more than the 2/);
    expect(new ThreadTuner(4, 3, '', 3000, '--threads ').choice?.reason).toBe('forced by --threads 3');
  });

  it('runs one thread with the host’s reason when only one is possible', () => {
    const tuner = new ThreadTuner(1, 'auto', 'one thread: not cross-origin isolated');
    expect(tuner.choice).toEqual({
      threads: 1,
      measured: [],
      reason: 'one thread: not cross-origin isolated',
    });
    expect(tuner.threadsFor(1)).toBe(1);
  });

  it('trains on one thread while helpers start, and gives up on them after a while', () => {
    const tuner = new ThreadTuner(2, 'auto', '', 50);
    const choice = settle(tuner, () => 0.01, 1);
    expect(choice?.threads).toBe(1);
    expect(choice?.reason).toMatch(/did not start/);
  });

  it('measures again after 5 s of training, and follows a change in load', () => {
    const tuner = new ThreadTuner(2, 'auto', '');
    let twoThreadsCost = 0.2;
    const step = () => {
      const threads = tuner.threadsFor(2);
      tuner.record(threads, 100, 100 * (threads === 1 ? 0.1 : twoThreadsCost));
    };
    while (tuner.choice === null) step();
    expect(tuner.choice?.threads).toBe(1);
    // The other core frees up; after the next re-measurement two threads win.
    twoThreadsCost = 0.06;
    for (let i = 0; i < 600 && tuner.choice?.threads !== 2; i++) step();
    expect(tuner.choice?.threads).toBe(2);
    expect(tuner.choice?.measured.map((m) => m.threads)).toEqual([1, 2]);
  });
});
