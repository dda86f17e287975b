import { useCallback, useId, useRef } from 'react';
import type { RunRecord } from '../../core/runRecord.ts';
import { HistoryRow } from './HistoryRow.tsx';
import { skippedNote } from './historyFormat.ts';
import type { CollectionStatus, StoreOutcome } from '../useStoredCollection.ts';
import './history.css';

export interface HistoryPanelProps {
  readonly records: readonly RunRecord[];
  readonly status: CollectionStatus;
  /** The last failure in words, shown at the top of the panel. */
  readonly error: string | null;
  /** Stored values that could not be read. */
  readonly skipped: number;
  /** Ids currently added to the comparison. */
  readonly selected: ReadonlySet<string>;
  /** Adds a run to the comparison, or takes it out. */
  onToggle(id: string): void;
  /** Resolves once stored or refused; a refusal keeps the editor open (the reason goes to `error`). */
  onRename(id: string, name: string): Promise<StoreOutcome<unknown>>;
  /** Resolves once deleted or refused; a refusal keeps the row. */
  onDelete(id: string): Promise<StoreOutcome<unknown>>;
}

const EMPTY_TEXT = 'No runs yet. Finished runs from Train and Compare are kept here, in this browser.';

/**
 * Past runs kept in this browser (see `useRunHistory`), to add to a comparison, rename or
 * delete. Pure: it shows what it is given and reports actions, so the page decides where the
 * history comes from and what "compare" does.
 */
export function HistoryPanel(props: HistoryPanelProps) {
  const { records, status, error, skipped, selected, onToggle, onRename, onDelete } = props;
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const note = skippedNote(skipped);
  const shownError =
    error ?? (status === 'unavailable' ? 'Run history is unavailable in this browser.' : null);

  const rename = useCallback(async (id: string, name: string) => (await onRename(id, name)).ok, [onRename]);
  // The deleted row took the focused button with it; put focus somewhere that still exists.
  const deleteAndRefocus = useCallback(
    async (id: string) => {
      const deleted = (await onDelete(id)).ok;
      if (deleted) heading.current?.focus();
      return deleted;
    },
    [onDelete],
  );

  return (
    <section className="panel history" aria-label="Run history">
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        Run history
      </h2>
      {shownError !== null ? (
        <p className="error-note" role="alert">
          {shownError}
        </p>
      ) : null}
      {status === 'loading' ? (
        <p className="muted" role="status">
          Loading run history…
        </p>
      ) : null}
      {status === 'ready' && note !== null ? <p className="muted history-note">{note}</p> : null}
      {status === 'ready' && records.length === 0 ? (
        <p className="muted history-empty">{EMPTY_TEXT}</p>
      ) : null}
      {status === 'ready' && records.length > 0 ? (
        <div className="table-scroll" role="region" aria-label="History table" tabIndex={0}>
          <table className="item-table history-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Name</th>
                <th scope="col">Finished</th>
                <th scope="col">Source</th>
                <th scope="col">Config</th>
                <th scope="col" className="history-number">
                  Best validation
                </th>
                <th scope="col" className="history-number">
                  Test accuracy
                </th>
                <th scope="col" className="history-number">
                  Training time
                </th>
                <th scope="col">Environment</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {records.map((record) => (
                <HistoryRow
                  key={record.id}
                  record={record}
                  selected={selected.has(record.id)}
                  onToggle={onToggle}
                  onRename={rename}
                  onDelete={deleteAndRefocus}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
