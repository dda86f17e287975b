import type { Phase } from '../client/runState.ts';
import type { StepMode } from '../worker/protocol.ts';

interface RunControlsProps {
  readonly phase: Phase;
  /** The config is valid and the worker is up. */
  readonly canTrain: boolean;
  /** There is a run or results to forget. */
  readonly hasRun: boolean;
  readonly onTrain: () => void;
  readonly onPause: () => void;
  readonly onResume: () => void;
  readonly onStop: () => void;
  readonly onReset: () => void;
  readonly onStep: (mode: StepMode) => void;
}

const IDLE_PHASES: readonly Phase[] = ['ready', 'finished', 'stopped', 'error'];

/** Train / Pause / Resume / Stop / Reset / Step / Step epoch, each enabled only when it means something. */
export function RunControls(props: RunControlsProps) {
  const { phase, canTrain, hasRun } = props;
  const active = ['starting', 'training', 'paused', 'evaluating'].includes(phase);
  const idle = IDLE_PHASES.includes(phase);
  const canStep = phase === 'paused' || (idle && canTrain);
  return (
    <div className="controls" role="group" aria-label="Run controls">
      <button type="button" className="primary" onClick={props.onTrain} disabled={!canTrain || active}>
        Train
      </button>
      <button type="button" onClick={props.onPause} disabled={phase !== 'training'}>
        Pause
      </button>
      <button type="button" onClick={props.onResume} disabled={phase !== 'paused'}>
        Resume
      </button>
      <button type="button" onClick={props.onStop} disabled={!active || phase === 'evaluating'}>
        Stop
      </button>
      <button type="button" onClick={props.onReset} disabled={!hasRun}>
        Reset
      </button>
      <button
        type="button"
        onClick={() => props.onStep('batch')}
        disabled={!canStep}
        title="Train on one batch, then pause"
      >
        Step
      </button>
      <button
        type="button"
        onClick={() => props.onStep('epoch')}
        disabled={!canStep}
        title="Train to the end of the epoch, then pause"
      >
        Step epoch
      </button>
    </div>
  );
}
