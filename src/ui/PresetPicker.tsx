import { useId, useState } from 'react';
import type { TrainingConfig } from '../core/config.ts';
import { PRESETS, REJECTED_PRESETS } from './presets.ts';

interface PresetPickerProps {
  readonly disabled: boolean;
  readonly onLoad: (config: TrainingConfig) => void;
}

/** Replaces the form with one of the bundled configs (configs/*.json). */
export function PresetPicker({ disabled, onLoad }: PresetPickerProps) {
  const id = useId();
  const [chosen, setChosen] = useState('');
  return (
    <div className="field preset-picker">
      <label htmlFor={id}>Preset</label>
      <select
        id={id}
        value={chosen}
        disabled={disabled}
        aria-describedby={`${id}-help`}
        onChange={(event) => {
          const preset = PRESETS.find((p) => p.id === event.target.value);
          setChosen(event.target.value);
          if (preset) onLoad(preset.config);
        }}
      >
        <option value="" disabled>
          Choose a preset…
        </option>
        {PRESETS.map((preset) => (
          <option key={preset.id} value={preset.id}>
            {preset.label}
          </option>
        ))}
      </select>
      <p className="field-help" id={`${id}-help`}>
        Replaces every field below.
      </p>
      {REJECTED_PRESETS.length > 0 ? (
        <details className="field-error preset-rejected">
          <summary>
            {REJECTED_PRESETS.length} preset file{REJECTED_PRESETS.length === 1 ? '' : 's'} skipped (invalid)
          </summary>
          <ul>
            {REJECTED_PRESETS.map((r) => (
              <li key={r.file}>
                {r.file}: {r.problems.join('; ')}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
