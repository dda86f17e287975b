import { describe, expect, it } from 'vitest';
import { mostConfidentWrong } from './misclassified.ts';

describe('mostConfidentWrong', () => {
  // 4 classes, 5 rows. Rows 1, 2 and 4 are wrong with confidences 0.7, 0.9, 0.7.
  const probabilities = [
    [0.8, 0.1, 0.05, 0.05], // true 0, right
    [0.1, 0.7, 0.15, 0.05], // true 0, predicted 1 at 0.7
    [0.02, 0.03, 0.05, 0.9], // true 2, predicted 3 at 0.9
    [0.1, 0.1, 0.6, 0.2], // true 2, right
    [0.7, 0.2, 0.06, 0.04], // true 1, predicted 0 at 0.7
  ].flat();
  const labels = [0, 0, 2, 2, 1];

  it('keeps only wrong rows, most confident first, ties by index', () => {
    const picked = mostConfidentWrong(probabilities, labels, 10, 4);
    expect(picked.map((m) => m.index)).toEqual([2, 1, 4]);
    expect(picked[0]).toMatchObject({ trueLabel: 2, predicted: 3, confidence: 0.9 });
  });

  it('returns the top three classes with their probabilities', () => {
    const [first] = mostConfidentWrong(probabilities, labels, 1, 4);
    expect(first?.top3).toEqual([
      { label: 3, probability: 0.9 },
      { label: 2, probability: 0.05 },
      { label: 1, probability: 0.03 },
    ]);
  });

  it('honours n and handles no mistakes', () => {
    expect(mostConfidentWrong(probabilities, labels, 2, 4)).toHaveLength(2);
    expect(mostConfidentWrong(probabilities, labels, 0, 4)).toEqual([]);
    expect(mostConfidentWrong([1, 0, 0, 1], [0, 1], 5, 2)).toEqual([]);
  });
});
