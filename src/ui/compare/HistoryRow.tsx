import { useEffect, useId, useRef, useState } from 'react';
import { describeConfigShort } from '../../core/configSummary.ts';
import { formatSeconds } from '../../core/format.ts';
import type { RunRecord } from '../../core/runRecord.ts';
import { describeEnvironment, formatAccuracy, formatFinishedAt, SOURCE_NAMES } from './historyFormat.ts';
import { HelpTip } from '../HelpTip.tsx';
import { RunNameCell } from './RunNameCell.tsx';

interface HistoryRowProps {
  readonly record: RunRecord;
  /** Added to the comparison. */
  readonly selected: boolean;
  onToggle(id: string): void;
  onRename(id: string, name: string): Promise<boolean>;
  onDelete(id: string): Promise<boolean>;
}

/** One stored run: compare checkbox, name (renamable), what it was and how it did, delete. */
export function HistoryRow({ record, selected, onToggle, onRename, onDelete }: HistoryRowProps) {
  const { summary } = record;
  return (
    <tr data-testid="history-row" data-run-id={record.id}>
      <td>
        <input
          type="checkbox"
          checked={selected}
          aria-label={`Add ${record.name} to the comparison`}
          onChange={() => onToggle(record.id)}
        />
      </td>
      <td>
        <RunNameCell record={record} onRename={onRename} />
      </td>
      <td>
        <FinishedAt createdAt={record.createdAt} />
      </td>
      <td>{SOURCE_NAMES[record.source]}</td>
      <td className="history-config">{describeConfigShort(record.config)}</td>
      <td className="history-number">
        {formatAccuracy(summary.bestValidationAccuracy)}
        {summary.bestEpoch !== null ? <span className="history-sub">epoch {summary.bestEpoch}</span> : null}
      </td>
      <td className="history-number">{formatAccuracy(summary.testAccuracy)}</td>
      <td className="history-number">{formatSeconds(summary.trainMs)}</td>
      <td className="history-environment">{describeEnvironment(record.environment)}</td>
      <td>
        <DeleteControl name={record.name} onDelete={() => onDelete(record.id)} />
      </td>
    </tr>
  );
}

function FinishedAt({ createdAt }: { readonly createdAt: number }) {
  const { date, time } = formatFinishedAt(createdAt);
  return (
    <time className="history-when" dateTime={new Date(createdAt).toISOString()}>
      <span>{date}</span> <span>{time}</span>
    </time>
  );
}

/**
 * Delete with an inline confirmation instead of `window.confirm` (which blocks the page and
 * cannot be styled or tested): Delete turns into "Delete <name>? [Delete] [Keep]", Keep focused
 * so a stray Enter keeps the run.
 */
function DeleteControl({ name, onDelete }: { readonly name: string; onDelete(): Promise<boolean> }) {
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const promptId = useId();

  useEffect(() => {
    if (confirming) keepButton.current?.focus();
    else if (wasConfirming.current) deleteButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  if (!confirming) {
    return (
      <HelpTip text="Delete this run from the history (asks first).">
        <button
          type="button"
          ref={deleteButton}
          className="history-link"
          aria-label={`Delete ${name}`}
          onClick={() => setConfirming(true)}
        >
          Delete
        </button>
      </HelpTip>
    );
  }

  const confirm = async () => {
    setDeleting(true);
    const deleted = await onDelete();
    // On success the row goes away; on failure the panel shows why and the row stays.
    setDeleting(false);
    if (!deleted) setConfirming(false);
  };

  return (
    <div className="history-confirm" role="group" aria-labelledby={promptId}>
      <span id={promptId}>Delete {name}?</span>
      <HelpTip text="Delete the run for good.">
        <button type="button" className="danger" disabled={deleting} onClick={() => void confirm()}>
          Delete
        </button>
      </HelpTip>
      <HelpTip text="Keep the run; nothing is deleted.">
        <button type="button" ref={keepButton} disabled={deleting} onClick={() => setConfirming(false)}>
          Keep
        </button>
      </HelpTip>
    </div>
  );
}
