import { useId, useState } from 'react';
import { MNIST_CLASSES } from '../../core/idx.ts';
import { HelpTip } from '../HelpTip.tsx';
import type { StoreOutcome } from '../useStoredCollection.ts';

interface AddToMyDigitsProps {
  /** The pad shows a drawing (not a picked test image, not nothing). */
  readonly hasDrawing: boolean;
  /** Keeps the drawing under `label`; resolves with the store's outcome (never rejects). */
  readonly onAdd: (label: number) => Promise<StoreOutcome<unknown>>;
}

const DIGITS = Array.from({ length: MNIST_CLASSES }, (_, digit) => digit);

/**
 * "Label: [7] Add to My digits": the person says which digit the drawing is, and it joins My
 * digits (the pad is cleared by the caller for the next one). The label has no default, so a
 * drawing is never kept under a digit nobody chose.
 */
export function AddToMyDigits({ hasDrawing, onAdd }: AddToMyDigitsProps) {
  const labelId = useId();
  const [label, setLabel] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const add = async () => {
    if (label === null) return;
    setAdding(true);
    const outcome = await onAdd(label);
    setAdding(false);
    setMessage(
      outcome.ok
        ? { error: false, text: `Added a ${label} to My digits.` }
        : { error: true, text: outcome.error },
    );
  };

  return (
    <div className="my-digits-add">
      <label htmlFor={labelId}>Label</label>
      <HelpTip text="Which digit the drawing is: My digits are scored against it.">
        {(describedBy) => (
          <select
            id={labelId}
            aria-describedby={describedBy}
            value={label ?? ''}
            onChange={(event) => setLabel(event.target.value === '' ? null : Number(event.target.value))}
          >
            <option value="">Choose…</option>
            {DIGITS.map((digit) => (
              <option key={digit} value={digit}>
                {digit}
              </option>
            ))}
          </select>
        )}
      </HelpTip>
      <HelpTip text="Keep this drawing, MNIST-preprocessed, under the chosen label: the model is tested on My digits after every run.">
        <button type="button" disabled={!hasDrawing || label === null || adding} onClick={() => void add()}>
          Add to My digits
        </button>
      </HelpTip>
      {/* Not role="status": the page has one status line (the run's). */}
      <span aria-live="polite" data-testid="my-digits-added">
        {message !== null && !message.error ? <span className="muted small">{message.text}</span> : null}
      </span>
      {message?.error === true ? (
        <span className="error-note" role="alert">
          {message.text}
        </span>
      ) : null}
    </div>
  );
}
