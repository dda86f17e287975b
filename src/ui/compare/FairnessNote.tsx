import type { ComparedRun } from '../../core/comparedRun.ts';
import type { ExpectedFairness } from '../../core/comparison.ts';

interface FairnessNoteProps {
  readonly expected: ExpectedFairness | null;
  /** The live runs of the comparison (history runs ran on their own terms). */
  readonly runs: readonly ComparedRun[];
  readonly seed: number | null;
  /** Some variants train on TF.js ops (batch norm) and others on the fused kernel. */
  readonly mixedEngines: boolean;
  readonly concurrent: boolean;
}

function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

/**
 * Says what makes the race fair before it starts (from the fields the variants change), and
 * checks it once the runs report their fingerprints: a promise the page can verify.
 */
export function FairnessNote({ expected, runs, seed, mixedEngines, concurrent }: FairnessNoteProps) {
  const reported = runs.filter((r) => r.fingerprints != null);
  const weights = distinct(reported.map((r) => r.fingerprints?.initialWeights));
  const orders = distinct(reported.map((r) => r.fingerprints?.dataOrder));
  const checked =
    reported.length >= 2 &&
    reported.length === runs.filter((r) => r.status !== 'queued' && r.status !== 'stopped').length;
  const surprise =
    checked &&
    expected !== null &&
    ((expected.sameInitialWeights && weights.length > 1) || (expected.sameDataOrder && orders.length > 1));
  return (
    <div className="fairness" data-testid="fairness">
      {expected === null ? null : expected.reasons.length === 0 ? (
        <p>
          <strong>Fair start.</strong> Every variant starts from the same initial weights and sees the
          training examples in the same order{seed !== null ? ` (seed ${seed})` : ''}: only the fields you
          changed differ.
        </p>
      ) : (
        <p>
          <strong>Not a like-for-like start:</strong> {expected.reasons.join('; ')}, so{' '}
          {expected.sameInitialWeights ? '' : 'the initial weights differ'}
          {!expected.sameInitialWeights && !expected.sameDataOrder ? ' and ' : ''}
          {expected.sameDataOrder ? ' the data order is still the same for all.' : 'the data order differs.'}
        </p>
      )}
      {checked ? (
        <p
          data-testid="fairness-check"
          role={surprise ? 'alert' : undefined}
          className={surprise ? 'field-error' : undefined}
        >
          {surprise ? 'Unexpected: ' : 'Checked: '}
          {weights.length === 1
            ? `all ${reported.length} runs started from identical weights (fingerprint ${weights[0]})`
            : `${weights.length} different sets of initial weights`}
          {orders.length === 1
            ? ` and saw the same data order (${orders[0]}).`
            : `; ${orders.length} different data orders.`}
        </p>
      ) : null}
      {mixedEngines ? (
        <p className="field-help">
          Batch norm trains on TF.js ops, the others on the fused kernel: compare per epoch or per example,
          not per second.
        </p>
      ) : null}
      {concurrent ? (
        <p className="field-help">
          Runs share your CPU, so their times are comparable with each other, not with a run on its own.
        </p>
      ) : null}
    </div>
  );
}
