import { isRunActive, type Phase } from '../client/runState.ts';
import type { StepKind } from '../core/runReports.ts';
import { HelpTip } from './HelpTip.tsx';
import './runPanel.css';

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
  readonly onStep: (kind: StepKind) => void;
}

const IDLE_PHASES: readonly Phase[] = ['ready', 'finished', 'stopped', 'error'];

/** Train / Pause / Resume / Stop / Reset / Step / Step epoch, each enabled only when it means something. */
export function RunControls(props: RunControlsProps) {
  const { phase, canTrain, hasRun } = props;
  const active = isRunActive(phase);
  const idle = IDLE_PHASES.includes(phase);
  const canStep = phase === 'paused' || (idle && canTrain);
  return (
    <div className="controls" role="group" aria-label="Run controls">
      <HelpTip text="Start a new run from fresh weights with the config on the left.">
        <button type="button" className="primary" onClick={props.onTrain} disabled={!canTrain || active}>
          Train
        </button>
      </HelpTip>
      <HelpTip text="Pause after the current batch; Resume carries on from there.">
        <button type="button" onClick={props.onPause} disabled={phase !== 'training'}>
          Pause
        </button>
      </HelpTip>
      <HelpTip text="Carry on training from where the run paused.">
        <button type="button" onClick={props.onResume} disabled={phase !== 'paused'}>
          Resume
        </button>
      </HelpTip>
      <HelpTip text="End the run now and test the weights so far; it cannot be resumed.">
        <button type="button" onClick={props.onStop} disabled={!active || phase === 'evaluating'}>
          Stop
        </button>
      </HelpTip>
      <HelpTip text="Forget the run: clear its charts, results and analysis.">
        <button type="button" onClick={props.onReset} disabled={!hasRun}>
          Reset
        </button>
      </HelpTip>
      <HelpTip text="Train on one batch, then pause.">
        <button type="button" onClick={() => props.onStep('batch')} disabled={!canStep}>
          Step
        </button>
      </HelpTip>
      <HelpTip text="Train to the end of the epoch, then pause.">
        <button type="button" onClick={() => props.onStep('epoch')} disabled={!canStep}>
          Step epoch
        </button>
      </HelpTip>
    </div>
  );
}
