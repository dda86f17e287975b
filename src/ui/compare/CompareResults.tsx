import { useId, useState } from 'react';
import { CompareChart } from '../../charts/CompareChart.tsx';
import { downloadBlob } from '../../charts/downloadBlob.ts';
import {
  comparisonFileName,
  comparisonSummaryCsv,
  comparisonToCsv,
  comparisonToJson,
} from '../../core/compareExport.ts';
import { COMPARE_AXES, type CompareAxis, type ComparedRun } from '../../core/comparedRun.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { HelpTip } from '../HelpTip.tsx';
import { withSaveHelp } from '../saveHelp.tsx';
import { SummaryTable } from './SummaryTable.tsx';
import './compareResults.css';

interface CompareResultsProps {
  readonly runs: readonly ComparedRun[];
  /** Written into the JSON export, so a comparison file says what its variants varied from. */
  readonly base: TrainingConfig | null;
}

type ExportKind = 'csv' | 'summary' | 'json';

/** The charts' "Save PNG" with its help tip, placed where the bare button sits (top right). */

/** Builds and saves one export; the time stamp in the name keeps successive exports apart. */
function save(kind: ExportKind, runs: readonly ComparedRun[], base: TrainingConfig | null): void {
  const exportedAt = Date.now();
  switch (kind) {
    case 'csv':
      downloadBlob(
        new Blob([comparisonToCsv(runs)], { type: 'text/csv' }),
        comparisonFileName(exportedAt, 'csv'),
      );
      return;
    case 'summary':
      downloadBlob(
        new Blob([comparisonSummaryCsv(runs)], { type: 'text/csv' }),
        comparisonFileName(exportedAt, 'csv', '-summary'),
      );
      return;
    case 'json':
      downloadBlob(
        new Blob([comparisonToJson(runs, { base, exportedAt })], { type: 'application/json' }),
        comparisonFileName(exportedAt, 'json'),
      );
      return;
    default: {
      const never: never = kind;
      throw new Error(`Unknown export ${String(never)}`);
    }
  }
}

/**
 * The comparison's results: the three overlaid curves against a chosen x axis (epochs show
 * learning per pass over the data, training time shows which variant is faster to a given
 * loss), the summary table, and exports. Charts redraw only for runs whose curves changed.
 */
export function CompareResults({ runs, base }: CompareResultsProps) {
  const [axis, setAxis] = useState<CompareAxis>('epoch');
  const [logLoss, setLogLoss] = useState(false);
  const name = useId();
  if (runs.length === 0) {
    return (
      <section className="panel compare-results" aria-label="Comparison results">
        <h2>Results</h2>
        <p className="compare-results-hint">
          Start the comparison, or pick runs from the history, to see their curves side by side here.
        </p>
      </section>
    );
  }
  return (
    <section className="panel compare-results" aria-label="Comparison results">
      <div className="compare-results-bar">
        <h2>Results</h2>
        <fieldset className="compare-axis">
          <legend>X axis</legend>
          {COMPARE_AXES.map((option) => (
            <label key={option.value}>
              <input
                type="radio"
                name={name}
                value={option.value}
                checked={axis === option.value}
                onChange={() => setAxis(option.value)}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
        <label className="compare-log">
          <input type="checkbox" checked={logLoss} onChange={(e) => setLogLoss(e.target.checked)} />
          Log scale for losses
        </label>
      </div>
      <div className="compare-charts">
        <CompareChart
          title="Training loss"
          runs={runs}
          metric="trainLoss"
          axis={axis}
          logY={logLoss}
          wrapSaveButton={withSaveHelp}
        />
        <CompareChart
          title="Validation loss"
          runs={runs}
          metric="validationLoss"
          axis={axis}
          logY={logLoss}
          wrapSaveButton={withSaveHelp}
        />
        <CompareChart
          title="Validation accuracy"
          runs={runs}
          metric="validationAccuracy"
          axis={axis}
          wrapSaveButton={withSaveHelp}
        />
      </div>
      <SummaryTable runs={runs} />
      <div className="compare-exports">
        <HelpTip text="Download every point of every curve as CSV, one row per point.">
          <button type="button" onClick={() => save('csv', runs, base)}>
            Export CSV
          </button>
        </HelpTip>
        <HelpTip text="Download the summary table as CSV, one row per run.">
          <button type="button" onClick={() => save('summary', runs, base)}>
            Export summary CSV
          </button>
        </HelpTip>
        <HelpTip text="Download everything as JSON, each finished run's config and environment included.">
          <button type="button" onClick={() => save('json', runs, base)}>
            Export JSON
          </button>
        </HelpTip>
        <span className="compare-exports-help">
          CSV: one row per curve point (long format); JSON: everything, including each finished run’s config
          and environment.
        </span>
      </div>
    </section>
  );
}
