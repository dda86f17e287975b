import type { RunState } from '../client/runState.ts';
import { formatCount, formatPercent, formatSeconds } from '../core/format.ts';

/** The run's outcome: test accuracy on the 10,000 test images, and how long training took. */
export function ResultPanel({ state }: { readonly state: RunState }) {
  const { result, run } = state;
  if (result === null || run === null) return null;
  const lastValidation = state.validationAccuracy[state.validationAccuracy.length - 1];
  return (
    <section className="panel result" aria-labelledby="result-heading">
      <h2 id="result-heading">Result</h2>
      <p className="test-accuracy" data-testid="test-accuracy">
        Test accuracy: {formatPercent(result.testAccuracy)}
      </p>
      <p className="muted">
        {result.stopped ? 'Stopped early; evaluated the weights as they were. ' : ''}
        Test loss {result.testLoss.toFixed(4)}
        {lastValidation ? ` · last validation accuracy ${formatPercent(lastValidation.y)}` : ''} · trained{' '}
        {formatCount(run.trainingExamples)} examples for {formatSeconds(result.trainMs)}
      </p>
    </section>
  );
}
