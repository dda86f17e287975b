import { useId } from 'react';
import { MAX_VARIANTS } from '../../core/comparison.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { VARIANT_FIELDS, variantField, type VariantFieldId } from '../../core/variantFields.ts';
import { describedBy, FieldMessage, OptionList, validationAria } from '../fields.tsx';
import { HelpTip } from '../HelpTip.tsx';
import {
  fieldKey,
  newVariantDraft,
  nextOverride,
  textOf,
  type OverrideDraft,
  type VariantDraft,
} from './variantDraft.ts';

interface VariantEditorProps {
  readonly drafts: readonly VariantDraft[];
  readonly labels: readonly string[];
  readonly colors: readonly string[];
  readonly base: TrainingConfig | null;
  readonly fieldErrors: Readonly<Record<string, string>>;
  readonly variantErrors: Readonly<Record<string, readonly string[]>>;
  readonly disabled: boolean;
  readonly onChange: (drafts: VariantDraft[]) => void;
}

/** The variants of a comparison: each one a list of (field, value) changes to the base config. */
export function VariantEditor(props: VariantEditorProps) {
  const { drafts, base, disabled, onChange } = props;
  const replace = (index: number, draft: VariantDraft) =>
    onChange(drafts.map((d, i) => (i === index ? draft : d)));
  return (
    <div className="variant-editor">
      <ol className="variant-list">
        {drafts.map((draft, index) => (
          <VariantCard
            key={draft.key}
            index={index}
            draft={draft}
            label={props.labels[index] ?? ''}
            color={props.colors[index] ?? 'currentColor'}
            base={base}
            fieldErrors={props.fieldErrors}
            errors={props.variantErrors[draft.key] ?? []}
            disabled={disabled}
            canRemove={drafts.length > 1}
            onChange={(next) => replace(index, next)}
            onRemove={() => onChange(drafts.filter((_, i) => i !== index))}
          />
        ))}
      </ol>
      <HelpTip text={`Add one more variant to the race (at most ${MAX_VARIANTS}).`}>
        <button
          type="button"
          disabled={disabled || drafts.length >= MAX_VARIANTS}
          onClick={() => onChange([...drafts, newVariantDraft(base, drafts[drafts.length - 1])])}
        >
          Add variant
        </button>
      </HelpTip>
      {drafts.length >= MAX_VARIANTS ? (
        <span className="field-help"> At most {MAX_VARIANTS} variants.</span>
      ) : null}
    </div>
  );
}

interface VariantCardProps {
  readonly index: number;
  readonly draft: VariantDraft;
  readonly label: string;
  readonly color: string;
  readonly base: TrainingConfig | null;
  readonly fieldErrors: Readonly<Record<string, string>>;
  readonly errors: readonly string[];
  readonly disabled: boolean;
  readonly canRemove: boolean;
  readonly onChange: (draft: VariantDraft) => void;
  readonly onRemove: () => void;
}

function VariantCard({
  index,
  draft,
  label,
  color,
  base,
  fieldErrors,
  errors,
  disabled,
  ...actions
}: VariantCardProps) {
  const name = `Variant ${index + 1}`;
  const setOverride = (at: number, override: OverrideDraft) =>
    actions.onChange({ ...draft, overrides: draft.overrides.map((o, i) => (i === at ? override : o)) });
  const next = nextOverride(draft, base);
  return (
    <li className="variant-card">
      <fieldset aria-label={name} disabled={disabled}>
        <legend>
          <span className="swatch" style={{ background: color }} aria-hidden="true" /> {name}
          <span className="variant-label"> — {label}</span>
        </legend>
        {draft.overrides.map((override, at) => (
          <OverrideRow
            key={override.field}
            variantKey={draft.key}
            override={override}
            used={draft.overrides.map((o) => o.field)}
            base={base}
            error={fieldErrors[fieldKey(draft.key, override.field)]}
            onChange={(o) => setOverride(at, o)}
            onRemove={() =>
              actions.onChange({ ...draft, overrides: draft.overrides.filter((_, i) => i !== at) })
            }
          />
        ))}
        {draft.overrides.length === 0 ? <p className="field-help">Same as the base config.</p> : null}
        {errors.length > 0 ? (
          <ul className="field-error" role="alert">
            {errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ) : null}
        <div className="variant-actions">
          <HelpTip text="Make this variant differ from the base in one more field.">
            <button
              type="button"
              disabled={next === null}
              onClick={() => next && actions.onChange({ ...draft, overrides: [...draft.overrides, next] })}
            >
              Add a change
            </button>
          </HelpTip>
          <HelpTip text="Take this variant out of the race.">
            <button
              type="button"
              disabled={!actions.canRemove}
              onClick={actions.onRemove}
              aria-label={`Remove variant ${index + 1}`}
            >
              Remove
            </button>
          </HelpTip>
        </div>
      </fieldset>
    </li>
  );
}

interface OverrideRowProps {
  readonly variantKey: string;
  readonly override: OverrideDraft;
  readonly used: readonly VariantFieldId[];
  readonly base: TrainingConfig | null;
  readonly error: string | undefined;
  readonly onChange: (override: OverrideDraft) => void;
  readonly onRemove: () => void;
}

/** One change: which field (a select) and its value (an input that suits the field). */
function OverrideRow({ override, used, base, error, onChange, onRemove }: OverrideRowProps) {
  const id = useId();
  const spec = variantField(override.field);
  const fieldChoices = VARIANT_FIELDS.filter((f) => f.id === override.field || !used.includes(f.id));
  const valueLabel = `Value of ${spec.label}`;
  return (
    <div className="override-row">
      <HelpTip text="The field this variant changes; the value beside it replaces the base's.">
        <select
          aria-label="Field to change"
          value={override.field}
          onChange={(event) => {
            const field = variantField(event.target.value as VariantFieldId);
            onChange({ field: field.id, text: base ? textOf(field.read(base)) : '' });
          }}
        >
          <OptionList options={fieldChoices.map((f) => ({ value: f.id, label: f.label }))} />
        </select>
      </HelpTip>
      {spec.input === 'choice' ? (
        <select
          id={id}
          aria-label={valueLabel}
          value={override.text}
          {...validationAria(id, spec.help, error)}
          onChange={(event) => onChange({ ...override, text: event.target.value })}
        >
          <OptionList options={spec.options ?? []} />
        </select>
      ) : spec.input === 'toggle' ? (
        <input
          id={id}
          type="checkbox"
          aria-label={valueLabel}
          checked={override.text === 'on'}
          aria-describedby={describedBy(id, spec.help, error)}
          onChange={(event) => onChange({ ...override, text: event.target.checked ? 'on' : 'off' })}
        />
      ) : (
        <input
          id={id}
          type="text"
          inputMode={spec.input === 'number' ? 'decimal' : undefined}
          aria-label={valueLabel}
          value={override.text}
          {...validationAria(id, spec.help, error)}
          onChange={(event) => onChange({ ...override, text: event.target.value })}
        />
      )}
      <HelpTip text="Drop this change: the field goes back to the base value.">
        <button
          type="button"
          className="link-button"
          aria-label={`Remove the ${spec.label} change`}
          onClick={onRemove}
        >
          ×
        </button>
      </HelpTip>
      <FieldMessage id={id} help={spec.help} error={error} />
    </div>
  );
}
