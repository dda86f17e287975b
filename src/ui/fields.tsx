import { useId, type ReactNode } from 'react';
import './fields.css';

/**
 * Form fields with a visible label (their accessible name), one line of help, and the
 * validator's message in place of the help when the value is bad.
 */

interface FieldShellProps {
  readonly id: string;
  readonly label: string;
  readonly help?: string | undefined;
  readonly error?: string | undefined;
  readonly className?: string | undefined;
  readonly children: ReactNode;
}

/** `aria-describedby` for a field: its error if any, else its help. */
export function describedBy(id: string, help: string | undefined, error: string | undefined) {
  return error !== undefined ? `${id}-error` : help ? `${id}-help` : undefined;
}

function FieldShell({ id, label, help, error, className, children }: FieldShellProps) {
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error !== undefined ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : help ? (
        <p className="field-help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
    </div>
  );
}

export interface FieldBinding<V> {
  /** An advanced knob: hidden in presenter mode, where a class sees only the main ones. */
  readonly advanced?: boolean;
  readonly value: V;
  readonly error?: string | undefined;
  readonly disabled?: boolean;
  readonly onChange: (value: V) => void;
}

interface NumberFieldProps extends FieldBinding<string> {
  readonly label: string;
  readonly help?: string;
  readonly step?: string;
  readonly min?: number;
  readonly max?: number;
  readonly placeholder?: string;
}

export function NumberField({
  label,
  help,
  error,
  value,
  disabled,
  onChange,
  advanced,
  ...input
}: NumberFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} help={help} error={error} className={advanced ? 'advanced' : undefined}>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={input.step ?? 'any'}
        min={input.min}
        max={input.max}
        placeholder={input.placeholder}
        value={value}
        disabled={disabled}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event) => onChange(event.target.value)}
      />
    </FieldShell>
  );
}

interface SelectFieldProps<T extends string> extends FieldBinding<T> {
  readonly label: string;
  readonly help?: string;
  readonly options: readonly { readonly value: T; readonly label: string }[];
}

export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const { label, help, error, value, disabled, onChange, options, advanced } = props;
  const id = useId();
  return (
    <FieldShell id={id} label={label} help={help} error={error} className={advanced ? 'advanced' : undefined}>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

interface CheckboxFieldProps extends FieldBinding<boolean> {
  readonly label: string;
  readonly help?: string;
}

export function CheckboxField({
  label,
  help,
  error,
  value,
  disabled,
  onChange,
  advanced,
}: CheckboxFieldProps) {
  const id = useId();
  return (
    <FieldShell
      id={id}
      label={label}
      help={help}
      error={error}
      className={advanced ? 'checkbox-field advanced' : 'checkbox-field'}
    >
      <input
        id={id}
        type="checkbox"
        checked={value}
        disabled={disabled}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event) => onChange(event.target.checked)}
      />
    </FieldShell>
  );
}

interface TextFieldProps extends FieldBinding<string> {
  readonly label: string;
  readonly help?: string;
  readonly maxLength?: number;
}

export function TextField({
  label,
  help,
  error,
  value,
  disabled,
  onChange,
  maxLength,
  advanced,
}: TextFieldProps) {
  const id = useId();
  return (
    <FieldShell
      id={id}
      label={label}
      help={help}
      error={error}
      className={advanced ? 'text-field advanced' : 'text-field'}
    >
      <input
        id={id}
        type="text"
        value={value}
        maxLength={maxLength}
        disabled={disabled}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event) => onChange(event.target.value)}
      />
    </FieldShell>
  );
}
