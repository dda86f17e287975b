import { useId, useState } from 'react';
import { CompareChart } from '../../charts/CompareChart.tsx';
import type { CompareMetric } from '../../charts/compareSeries.ts';
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

/** The export buttons, in order. */
const EXPORTS: readonly { readonly kind: ExportKind; readonly label: string; readonly tip: string }[] = [
  { kind: 'csv', label: 'Export CSV', tip: 'Download every point of every curve as CSV, one row per point.' },
  {
    kind: 'summary',
    label: 'Export summary CSV',
    tip: 'Download the summary table as CSV, one row per run.',
  },
  {
    kind: 'json',
    label: 'Export JSON',
    tip: "Download everything as JSON, each finished run's config and environment included.",
  },
];

/** The three overlaid metrics; accuracy ignores the log scale (CompareChart draws it linear). */
const CHARTS: readonly { readonly title: string; readonly metric: CompareMetric }[] = [
  { title: 'Training loss', metric: 'trainLoss' },
  { title: 'Validation loss', metric: 'validationLoss' },
  { title: 'Validation accuracy', metric: 'validationAccuracy' },
];

/** One export's text, type and file name. */
function exportFile(
  kind: ExportKind,
  runs: readonly ComparedRun[],
  base: TrainingConfig | null,
  exportedAt: number,
) {
  switch (kind) {
    case 'csv':
      return { text: comparisonToCsv(runs), type: 'text/csv', name: comparisonFileName(exportedAt, 'csv') };
    case 'summary':
      return {
        text: comparisonSummaryCsv(runs),
        type: 'text/csv',
        name: comparisonFileName(exportedAt, 'csv', '-summary'),
      };
    case 'json':
      return {
        text: comparisonToJson(runs, { base, exportedAt }),
        type: 'application/json',
        name: comparisonFileName(exportedAt, 'json'),
      };
    default: {
      const never: never = kind;
      throw new Error(`Unknown export ${String(never)}`);
    }
  }
}

/** Builds and saves one export; the time stamp in the name keeps successive exports apart. */
function save(kind: ExportKind, runs: readonly ComparedRun[], base: TrainingConfig | null): void {
  const file = exportFile(kind, runs, base, Date.now());
  downloadBlob(new Blob([file.text], { type: file.type }), file.name);
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
  const shared = { runs, axis, logY: logLoss, wrapSaveButton: withSaveHelp };
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
        {CHARTS.map((chart) => (
          <CompareChart key={chart.metric} {...chart} {...shared} />
        ))}
      </div>
      <SummaryTable runs={runs} />
      <div className="compare-exports">
        {EXPORTS.map(({ kind, label, tip }) => (
          <HelpTip key={kind} text={tip}>
            <button type="button" onClick={() => save(kind, runs, base)}>
              {label}
            </button>
          </HelpTip>
        ))}
        <span className="compare-exports-help">
          CSV: one row per curve point (long format); JSON: everything, including each finished run’s config
          and environment.
        </span>
      </div>
    </section>
  );
}
