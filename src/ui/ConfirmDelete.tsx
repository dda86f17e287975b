import { useEffect, useId, useRef, useState } from 'react';
import { HelpTip } from './HelpTip.tsx';

interface ConfirmDeleteProps {
  /** What is deleted, by its name: "Delete <name>?". */
  readonly name: string;
  /** The kind of thing, for the tips: "run", "model". */
  readonly noun: string;
  /** The Delete button's tip, e.g. "Delete this run from the history (asks first)." */
  readonly askTip: string;
  /** Resolves true once deleted (the row goes away); false keeps it (the caller says why). */
  readonly onDelete: () => Promise<boolean>;
  readonly triggerClassName?: string;
  /** The confirmation's wrapper: a block in a cell of its own, or inline beside other buttons. */
  readonly as?: 'div' | 'span';
  readonly groupClassName: string;
}

/**
 * Delete with an inline confirmation instead of `window.confirm` (which blocks the page and
 * cannot be styled or tested): Delete turns into "Delete <name>? [Delete] [Keep]", Keep focused
 * so a stray Enter keeps it, and focus returns to Delete when the question closes.
 */
export function ConfirmDelete(props: ConfirmDeleteProps) {
  const { name, noun, askTip, onDelete, triggerClassName, as: Group = 'div', groupClassName } = props;
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
      <HelpTip text={askTip}>
        <button
          type="button"
          ref={deleteButton}
          className={triggerClassName}
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
    <Group className={groupClassName} role="group" aria-labelledby={promptId}>
      <span id={promptId}>Delete {name}?</span>
      <HelpTip text={`Delete the ${noun} for good.`}>
        <button type="button" className="danger" disabled={deleting} onClick={() => void confirm()}>
          Delete
        </button>
      </HelpTip>
      <HelpTip text={`Keep the ${noun}; nothing is deleted.`}>
        <button type="button" ref={keepButton} disabled={deleting} onClick={() => setConfirming(false)}>
          Keep
        </button>
      </HelpTip>
    </Group>
  );
}
