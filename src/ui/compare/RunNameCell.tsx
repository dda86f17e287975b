import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { checkRunName } from '../../client/runHistory.ts';
import type { RunRecord } from '../../core/runRecord.ts';
import { HelpTip } from '../HelpTip.tsx';

interface RunNameCellProps {
  readonly record: RunRecord;
  /** Resolves true once stored; on false the editor stays open with the typed text. */
  onRename(id: string, name: string): Promise<boolean>;
}

/**
 * A run's name with an inline rename: Rename opens a text field, Enter or Save commits, Escape or
 * Cancel reverts. The name rule is the store's own (`checkRunName`), checked here first so the
 * message sits at the field; focus goes back to Rename when the editor closes.
 */
export function RunNameCell({ record, onRename }: RunNameCellProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const refocusRename = useRef(false);
  const errorId = useId();
  const editing = draft !== null;

  useEffect(() => {
    if (!editing && refocusRename.current) {
      refocusRename.current = false;
      renameButton.current?.focus();
    }
  }, [editing]);

  const close = () => {
    refocusRename.current = true;
    setDraft(null);
    setFieldError(null);
  };

  const commit = async (event: FormEvent) => {
    event.preventDefault();
    if (draft === null || saving) return;
    const checked = checkRunName(draft);
    if (!checked.ok) {
      setFieldError(checked.error);
      return;
    }
    if (checked.name === record.name) {
      close();
      return;
    }
    setSaving(true);
    const stored = await onRename(record.id, checked.name);
    setSaving(false);
    if (stored) close();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };

  if (!editing) {
    return (
      <div className="history-name">
        <span className="history-name-text">{record.name}</span>
        {record.summary.stopped ? (
          <span className="history-tag">stopped at epoch {record.summary.epochsCompleted}</span>
        ) : null}
        <HelpTip text="Give this run a name of your own.">
          <button
            type="button"
            ref={renameButton}
            className="history-link"
            aria-label={`Rename ${record.name}`}
            onClick={() => setDraft(record.name)}
          >
            Rename
          </button>
        </HelpTip>
        {record.differs && record.differs !== record.name ? (
          <span className="history-differs">{record.differs}</span>
        ) : null}
      </div>
    );
  }

  return (
    <form className="history-rename" onSubmit={(event) => void commit(event)}>
      <input
        type="text"
        value={draft}
        autoFocus
        aria-label={`New name for ${record.name}`}
        aria-invalid={fieldError !== null}
        aria-describedby={fieldError !== null ? errorId : undefined}
        disabled={saving}
        onChange={(event) => {
          setDraft(event.target.value);
          setFieldError(null);
        }}
        onKeyDown={onKeyDown}
      />
      <HelpTip text="Save the new name.">
        <button type="submit" disabled={saving}>
          Save
        </button>
      </HelpTip>
      <HelpTip text="Keep the old name (Escape does the same).">
        <button type="button" disabled={saving} onClick={close}>
          Cancel
        </button>
      </HelpTip>
      {fieldError !== null ? (
        <p id={errorId} className="field-error history-field-error">
          {fieldError}
        </p>
      ) : null}
    </form>
  );
}
