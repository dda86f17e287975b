import type { ComparedRun } from '../../core/comparedRun.ts';
import { HelpTip } from '../HelpTip.tsx';

interface ComparisonRunsProps {
  readonly runs: readonly ComparedRun[];
  /** Epochs each run trains for, by key (progress). */
  readonly epochs: Readonly<Record<string, number>>;
  readonly onPause: (key: string) => void;
  readonly onResume: (key: string) => void;
  readonly onStop: (key: string) => void;
}

const STATUS_TEXT: Record<ComparedRun['status'], string> = {
  queued: 'Queued',
  starting: 'Starting…',
  training: 'Training',
  paused: 'Paused',
  evaluating: 'Testing…',
  finished: 'Finished',
  stopped: 'Stopped',
  error: 'Failed',
};

/** Where each live run is, with its own Pause/Resume/Stop. */
export function ComparisonRuns({ runs, epochs, onPause, onResume, onStop }: ComparisonRunsProps) {
  if (runs.length === 0) return null;
  return (
    <ul className="comparison-runs" aria-label="Runs">
      {runs.map((run) => {
        const total = epochs[run.key] ?? 0;
        const at = run.curves.trainLoss[run.curves.trainLoss.length - 1]?.epoch ?? 0;
        const live = run.status === 'training' || run.status === 'paused' || run.status === 'starting';
        return (
          <li key={run.key} data-testid="comparison-run" data-status={run.status}>
            <span className="swatch" style={{ background: run.color }} aria-hidden="true" />
            <span className="run-label">{run.label}</span>
            <span className="run-status">
              {STATUS_TEXT[run.status]}
              {live && total > 0 ? ` · epoch ${Math.min(at, total).toFixed(1)} of ${total}` : ''}
              {(run.status === 'error' || run.status === 'stopped') && run.error ? `: ${run.error}` : ''}
            </span>
            <span className="run-buttons">
              {run.status === 'paused' ? (
                <HelpTip text="Carry on with this run only.">
                  <button type="button" onClick={() => onResume(run.key)} aria-label={`Resume ${run.label}`}>
                    Resume
                  </button>
                </HelpTip>
              ) : (
                <HelpTip text="Pause this run only; the others carry on.">
                  <button
                    type="button"
                    disabled={run.status !== 'training'}
                    onClick={() => onPause(run.key)}
                    aria-label={`Pause ${run.label}`}
                  >
                    Pause
                  </button>
                </HelpTip>
              )}
              <HelpTip text="End this run now; the others carry on.">
                <button
                  type="button"
                  disabled={!live && run.status !== 'queued'}
                  onClick={() => onStop(run.key)}
                  aria-label={`Stop ${run.label}`}
                >
                  Stop
                </button>
              </HelpTip>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
