import type { ReactNode } from 'react';
import { LegendSwatch } from '../../charts/ChartText.tsx';
import type { ComparedRun } from '../../core/comparedRun.ts';
import { formatCount, formatPercent, formatSeconds } from '../../core/format.ts';
import { bestIndices } from './summaryBest.ts';

interface SummaryTableProps {
  readonly runs: readonly ComparedRun[];
}

const EMPTY = '–';
/** Two decimals: variants often differ by tenths of a percent. */
const percent = (v: number) => formatPercent(v, 2);

/** A cell value, or the dash for a figure the run does not have (yet). */
function Figure({ text, best }: { readonly text: string | null; readonly best: boolean }): ReactNode {
  if (text === null) return EMPTY;
  if (!best) return text;
  return (
    <>
      <strong>{text}</strong>
      <span className="summary-best" aria-hidden="true" title="best">
        ★
      </span>
      <span className="sr-only"> (best)</span>
    </>
  );
}

/**
 * The comparison's figures side by side, one row per run, with the best value of each compared
 * column marked (visibly and for screen readers): highest accuracies and throughput, and the
 * lowest training time among finished runs (a run still going or stopped early is not faster).
 */
export function SummaryTable({ runs }: SummaryTableProps) {
  const bestValidation = bestIndices(
    runs.map((r) => r.summary.bestValidationAccuracy),
    'high',
  );
  const bestTest = bestIndices(
    runs.map((r) => r.summary.testAccuracy),
    'high',
  );
  const bestTime = bestIndices(
    runs.map((r) => (r.status === 'finished' ? r.summary.trainMs : null)),
    'low',
  );
  const bestSpeed = bestIndices(
    runs.map((r) => r.summary.examplesPerSecond),
    'high',
  );
  return (
    <div className="summary-table-wrap" role="region" aria-label="Summary table" tabIndex={0}>
      <table className="summary-table">
        <caption>Summary</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col">Best validation accuracy</th>
            <th scope="col">Test accuracy</th>
            <th scope="col">Training time</th>
            <th scope="col">Examples/s</th>
            <th scope="col">Parameters</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run, i) => {
            const s = run.summary;
            const best = s.bestValidationAccuracy;
            const started = s.trainMs > 0 || s.examplesPerSecond !== null;
            return (
              <tr key={run.key} data-testid="summary-row">
                <th scope="row" className="summary-run">
                  <LegendSwatch color={run.color} dashed={run.origin === 'history'} />
                  <span>{run.label}</span>
                  {run.origin === 'history' ? <span className="sr-only"> (from history)</span> : null}
                </th>
                <td className="summary-status">{run.status}</td>
                <td>
                  <Figure text={best === null ? null : percent(best)} best={bestValidation.has(i)} />
                  {s.bestEpoch !== null && best !== null ? (
                    <span className="summary-epoch"> (epoch {s.bestEpoch})</span>
                  ) : null}
                </td>
                <td>
                  <Figure
                    text={s.testAccuracy === null ? null : percent(s.testAccuracy)}
                    best={bestTest.has(i)}
                  />
                </td>
                <td>
                  <Figure text={started ? formatSeconds(s.trainMs) : null} best={bestTime.has(i)} />
                </td>
                <td>
                  <Figure
                    text={s.examplesPerSecond === null ? null : formatCount(s.examplesPerSecond)}
                    best={bestSpeed.has(i)}
                  />
                </td>
                <td>{s.parameterCount > 0 ? formatCount(s.parameterCount) : EMPTY}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
