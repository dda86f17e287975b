import { describeConfigShort } from '../../core/configSummary.ts';
import { formatSeconds } from '../../core/format.ts';
import type { RunRecord } from '../../core/runRecord.ts';
import { describeEnvironment, formatAccuracy, formatFinishedAt, SOURCE_NAMES } from './historyFormat.ts';
import { ConfirmDelete } from '../ConfirmDelete.tsx';
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
        <ConfirmDelete
          name={record.name}
          noun="run"
          askTip="Delete this run from the history (asks first)."
          triggerClassName="history-link"
          groupClassName="history-confirm"
          onDelete={() => onDelete(record.id)}
        />
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
