import { useId, useState } from 'react';
import { FieldMessage, validationAria } from './fields.tsx';
import { HelpTip } from './HelpTip.tsx';
import './runPanel.css';

interface LearningRateControlProps {
  /** The rate in use now (schedule or override); null before the first report. */
  readonly current: number | null;
  readonly onApply: (learningRate: number | null) => void;
}

/** Changes the learning rate of the active run from its next batch, or hands it back to the schedule. */
export function LearningRateControl({ current, onApply }: LearningRateControlProps) {
  const id = useId();
  const [text, setText] = useState('');
  const value = Number(text);
  const error =
    text.trim() === ''
      ? undefined
      : !Number.isFinite(value) || value <= 0 || value > 100
        ? 'Learning rate must be above 0 and at most 100'
        : undefined;
  const help = 'Takes effect from the next batch.';
  return (
    <form
      className="lr-control field"
      onSubmit={(event) => {
        event.preventDefault();
        if (error === undefined && text.trim() !== '') onApply(value);
      }}
    >
      <label htmlFor={id}>Learning rate now</label>
      <input
        id={id}
        type="number"
        step="any"
        placeholder={current === null ? '' : String(Number(current.toPrecision(4)))}
        value={text}
        {...validationAria(id, help, error)}
        onChange={(event) => setText(event.target.value)}
      />
      <HelpTip text="Train with this learning rate from the next batch on.">
        <button type="submit" disabled={error !== undefined || text.trim() === ''}>
          Apply
        </button>
      </HelpTip>
      <HelpTip text="Hand the learning rate back to the configured schedule.">
        <button type="button" onClick={() => onApply(null)}>
          Use schedule
        </button>
      </HelpTip>
      <FieldMessage id={id} help={help} error={error} />
    </form>
  );
}
