import { ENGINE_CHOICES, ENGINE_NAMES, type EngineChoice, type EngineInfo } from '../core/engines.ts';
import { InUsePicker } from './LabelledControl.tsx';
import './runPanel.css';

interface EnginePickerProps {
  readonly choice: EngineChoice;
  /** The engine of the current or last run (auto resolves per backend and config). */
  readonly active: EngineInfo | null;
  readonly disabled: boolean;
  readonly onChange: (choice: EngineChoice) => void;
}

const LABELS: Record<EngineChoice, string> = {
  auto: 'auto (measures which is fastest here)',
  fused: 'fused WebAssembly kernel',
  webgpu: 'fused WebGPU engine',
  tfjs: 'TF.js ops',
};
const PICKER = {
  label: 'Engine',
  tip: 'What runs each training step: our fused WebAssembly kernel (on the CPU), our fused WebGPU engine (on the GPU) or TF.js ops. All train the same.',
  options: ENGINE_CHOICES.map((name) => ({ value: name, label: LABELS[name] })),
  inUseTestId: 'engine-in-use',
};

/**
 * Chooses what runs the training steps: our fused WebAssembly SIMD kernel (one call per step,
 * on the CPU) or TF.js ops on the chosen backend — so a learner can race the two.
 */
export function EnginePicker({ choice, active, ...rest }: EnginePickerProps) {
  const inUse = active ? `Using ${ENGINE_NAMES[active.path]}` : '';
  return <InUsePicker {...PICKER} {...rest} value={choice} inUse={inUse} />;
}
