import { useEffect, useId, useRef, useState } from 'react';
import type { StoredModelInfo } from '../../client/modelStore.ts';
import { architectureOf } from '../../core/configSummary.ts';
import { formatAccuracy, formatFinishedAt } from '../compare/historyFormat.ts';
import { HelpTip } from '../HelpTip.tsx';

interface SavedModelRowProps {
  readonly model: StoredModelInfo;
  /** Loading is off while a run is in progress (its weights are what the worker uses). */
  readonly canLoad: boolean;
  onLoad(model: StoredModelInfo): void;
  onDownload(model: StoredModelInfo): void;
  /** Resolves true once deleted; false leaves the row (the panel says why). */
  onDelete(model: StoredModelInfo): Promise<boolean>;
}

/** One saved model: what it is and how it did, then Load, Download and Delete. */
export function SavedModelRow({ model, canLoad, onLoad, onDownload, onDelete }: SavedModelRowProps) {
  const { date, time } = formatFinishedAt(model.savedAt);
  return (
    <tr data-testid="saved-model" data-name={model.name}>
      <th scope="row" className="model-name">
        {model.name}
      </th>
      <td>{architectureOf(model.config)}</td>
      <td className="model-number" data-accuracy={model.testAccuracy ?? ''}>
        {formatAccuracy(model.testAccuracy)}
      </td>
      <td>
        <time dateTime={new Date(model.savedAt).toISOString()}>
          {date} {time}
        </time>
      </td>
      <td className="model-actions">
        <HelpTip text="Put its config in the form, evaluate it on the test images, and draw with it.">
          <button
            type="button"
            aria-label={`Load ${model.name}`}
            disabled={!canLoad}
            onClick={() => onLoad(model)}
          >
            Load
          </button>
        </HelpTip>
        <HelpTip text="Download it as a model file (JSON) to keep or share.">
          <button type="button" aria-label={`Download ${model.name}`} onClick={() => onDownload(model)}>
            Download
          </button>
        </HelpTip>
        <DeleteModel name={model.name} onDelete={() => onDelete(model)} />
      </td>
    </tr>
  );
}

/**
 * Delete with an inline confirmation (no `window.confirm`, which blocks the page): Delete turns
 * into "Delete <name>? [Delete] [Keep]" with Keep focused, so a stray Enter keeps the model.
 */
function DeleteModel({ name, onDelete }: { readonly name: string; onDelete(): Promise<boolean> }) {
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
      <HelpTip text="Delete this saved model (asks first).">
        <button
          type="button"
          ref={deleteButton}
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
    setDeleting(false);
    if (!deleted) setConfirming(false);
  };
  return (
    <span className="model-confirm" role="group" aria-labelledby={promptId}>
      <span id={promptId}>Delete {name}?</span>
      <HelpTip text="Delete the model for good.">
        <button type="button" className="danger" disabled={deleting} onClick={() => void confirm()}>
          Delete
        </button>
      </HelpTip>
      <HelpTip text="Keep the model; nothing is deleted.">
        <button type="button" ref={keepButton} disabled={deleting} onClick={() => setConfirming(false)}>
          Keep
        </button>
      </HelpTip>
    </span>
  );
}
