import { formatCount, formatPercent } from '../../core/format.ts';
import type { MyDigitsEvaluation } from './useMyDigitsScore.ts';

/** The words of the My digits panel, kept pure so they are tested without a page. */

/** "1 digit", "2,000 digits". */
export const plural = (n: number, noun: string) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;

/** The one line that says how the model does on My digits (or why there is no score). */
export function scoreText(count: number, evaluation: MyDigitsEvaluation): string {
  if (count === 0)
    return 'None yet: label a drawing and add it, and the model is tested on it after every run.';
  switch (evaluation.kind) {
    case 'none':
      return `${plural(count, 'digit')}; scoring…`;
    case 'no-model':
      return `${plural(count, 'digit')}. No trained model yet: train or load one to score them.`;
    case 'failed':
      return `${plural(count, 'digit')}. Scoring failed: ${evaluation.message}`;
    case 'scored': {
      const { score, epoch, source, stale } = evaluation;
      const model =
        source === 'loaded'
          ? 'the loaded model'
          : `epoch ${epoch ?? '?'} of the ${source === 'training' ? 'current' : 'last'} run`;
      const accuracy = score.accuracy === null ? '' : ` (${formatPercent(score.accuracy)})`;
      const when = stale ? ' Updated when the run ends.' : '';
      return `Accuracy on My digits: ${formatCount(score.correct)} of ${formatCount(score.total)}${accuracy}, ${model}.${when}`;
    }
    default:
      return evaluation satisfies never;
  }
}
