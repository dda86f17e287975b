import { useId } from 'react';
import { ENGINE_CHOICES, type EngineChoice, type EngineInfo } from '../core/engines.ts';
import { HelpTip } from './HelpTip.tsx';
import './runPanel.css';

interface EnginePickerProps {
  readonly choice: EngineChoice;
  /** The engine of the current or last run (auto resolves per backend and config). */
  readonly active: EngineInfo | null;
  readonly disabled: boolean;
  readonly onChange: (choice: EngineChoice) => void;
}

const LABELS: Record<EngineChoice, string> = {
  auto: 'auto (fastest for the backend)',
  fused: 'fused WebAssembly kernel',
  tfjs: 'TF.js ops',
};

/**
 * Chooses what runs the training steps: our fused WebAssembly SIMD kernel (one call per step,
 * on the CPU) or TF.js ops on the chosen backend — so a learner can race the two.
 */
export function EnginePicker({ choice, active, disabled, onChange }: EnginePickerProps) {
  const id = useId();
  return (
    <div className="backend">
      <label htmlFor={id}>Engine</label>
      <HelpTip text="What runs each training step: our fused WebAssembly kernel (on the CPU) or TF.js ops. Both train the same.">
        <select
          id={id}
          value={choice}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value as EngineChoice)}
        >
          {ENGINE_CHOICES.map((name) => (
            <option key={name} value={name}>
              {LABELS[name]}
            </option>
          ))}
        </select>
      </HelpTip>
      <span className="backend-active" data-testid="engine-in-use">
        {active ? `Using ${active.path === 'fused' ? 'the fused kernel' : 'TF.js ops'}` : ''}
      </span>
    </div>
  );
}
