import type { BackendInfo } from '../worker/protocol.ts';
import { BACKEND_CHOICES, type BackendChoice } from '../core/backends.ts';
import { InUsePicker } from './LabelledControl.tsx';
import './runPanel.css';

interface BackendPickerProps {
  readonly choice: BackendChoice;
  readonly active: BackendInfo | null;
  readonly disabled: boolean;
  readonly onChange: (choice: BackendChoice) => void;
}

const PICKER = {
  label: 'Backend',
  tip: 'Where the maths runs. auto tries WebGPU, WebGL, WASM, then CPU and keeps the first that works well.',
  options: BACKEND_CHOICES.map((name) => ({
    value: name,
    label: name === 'auto' ? 'auto (fastest that works)' : name,
  })),
  inUseTestId: 'backend-in-use',
};

/** Chooses the TF.js backend and shows the one actually in use (auto may fall back). */
export function BackendPicker({ choice, active, ...rest }: BackendPickerProps) {
  return (
    <InUsePicker {...PICKER} {...rest} value={choice} inUse={active ? `Using ${active.name}` : 'Starting…'} />
  );
}
