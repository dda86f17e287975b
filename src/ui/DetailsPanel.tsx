import { useState } from 'react';
import type { RunState } from '../client/runState.ts';
import { describeRates } from '../core/engineTrialText.ts';
import { ENGINE_NAMES } from '../core/engines.ts';
import { formatCount, formatSeconds } from '../core/format.ts';
import './detailsPanel.css';

/** The fused kernel's threads: how many, why, and the rates measured to choose. */
function kernelThreadsText(run: RunState['run']): string {
  const path = run?.shape?.engine.path;
  if (run === null || path === undefined) return 'chosen when training starts';
  if (path !== 'fused') return `not used (${ENGINE_NAMES[path].replace(/^the /, '')})`;
  const choice = run.threads;
  if (choice === null) return 'measuring…';
  const rates = choice.measured
    .map((m) => `${m.threads}: ${formatCount(Math.round(m.examplesPerSecond))} ex/s`)
    .join(' · ');
  return `${choice.threads} — ${choice.reason}${rates === '' ? '' : ` (${rates})`}`;
}

/**
 * The rates `auto` measured to choose the engine (or kept from an earlier measurement), and a
 * "Measure again" button: the worker forgets its kept choices and the next Train measures.
 */
function EngineTrial({
  state,
  onMeasureAgain,
}: {
  readonly state: RunState;
  readonly onMeasureAgain: () => void;
}) {
  const [askedInRun, setAskedInRun] = useState<string | null>(null);
  const measured = state.run?.shape?.engine.measured;
  if (measured === undefined) return null;
  const asked = askedInRun !== null && askedInRun === state.runId;
  return (
    <>
      <dt>Engines measured</dt>
      <dd data-testid="details-engine-trial">
        {describeRates(measured)}{' '}
        <button
          type="button"
          disabled={asked}
          onClick={() => {
            onMeasureAgain();
            setAskedInRun(state.runId);
          }}
        >
          Measure again
        </button>
        {asked ? <span role="status"> The next Train measures the engines again.</span> : null}
      </dd>
    </>
  );
}

/** Where the work runs: backend, isolation and threads, the engine and why, and per-epoch times. */
export function DetailsPanel({
  state,
  onMeasureAgain,
}: {
  readonly state: RunState;
  /** Forget the engine choices `auto` kept, so the next Train measures again. */
  readonly onMeasureAgain: () => void;
}) {
  const { backend } = state.worker;
  const run = state.run;
  const tensorsAlive = run?.tensorsAlive ?? null;
  return (
    <details className="panel details">
      <summary>Details</summary>
      <dl>
        <dt>Backend</dt>
        <dd data-testid="details-backend">{backend?.name ?? '…'}</dd>
        <dt>Cross-origin isolated</dt>
        <dd data-testid="details-isolated">{backend ? (backend.crossOriginIsolated ? 'yes' : 'no') : '…'}</dd>
        <dt>TF.js WASM threads</dt>
        <dd data-testid="details-threads">{backend?.threads ?? '…'}</dd>
        <dt>Engine</dt>
        <dd data-testid="details-engine">{run?.shape?.engine.reason ?? 'chosen when training starts'}</dd>
        <EngineTrial state={state} onMeasureAgain={onMeasureAgain} />
        <dt>Kernel threads</dt>
        <dd data-testid="details-kernel-threads">{kernelThreadsText(run)}</dd>
        <dt>Tensors alive</dt>
        <dd data-testid="details-tensors" data-tensors={tensorsAlive ?? undefined}>
          {tensorsAlive === null
            ? '…'
            : `${formatCount(tensorsAlive)}${run?.result ? ' after the run (0 = nothing leaked)' : ' while training'}`}
        </dd>
        {run && run.epochMs.length > 0 ? (
          <>
            <dt>Epoch times</dt>
            <dd>{run.epochMs.map((ms) => formatSeconds(ms)).join(', ')}</dd>
          </>
        ) : null}
      </dl>
      {backend && backend.notes.length > 0 ? (
        <ul className="muted">
          {backend.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
