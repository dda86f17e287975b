import type { RunState } from '../client/runState.ts';
import { divergedLossText } from '../core/divergence.ts';
import { formatCount, formatPercent } from '../core/format.ts';

/** Short phase text for the live region; changes a few times a run, not per batch. */
export function phaseText(state: RunState): string {
  const epochs = state.run ? ` — Epoch ${state.epoch} / ${state.run.epochs}` : '';
  switch (state.phase) {
    case 'idle':
      return 'Starting the training worker…';
    case 'loading': {
      const p = state.dataProgress;
      const share = p && p.totalBytes > 0 ? ` ${formatPercent(p.loadedBytes / p.totalBytes, 0)}` : '';
      return state.backend ? `Loading MNIST…${share}` : 'Starting the backend…';
    }
    case 'ready':
      return 'Ready — press Train';
    case 'starting':
      return 'Preparing the data…';
    case 'training':
      return `Training${epochs}`;
    case 'paused':
      return `Paused${epochs}`;
    case 'evaluating':
      return 'Evaluating on the 10,000 test images…';
    case 'finished':
      return `Finished${epochs}`;
    case 'stopped': {
      const diverged = state.result?.diverged;
      if (diverged)
        return `Stopped: training diverged (loss ${divergedLossText(diverged)} at step ${formatCount(diverged.step)})${epochs}`;
      return `Stopped${epochs}`;
    }
    case 'error':
      return `Error: ${state.error ?? 'unknown'}`;
  }
}

/** 0.000316227… → "0.0003162"; 1e-7 → "1e-7". */
export function formatRate(rate: number): string {
  return String(Number(rate.toPrecision(4)));
}

/**
 * Phase and epoch (an ARIA live region), the epoch's progress bar and the throughput. When
 * preparing failed (MNIST could not be downloaded or parsed, or the backend did not start),
 * a Retry button calls `onRetry`, which prepares again.
 */
export function StatusLine({ state, onRetry }: { readonly state: RunState; readonly onRetry?: () => void }) {
  const canRetry = state.phase === 'error' && !state.dataReady && onRetry !== undefined;
  const loading = state.phase === 'loading' && state.dataProgress !== null;
  const showEpoch = state.run !== null && ['training', 'paused'].includes(state.phase);
  return (
    <div className={`status-line status-${state.phase}`}>
      <span role="status" aria-live="polite" data-testid="status" data-phase={state.phase}>
        {phaseText(state)}
      </span>
      {canRetry ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
      {loading && state.dataProgress ? (
        <progress
          aria-label="MNIST download"
          max={state.dataProgress.totalBytes || 1}
          value={state.dataProgress.loadedBytes}
        />
      ) : null}
      {showEpoch && state.run ? (
        <>
          <progress aria-label="Epoch progress" max={state.run.batchesPerEpoch} value={state.batchInEpoch} />
          <span className="throughput" data-testid="batch-progress">
            batch {formatCount(state.batchInEpoch)} / {formatCount(state.run.batchesPerEpoch)}
          </span>
          <span className="throughput" data-testid="throughput">
            {formatCount(state.examplesPerSecond)} examples/s
          </span>
          {state.learningRate !== null ? (
            <span className="throughput" data-testid="learning-rate">
              learning rate {formatRate(state.learningRate)}
            </span>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
