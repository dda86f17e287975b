import { describe, expect, it } from 'vitest';
import {
  cappedRepeat,
  describeMixedIn,
  extraTrainingProblem,
  MAX_EXTRA_ROWS,
  type ExtraTraining,
} from './extraTraining.ts';
import { MNIST_PIXELS } from './idx.ts';

const two = (change: Partial<ExtraTraining> = {}): ExtraTraining => ({
  images: new Uint8Array(2 * MNIST_PIXELS),
  labels: Uint8Array.of(0, 9),
  repeat: 10,
  ...change,
});

describe('extraTrainingProblem: what the worker refuses', () => {
  it('accepts drawings that match their labels', () => {
    expect(extraTrainingProblem(two())).toBeNull();
  });

  it('refuses wrong shapes, labels and repeats with a message', () => {
    expect(extraTrainingProblem(two({ images: new Uint8Array(MNIST_PIXELS) }))).toBe(
      'Extra training images: 2 labels need 1568 bytes of images (2 × 784), not 784.',
    );
    expect(extraTrainingProblem(two({ labels: Uint8Array.of(0, 10) }))).toMatch(
      /label 2 is 10; labels must be digits 0–9/,
    );
    expect(extraTrainingProblem(two({ labels: new Uint8Array(0), images: new Uint8Array(0) }))).toMatch(
      /none to mix in/,
    );
    expect(extraTrainingProblem(two({ repeat: 0 }))).toMatch(/repeat must be a whole number 1–100, not 0/);
    expect(extraTrainingProblem(two({ repeat: 2.5 }))).toMatch(/not 2.5/);
    const many = 1_000;
    const tooMany = two({
      images: new Uint8Array(many * MNIST_PIXELS),
      labels: new Uint8Array(many),
      repeat: 100,
    });
    expect(extraTrainingProblem(tooMany)).toMatch(/1000 drawings × 100 = 100000 rows, more than 60000/);
    const notBytes = { ...two(), images: [1, 2, 3] } as unknown as ExtraTraining;
    expect(extraTrainingProblem(notBytes)).toMatch(/must be byte arrays/);
  });
});

describe('cappedRepeat and describeMixedIn', () => {
  it('keeps drawings × repeat within the row limit and the repeat within 1–100', () => {
    expect(cappedRepeat(12, 10)).toBe(10);
    expect(cappedRepeat(12, 500)).toBe(100);
    expect(cappedRepeat(2_000, 100)).toBe(MAX_EXTRA_ROWS / 2_000);
    expect(cappedRepeat(0, 0)).toBe(1);
  });

  it('names what a run mixed in', () => {
    expect(describeMixedIn({ drawings: 12, repeat: 10 })).toBe('+12 my digits ×10');
    expect(describeMixedIn({ drawings: 1, repeat: 1 })).toBe('+1 my digit ×1');
  });
});
