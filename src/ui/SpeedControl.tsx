import { LabelledSelect } from './LabelledControl.tsx';
import './runPanel.css';

/** Delays after each step, slowest last: full speed, then speeds a class can follow. */
export const SPEEDS: readonly { readonly delayMs: number; readonly label: string }[] = [
  { delayMs: 0, label: 'Full speed' },
  { delayMs: 50, label: '20 steps/s' },
  { delayMs: 250, label: '4 steps/s' },
  { delayMs: 1000, label: '1 step/s' },
  { delayMs: 3000, label: '1 step every 3 s' },
];

interface SpeedControlProps {
  readonly delayMs: number;
  readonly onChange: (delayMs: number) => void;
}

const OPTIONS = SPEEDS.map((speed) => ({ value: speed.delayMs, label: speed.label }));

/**
 * Slows training down so a class can watch single steps happen (each step is reported as it
 * happens); changes apply to the run in progress at once. Step (while paused) still works.
 */
export function SpeedControl({ delayMs, onChange }: SpeedControlProps) {
  return (
    <LabelledSelect
      className="speed-control"
      label="Speed"
      tip="Slow training down so a class can watch each step; Pause, then Step, goes one step at a time."
      value={delayMs}
      options={OPTIONS}
      onChange={onChange}
    />
  );
}
