import { useId } from 'react';
import type { BackendInfo } from '../worker/protocol.ts';
import { BACKEND_CHOICES, type BackendChoice } from '../core/backends.ts';
import { HelpTip } from './HelpTip.tsx';
import './runPanel.css';

interface BackendPickerProps {
  readonly choice: BackendChoice;
  readonly active: BackendInfo | null;
  readonly disabled: boolean;
  readonly onChange: (choice: BackendChoice) => void;
}

/** Chooses the TF.js backend and shows the one actually in use (auto may fall back). */
export function BackendPicker({ choice, active, disabled, onChange }: BackendPickerProps) {
  const id = useId();
  return (
    <div className="backend">
      <label htmlFor={id}>Backend</label>
      <HelpTip text="Where the maths runs. auto tries WebGPU, WebGL, WASM, then CPU and keeps the first that works well.">
        <select
          id={id}
          value={choice}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value as BackendChoice)}
        >
          {BACKEND_CHOICES.map((name) => (
            <option key={name} value={name}>
              {name === 'auto' ? 'auto (fastest that works)' : name}
            </option>
          ))}
        </select>
      </HelpTip>
      <span className="backend-active" data-testid="backend-in-use">
        {active ? `Using ${active.name}` : 'Starting…'}
      </span>
    </div>
  );
}
