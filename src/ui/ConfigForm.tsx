import { useId } from 'react';
import { parameterCount, layerSizes, type FieldErrors, type TrainingConfig } from '../core/config.ts';
import { formatCount } from '../core/format.ts';
import { FIELD_PATHS, type ConfigFormValues } from './configForm.ts';

interface FieldProps {
  readonly label: string;
  readonly name: keyof ConfigFormValues;
  readonly values: ConfigFormValues;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onChange: (name: keyof ConfigFormValues, value: string) => void;
  readonly step?: string;
  readonly hint?: string;
}

function NumberField({ label, name, values, errors, disabled, onChange, step, hint }: FieldProps) {
  const id = useId();
  const error = errors[FIELD_PATHS[name]];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="number"
        inputMode="decimal"
        step={step ?? 'any'}
        value={values[name]}
        disabled={disabled}
        aria-invalid={error !== undefined}
        aria-describedby={error !== undefined ? `${id}-error` : hint ? `${id}-hint` : undefined}
        onChange={(event) => onChange(name, event.target.value)}
      />
      {error !== undefined ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

interface ConfigFormProps {
  readonly base: TrainingConfig;
  readonly values: ConfigFormValues;
  readonly errors: FieldErrors;
  readonly disabled: boolean;
  readonly onChange: (name: keyof ConfigFormValues, value: string) => void;
}

/** The model summary and the training knobs of the skeleton, each with its field-level message. */
export function ConfigForm({ base, values, errors, disabled, onChange }: ConfigFormProps) {
  const sizes = layerSizes(base);
  const common = { values, errors, disabled, onChange };
  return (
    <section className="panel" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <p className="architecture">
        {sizes.map((size, i) => {
          const activation =
            i === 0
              ? 'input'
              : i === sizes.length - 1
                ? 'softmax'
                : base.model.hiddenLayers[i - 1]?.activation;
          return (
            <span key={i} className="layer-chip">
              {size} <small>{activation}</small>
            </span>
          );
        })}
      </p>
      <p className="param-count" data-testid="parameter-count">
        {formatCount(parameterCount(sizes))} parameters
      </p>
      <p className="muted">Categorical cross-entropy · Adam optimizer</p>

      <h2>Training</h2>
      <NumberField label="Learning rate" name="learningRate" step="0.0001" {...common} />
      <NumberField label="Batch size" name="batchSize" step="1" {...common} />
      <NumberField label="Epochs" name="epochs" step="1" {...common} />
      <NumberField label="Validation %" name="validationPercent" step="1" {...common} />
      <NumberField
        label="Training examples"
        name="trainingExamples"
        step="1"
        hint="A smaller subset trains in seconds."
        {...common}
      />
      <NumberField
        label="Seed"
        name="seed"
        step="1"
        hint="Same seed, same weights and data order."
        {...common}
      />
    </section>
  );
}
