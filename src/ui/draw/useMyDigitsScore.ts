import { useEffect, useMemo, useState } from 'react';
import type { Phase } from '../../client/runState.ts';
import type { TrainerSession } from '../../client/TrainerSession.ts';
import { scoreMyDigits, type MyDigit, type MyDigitsScore } from '../../core/myDigits.ts';
import type { PredictionSource } from '../../worker/protocol.ts';

/** How the current model did on My digits, as the panel shows it. */
export type MyDigitsEvaluation =
  /** Nothing asked yet, or no digits to ask about. */
  | { readonly kind: 'none' }
  /** The worker has no model yet (nothing trained or loaded in this page). */
  | { readonly kind: 'no-model' }
  | {
      readonly kind: 'scored';
      readonly score: MyDigitsScore;
      /** Which weights answered, and their epoch. */
      readonly source: PredictionSource;
      readonly epoch: number | null;
      /** A run is in progress: this score is from before it, and is renewed when it ends. */
      readonly stale: boolean;
    }
  | { readonly kind: 'failed'; readonly message: string };

/** Phases in which the weights are changing: the score waits for the run to settle. */
const MOVING: ReadonlySet<Phase> = new Set<Phase>(['starting', 'training', 'evaluating']);

/**
 * Scores the worker's current model on My digits with the pad's predict path (one `predict` per
 * digit: a few hundred sub-millisecond answers), on mount (a page load), whenever the digits
 * change, when a run settles (finished, stopped, paused) and when a model is loaded. While a run
 * moves the weights, the last score stays, marked stale, so the page does not ask every step.
 * Only the newest evaluation's answers are kept.
 */
export function useMyDigitsScore(
  request: TrainerSession['request'],
  digits: readonly MyDigit[],
  phase: Phase,
  modelRevision: number,
): MyDigitsEvaluation {
  const [answered, setAnswered] = useState<MyDigitsEvaluation>({ kind: 'none' });
  const moving = MOVING.has(phase);
  // Changes when the weights may have: each settled phase (a run's end) and each model loaded.
  const settledPhase = moving ? null : phase;

  useEffect(() => {
    if (settledPhase === null || digits.length === 0) return;
    let current = true;
    const asked = digits.map((digit) => request({ type: 'predict', pixels: digit.pixels.slice() }));
    Promise.all(asked).then(
      (answers) => {
        if (!current) return;
        const first = answers[0];
        if (first?.source == null || answers.some((a) => a.probabilities === null)) {
          setAnswered({ kind: 'no-model' });
          return;
        }
        const score = scoreMyDigits(
          digits,
          answers.map((answer) => answer.probabilities ?? []),
        );
        setAnswered({ kind: 'scored', score, source: first.source, epoch: first.epoch, stale: false });
      },
      (error: unknown) => {
        if (current)
          setAnswered({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [request, digits, settledPhase, modelRevision]);

  // One object per change, so the memoised panel skips the page's frequent re-renders while training.
  const empty = digits.length === 0;
  return useMemo((): MyDigitsEvaluation => {
    if (empty) return { kind: 'none' };
    return answered.kind === 'scored' && moving ? { ...answered, stale: true } : answered;
  }, [empty, answered, moving]);
}
