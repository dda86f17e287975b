import type { RunState } from '../client/runState.ts';
import { formatCount, formatPercent, formatSeconds } from '../core/format.ts';
import type { RunRecord } from '../core/runRecord.ts';
import { RunExport } from './RunExport.tsx';
import './resultPanel.css';

/**
 * The run's outcome on the 10,000 test images: with the final weights, and with the weights of
 * the epoch that did best on validation (what early stopping would keep).
 */
export function ResultPanel({
  state,
  record,
}: {
  readonly state: RunState;
  readonly record: RunRecord | null;
}) {
  const result = state.run?.result ?? null;
  const shape = state.run?.shape ?? null;
  if (result === null || shape === null) return null;
  const { finalTest, best } = result;
  return (
    <section className="panel result" aria-labelledby="result-heading">
      <h2 id="result-heading">Result</h2>
      {result.diverged ? (
        <p className="banner" role="alert" data-testid="divergence">
          {result.diverged.message}
        </p>
      ) : null}
      <p className="test-accuracy" data-testid="test-accuracy">
        Test accuracy (final weights): {formatPercent(finalTest.accuracy)}
      </p>
      {best ? (
        <p className="best-accuracy" data-testid="best-test-accuracy">
          Test accuracy (best epoch {best.epoch} by validation): {formatPercent(best.test.accuracy)}
        </p>
      ) : null}
      <p className="muted">
        {result.stopped ? 'Stopped early; evaluated the weights as they were. ' : ''}
        Test loss {finalTest.loss.toFixed(4)} final
        {best
          ? `, ${best.test.loss.toFixed(4)} at epoch ${best.epoch} (validation accuracy ${formatPercent(best.validationAccuracy)})`
          : ''}{' '}
        · trained {formatCount(shape.trainingExamples)} examples for {formatSeconds(result.trainMs)}
      </p>
      {record ? <RunExport record={record} /> : null}
    </section>
  );
}
