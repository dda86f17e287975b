import { useId, type ReactNode, type SelectHTMLAttributes } from 'react';
import './fields.css';

/**
 * Form fields with a visible label (their accessible name), one line of help, and the
 * validator's message in place of the help when the value is bad; and the pieces other
 * controls with a message or a list of options share (the learning-rate control, the variant
 * editor, the pickers).
 */

/** `aria-describedby` for a field: its error if any, else its help. */
export function describedBy(id: string, help: string | undefined, error: string | undefined) {
  return error !== undefined ? `${id}-error` : help ? `${id}-help` : undefined;
}

/** What a validated input says to assistive technology: invalid while it has an error, and its message. */
export function validationAria(id: string, help: string | undefined, error: string | undefined) {
  return { 'aria-invalid': error !== undefined, 'aria-describedby': describedBy(id, help, error) };
}

/** The line under a control: the validator's message in place of the help, with the ids {@link describedBy} names. */
export function FieldMessage({
  id,
  help,
  error,
}: {
  readonly id: string;
  readonly help?: string | undefined;
  readonly error?: string | undefined;
}) {
  if (error !== undefined) {
    return (
      <p className="field-error" id={`${id}-error`}>
        {error}
      </p>
    );
  }
  return help ? (
    <p className="field-help" id={`${id}-help`}>
      {help}
    </p>
  ) : null;
}

/** One choice of a select: the value it stands for and the words shown. */
export interface SelectOption<T extends string | number> {
  readonly value: T;
  readonly label: string;
}

/** The `<option>`s of a select, in order. */
export function OptionList<T extends string | number>({
  options,
}: {
  readonly options: readonly SelectOption<T>[];
}) {
  return options.map((option) => (
    <option key={option.value} value={option.value}>
      {option.label}
    </option>
  ));
}

type OptionSelectProps<T extends string | number> = Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  'value' | 'onChange' | 'children'
> & {
  readonly value: T;
  readonly options: readonly SelectOption<T>[];
  readonly onChange: (value: T) => void;
};

/** A select of `options` that reports the chosen option's own value (a number stays a number). */
export function OptionSelect<T extends string | number>({
  value,
  options,
  onChange,
  ...select
}: OptionSelectProps<T>) {
  return (
    <select
      {...select}
      value={value}
      onChange={(event) => {
        const chosen = options.find((option) => String(option.value) === event.target.value);
        if (chosen) onChange(chosen.value);
      }}
    >
      <OptionList options={options} />
    </select>
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

interface FieldProps {
  readonly label: string;
  readonly help?: string | undefined;
  readonly error?: string | undefined;
  readonly disabled?: boolean | undefined;
  readonly advanced?: boolean | undefined;
}

/** What every field's input carries: its id (the label's target), whether it is enabled, and its ARIA. */
interface InputProps {
  readonly id: string;
  readonly disabled: boolean | undefined;
  readonly 'aria-invalid': boolean;
  readonly 'aria-describedby': string | undefined;
}

/** The field's frame around the input `children` renders: label, input, message. */
function Field({
  label,
  help,
  error,
  disabled,
  advanced,
  kind,
  children,
}: FieldProps & {
  /** An extra class for the field's layout. */
  readonly kind?: 'checkbox-field' | 'text-field';
  readonly children: (input: InputProps) => ReactNode;
}) {
  const id = useId();
  const className = ['field', kind, advanced ? 'advanced' : undefined].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children({ id, disabled, ...validationAria(id, help, error) })}
      <FieldMessage id={id} help={help} error={error} />
    </div>
  );
}

interface NumberFieldProps extends FieldBinding<string>, FieldProps {
  readonly step?: string;
  readonly min?: number;
  readonly max?: number;
  readonly placeholder?: string;
}

export function NumberField({ value, onChange, step, min, max, placeholder, ...field }: NumberFieldProps) {
  return (
    <Field {...field}>
      {(input) => (
        <input
          {...input}
          type="number"
          inputMode="decimal"
          step={step ?? 'any'}
          min={min}
          max={max}
          placeholder={placeholder}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

interface SelectFieldProps<T extends string> extends FieldBinding<T>, FieldProps {
  readonly options: readonly SelectOption<T>[];
}

export function SelectField<T extends string>({ value, onChange, options, ...field }: SelectFieldProps<T>) {
  return (
    <Field {...field}>
      {(input) => <OptionSelect {...input} value={value} options={options} onChange={onChange} />}
    </Field>
  );
}

export function CheckboxField({ value, onChange, ...field }: FieldBinding<boolean> & FieldProps) {
  return (
    <Field {...field} kind="checkbox-field">
      {(input) => (
        <input {...input} type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />
      )}
    </Field>
  );
}

export function TextField({
  value,
  onChange,
  maxLength,
  ...field
}: FieldBinding<string> & FieldProps & { readonly maxLength?: number }) {
  return (
    <Field {...field} kind="text-field">
      {(input) => (
        <input
          {...input}
          type="text"
          value={value}
          maxLength={maxLength}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
