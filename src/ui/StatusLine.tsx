import type { RunState } from '../client/runState.ts';
import { MNIST_TRAIN_COUNT } from '../core/config.ts';
import { divergedLossText } from '../core/divergence.ts';
import { formatCount, formatPercent } from '../core/format.ts';
import './runPanel.css';

/** Short phase text for the live region; changes a few times a run, not per batch. */
export function phaseText(state: RunState): string {
  const run = state.run;
  const shape = run?.shape;
  const partial =
    shape?.receivedImages === undefined
      ? ''
      : ` (on the ${formatCount(shape.trainingExamples)} training examples received so far, of ${formatCount(shape.receivedImages)} images in)`;
  const epochs = shape ? ` — Epoch ${run?.epoch ?? 0} / ${shape.epochs}${partial}` : '';
  switch (state.phase) {
    case 'idle':
      return 'Starting the training worker…';
    case 'loading': {
      const p = state.worker.dataProgress;
      const share = p && p.totalBytes > 0 ? ` ${formatPercent(p.loadedBytes / p.totalBytes, 0)}` : '';
      return state.worker.backend ? `Loading MNIST…${share}` : 'Starting the backend…';
    }
    case 'ready': {
      const received = state.worker.data?.trainCount ?? MNIST_TRAIN_COUNT;
      return received < MNIST_TRAIN_COUNT
        ? `Ready — press Train (${formatCount(received)} of ${formatCount(MNIST_TRAIN_COUNT)} training images in so far; the rest are loading)`
        : 'Ready — press Train';
    }
    case 'starting':
      return run?.measuringEngines === true
        ? 'Measuring which engine is fastest here…'
        : 'Preparing the data…';
    case 'training':
      return `Training${epochs}`;
    case 'paused':
      return `Paused${epochs}`;
    case 'evaluating':
      return 'Evaluating on the 10,000 test images…';
    case 'finished':
      return `Finished${epochs}`;
    case 'stopped': {
      const diverged = run?.result?.diverged;
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
  const { dataProgress } = state.worker;
  const canRetry = state.phase === 'error' && state.worker.data === null && onRetry !== undefined;
  const run = state.run;
  const shape = run?.shape ?? null;
  const showEpoch = ['training', 'paused'].includes(state.phase);
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
      {state.phase === 'loading' && dataProgress ? (
        <progress
          aria-label="MNIST download"
          max={dataProgress.totalBytes || 1}
          value={dataProgress.loadedBytes}
        />
      ) : null}
      {showEpoch && run && shape ? (
        <>
          <progress aria-label="Epoch progress" max={shape.batchesPerEpoch} value={run.batchInEpoch} />
          <span className="throughput" data-testid="batch-progress">
            batch {formatCount(run.batchInEpoch)} / {formatCount(shape.batchesPerEpoch)}
          </span>
          <span className="throughput" data-testid="throughput">
            {formatCount(run.examplesPerSecond)} examples/s
          </span>
          {run.learningRate !== null ? (
            <span className="throughput" data-testid="learning-rate">
              learning rate {formatRate(run.learningRate)}
            </span>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
