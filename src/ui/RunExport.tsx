import { downloadBlob } from '../charts/downloadBlob.ts';
import { comparedFromRecord } from '../core/comparedRun.ts';
import { comparisonToCsv } from '../core/compareExport.ts';
import { runFileName, runToJson } from '../core/runFile.ts';
import type { RunRecord } from '../core/runRecord.ts';

/**
 * A finished run's downloads: the whole run as one JSON file (config, seed, curves, results,
 * environment; Compare's history can import it and draw its charts), and its curves as CSV.
 */
export function RunExport({ record }: { readonly record: RunRecord }) {
  const base = runFileName(record).replace(/\.json$/, '');
  return (
    <div className="run-export">
      <button
        type="button"
        onClick={() =>
          downloadBlob(new Blob([runToJson(record)], { type: 'application/json' }), `${base}.json`)
        }
      >
        Export run (JSON)
      </button>
      <button
        type="button"
        onClick={() =>
          downloadBlob(
            new Blob([comparisonToCsv([comparedFromRecord(record, '#000000')])], { type: 'text/csv' }),
            `${base}.csv`,
          )
        }
      >
        Export metrics (CSV)
      </button>
    </div>
  );
}
