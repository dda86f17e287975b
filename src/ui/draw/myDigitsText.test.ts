import { describe, expect, it } from 'vitest';
import { scoreMyDigits } from '../../core/myDigits.ts';
import { plural, scoreText } from './myDigitsText.ts';

const answer = (k: number) => Float32Array.from({ length: 10 }, (_, j) => (j === k ? 1 : 0));
const score = scoreMyDigits(
  [
    { id: 'a', label: 1 },
    { id: 'b', label: 2 },
  ],
  [answer(1), answer(7)],
);

describe('scoreText', () => {
  it('invites a first digit, and says when there is no model to score them', () => {
    expect(scoreText(0, { kind: 'none' })).toMatch(/^None yet: label a drawing/);
    expect(scoreText(1, { kind: 'no-model' })).toBe(
      '1 digit. No trained model yet: train or load one to score them.',
    );
    expect(scoreText(2, { kind: 'failed', message: 'worker gone' })).toBe(
      '2 digits. Scoring failed: worker gone',
    );
  });

  it('gives the accuracy and which weights answered, and says when a run makes it stale', () => {
    const scored = { kind: 'scored', score, source: 'finished', epoch: 3, stale: false } as const;
    expect(scoreText(2, scored)).toBe('Accuracy on My digits: 1 of 2 (50.0%), epoch 3 of the last run.');
    expect(scoreText(2, { ...scored, source: 'loaded', stale: true })).toBe(
      'Accuracy on My digits: 1 of 2 (50.0%), the loaded model. Updated when the run ends.',
    );
    expect(scoreText(2, { ...scored, source: 'training' })).toMatch(/epoch 3 of the current run\.$/);
  });

  it('counts in words', () => {
    expect(plural(1, 'digit')).toBe('1 digit');
    expect(plural(2000, 'digit')).toBe('2,000 digits');
  });
});
