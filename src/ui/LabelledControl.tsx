import { useId, type ReactElement, type ReactNode } from 'react';
import { OptionSelect, type SelectOption } from './fields.tsx';
import { HelpTip } from './HelpTip.tsx';

interface LabelledControlProps {
  /** The wrapper: a block (`div`, the Run panel's rows) or inline (`span`, a toolbar's items). */
  readonly as?: 'div' | 'span';
  /** The wrapper's class, which lays the row out. */
  readonly className: string;
  /** The control's id: the label points at it, so the label is the control's accessible name. */
  readonly id: string;
  readonly label: string;
  /** One sentence for the help tip, which becomes the control's description. */
  readonly tip: string;
  readonly control: ReactElement<{ 'aria-describedby'?: string | undefined }>;
  /** What follows the control, e.g. what it chose or shows ("Using wasm", "3 / 5"). */
  readonly children?: ReactNode;
}

/**
 * A compact control with its label before it and a help tip on it: the Run panel's pickers and
 * the analysis toolbars. Form fields with a line of help are {@link NumberField} and friends.
 */
export function LabelledControl({
  as: Tag = 'div',
  className,
  id,
  label,
  tip,
  control,
  children,
}: LabelledControlProps) {
  return (
    <Tag className={className}>
      <label htmlFor={id}>{label}</label>
      <HelpTip text={tip}>{control}</HelpTip>
      {children}
    </Tag>
  );
}

interface LabelledSelectProps<T extends string | number> extends Omit<
  LabelledControlProps,
  'id' | 'control'
> {
  readonly value: T;
  readonly options: readonly SelectOption<T>[];
  readonly disabled?: boolean;
  readonly onChange: (value: T) => void;
}

/** A {@link LabelledControl} whose control is a select of `options`. */
export function LabelledSelect<T extends string | number>({
  value,
  options,
  disabled,
  onChange,
  ...frame
}: LabelledSelectProps<T>) {
  const id = useId();
  const select = (
    <OptionSelect id={id} value={value} options={options} disabled={disabled} onChange={onChange} />
  );
  return <LabelledControl {...frame} id={id} control={select} />;
}

interface InUsePickerProps<T extends string> extends Omit<LabelledSelectProps<T>, 'className' | 'children'> {
  /** What the run actually uses, e.g. "Using wasm": auto resolves per machine and config. */
  readonly inUse: string;
  readonly inUseTestId: string;
}

/** A Run-panel picker: the choice, and beside it what is actually in use. */
export function InUsePicker<T extends string>({ inUse, inUseTestId, ...select }: InUsePickerProps<T>) {
  return (
    <LabelledSelect {...select} className="backend">
      <span className="backend-active" data-testid={inUseTestId}>
        {inUse}
      </span>
    </LabelledSelect>
  );
}
