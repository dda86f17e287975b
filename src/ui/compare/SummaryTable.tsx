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

type Summary = ComparedRun['summary'];

/** A compared column: which end is best, the value ranked, the cell's text and what follows it. */
interface ComparedColumn {
  readonly header: string;
  readonly better: 'high' | 'low';
  /** The value ranked for "best"; null keeps a run out of the running. */
  readonly rank: (run: ComparedRun) => number | null;
  /** The cell's figure; null shows the dash. */
  readonly text: (run: ComparedRun) => string | null;
  readonly note?: (summary: Summary) => ReactNode;
}

/** A column whose figure is a summary value, formatted, ranked as it is. */
function figure(
  header: string,
  better: ComparedColumn['better'],
  value: (summary: Summary) => number | null,
  format: (value: number) => string,
  note?: ComparedColumn['note'],
): ComparedColumn {
  const text = (run: ComparedRun) => {
    const v = value(run.summary);
    return v === null ? null : format(v);
  };
  return { header, better, rank: (run) => value(run.summary), text, note };
}

const epochOfBest = (s: Summary) =>
  s.bestEpoch !== null && s.bestValidationAccuracy !== null ? (
    <span className="summary-epoch"> (epoch {s.bestEpoch})</span>
  ) : null;

const started = (s: Summary) => s.trainMs > 0 || s.examplesPerSecond !== null;

const COLUMNS: readonly ComparedColumn[] = [
  figure('Best validation accuracy', 'high', (s) => s.bestValidationAccuracy, percent, epochOfBest),
  figure('Test accuracy', 'high', (s) => s.testAccuracy, percent),
  {
    header: 'Training time',
    better: 'low',
    // A run still going or stopped early is not faster.
    rank: (run) => (run.status === 'finished' ? run.summary.trainMs : null),
    text: (run) => (started(run.summary) ? formatSeconds(run.summary.trainMs) : null),
  },
  figure('Examples/s', 'high', (s) => s.examplesPerSecond, formatCount),
];

/**
 * The comparison's figures side by side, one row per run, with the best value of each compared
 * column marked (visibly and for screen readers): highest accuracies and throughput, and the
 * lowest training time among finished runs (a run still going or stopped early is not faster).
 */
export function SummaryTable({ runs }: SummaryTableProps) {
  const best = COLUMNS.map((column) => bestIndices(runs.map(column.rank), column.better));
  return (
    <div className="summary-table-wrap" role="region" aria-label="Summary table" tabIndex={0}>
      <table className="summary-table">
        <caption>Summary</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            {COLUMNS.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
            <th scope="col">Parameters</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run, i) => (
            <tr key={run.key} data-testid="summary-row">
              <th scope="row" className="summary-run">
                <LegendSwatch color={run.color} dashed={run.origin === 'history'} />
                <span>{run.label}</span>
                {run.origin === 'history' ? <span className="sr-only"> (from history)</span> : null}
              </th>
              <td className="summary-status">{run.status}</td>
              {COLUMNS.map((column, k) => (
                <td key={column.header}>
                  <Figure text={column.text(run)} best={best[k]?.has(i) ?? false} />
                  {column.note?.(run.summary)}
                </td>
              ))}
              <td>{run.summary.parameterCount > 0 ? formatCount(run.summary.parameterCount) : EMPTY}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
