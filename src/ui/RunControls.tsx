import type { Phase } from '../client/runState.ts';

interface RunControlsProps {
  readonly phase: Phase;
  readonly canTrain: boolean;
  readonly onTrain: () => void;
  readonly onPause: () => void;
  readonly onResume: () => void;
  readonly onStop: () => void;
}

/** Train / Pause / Resume / Stop, each enabled only when it means something. */
export function RunControls({ phase, canTrain, onTrain, onPause, onResume, onStop }: RunControlsProps) {
  const running = phase === 'training' || phase === 'starting';
  const active = running || phase === 'paused' || phase === 'evaluating';
  return (
    <div className="controls" role="group" aria-label="Run controls">
      <button type="button" className="primary" onClick={onTrain} disabled={!canTrain || active}>
        Train
      </button>
      <button type="button" onClick={onPause} disabled={phase !== 'training'}>
        Pause
      </button>
      <button type="button" onClick={onResume} disabled={phase !== 'paused'}>
        Resume
      </button>
      <button type="button" onClick={onStop} disabled={!active || phase === 'evaluating'}>
        Stop
      </button>
    </div>
  );
}
