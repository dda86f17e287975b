import { describe, expect, it } from 'vitest';
import { NewestAnswer } from './newestAnswer.ts';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('NewestAnswer', () => {
  it('keeps only the newest answer: a late answer to an older question is dropped', async () => {
    const newest = new NewestAnswer<string>();
    let notified = 0;
    newest.subscribe(() => (notified += 1));
    const first = deferred<string>();
    const second = deferred<string>();
    expect(newest.track(first.promise)).toBe(1);
    expect(newest.track(second.promise)).toBe(2);
    second.resolve('two');
    await settled();
    expect(newest.getSnapshot()).toEqual({ ticket: 2, answer: 'two' });
    first.resolve('one');
    await settled();
    expect(newest.getSnapshot()).toEqual({ ticket: 2, answer: 'two' });
    expect(notified).toBe(1);
  });

  it('shows answers in order as they come', async () => {
    const newest = new NewestAnswer<string>();
    newest.track(Promise.resolve('one'));
    await settled();
    expect(newest.getSnapshot()?.answer).toBe('one');
    newest.track(Promise.resolve('two'));
    await settled();
    expect(newest.getSnapshot()).toEqual({ ticket: 2, answer: 'two' });
  });

  it('leaves the answer shown when a question fails (the worker crashed), without an unhandled rejection', async () => {
    const newest = new NewestAnswer<string>();
    newest.track(Promise.resolve('kept'));
    const failing = deferred<string>();
    newest.track(failing.promise);
    failing.reject(new Error('The training worker crashed'));
    await settled();
    expect(newest.getSnapshot()).toEqual({ ticket: 1, answer: 'kept' });
  });
});
