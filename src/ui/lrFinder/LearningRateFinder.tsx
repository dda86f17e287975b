import { useEffect, useRef, useState } from 'react';
import type { TrainerSession } from '../../client/TrainerSession.ts';
import type { BackendChoice } from '../../core/backends.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { rangeTestRate, SUGGESTION_RULE, type RangeTestResult } from '../../core/lrFinder.ts';
import { HelpTip } from '../HelpTip.tsx';
import { RangeTestChart } from './RangeTestChart.tsx';
import { formatRate } from './rangeTestView.ts';
import './lrFinder.css';

interface LearningRateFinderProps {
  /** The form's config, or null while it is invalid. */
  readonly config: TrainingConfig | null;
  readonly backend: BackendChoice;
  /** A run is under way (the form is locked too): the test would compete with it. */
  readonly runActive: boolean;
  readonly request: TrainerSession['request'];
  /** Writes `rate` into the Learning rate field. */
  readonly onUse: (rate: number) => void;
}

type FinderState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly done: number; readonly total: number }
  | { readonly kind: 'done'; readonly result: RangeTestResult; readonly config: TrainingConfig }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * "Find learning rate": asks the training worker for a learning-rate range test of the form's
 * config (a fresh model from its seed; a trained model is never touched), shows its progress,
 * then the curve with the suggested rate, the rule that picked it, and "Use this rate".
 */
export function LearningRateFinder({ config, backend, runActive, request, onUse }: LearningRateFinderProps) {
  const [state, setState] = useState<FinderState>({ kind: 'idle' });
  const asked = useRef(0);
  useEffect(() => () => void (asked.current += 1), []);

  const find = () => {
    if (config === null) return;
    const id = ++asked.current;
    const current = (update: FinderState) => {
      if (asked.current === id) setState(update);
    };
    current({ kind: 'running', done: 0, total: 0 });
    request({ type: 'find-learning-rate', backend, config }, (done, total) =>
      current({ kind: 'running', done, total }),
    ).then(
      (answer) => current({ kind: 'done', result: answer.result, config }),
      (error: unknown) =>
        current({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  };

  const running = state.kind === 'running';
  return (
    <div className="lr-finder">
      <HelpTip text="Trains a fresh copy of this config for a few hundred batches while raising the learning rate from 1e-7 until the loss blows up, then suggests a rate. Your trained model is not touched.">
        <button type="button" disabled={config === null || runActive || running} onClick={find}>
          Find learning rate
        </button>
      </HelpTip>
      {runActive ? <p className="field-help">Stop the run to find a learning rate.</p> : null}
      <div aria-live="polite" className="lr-finder-status">
        {running ? (
          <>
            <progress aria-label="Range test progress" max={state.total || 1} value={state.done} />{' '}
            {state.total > 0
              ? `Step ${state.done} of at most ${state.total}, rate ${formatRate(rangeTestRate(state.done - 1, state.total))}`
              : 'Starting the range test…'}
          </>
        ) : null}
      </div>
      {state.kind === 'failed' ? (
        <p className="field-error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <FinderResult result={state.result} config={state.config} onUse={onUse} disabled={runActive} />
      ) : null}
    </div>
  );
}

function FinderResult({
  result,
  config,
  onUse,
  disabled,
}: {
  readonly result: RangeTestResult;
  readonly config: TrainingConfig;
  readonly onUse: (rate: number) => void;
  readonly disabled: boolean;
}) {
  const { suggestion } = result;
  return (
    <div className="lr-finder-result">
      <RangeTestChart result={result} />
      <p className="small">
        {result.points.length} batches of {result.batchSize} with {config.optimizer.kind} on {result.engine},
        in {(result.ms / 1000).toFixed(1)} s. {SUGGESTION_RULE}
      </p>
      {suggestion === null ? (
        <p data-testid="lr-suggestion">No suggestion: the loss never fell clearly below where it started.</p>
      ) : (
        <p data-testid="lr-suggestion">
          Suggested learning rate: <strong>{formatRate(suggestion.rate)}</strong> (lowest smoothed loss at{' '}
          {formatRate(suggestion.minimumRate)}).{' '}
          <button type="button" disabled={disabled} onClick={() => onUse(suggestion.rate)}>
            Use this rate
          </button>
        </p>
      )}
    </div>
  );
}
