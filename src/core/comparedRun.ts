import type { TrainingConfig } from './config.ts';
import type { RunCurves, RunFingerprints, RunRecord, RunSummary } from './runRecord.ts';

/**
 * One run as a comparison shows it: a live variant streaming from its worker, or a finished run
 * added from the history. Charts and the summary table take only these (no workers, no React).
 */
export interface ComparedRun {
  /** Stable across updates; React key and legend identity. */
  readonly key: string;
  /** Names what differs, e.g. "optimizer Adam · learning rate 0.001"; unique within a comparison. */
  readonly label: string;
  /** Line colour (Okabe–Ito palette), fixed for the run's life. */
  readonly color: string;
  /** Dashes tell history runs from live ones at a glance. */
  readonly origin: 'live' | 'history';
  /** What the run is doing, in words: "queued", "training", "paused", "finished", "stopped", "error". */
  readonly status: ComparedRunStatus;
  readonly curves: RunCurves;
  /** So far, for a live run (test figures stay null until its test evaluation). */
  readonly summary: RunSummary;
  /** The whole record once the run has finished (what exports write); null while it runs. */
  readonly record: RunRecord | null;
  /** Why the run failed, for `status === 'error'`. */
  readonly error?: string | null;
  /** What the run reported at its start; null before (see `RunFingerprints`). */
  readonly fingerprints?: RunFingerprints | null;
  /** Epochs the run is set to train, so an epoch axis spans the whole race from the start. */
  readonly plannedEpochs?: number;
  /** The config it trains, so runs that differ only by seed can be summarised (`core/seedGroups.ts`). */
  readonly config?: TrainingConfig;
}

/** A finished run from the history, drawn dashed beside the live ones. */
export function comparedFromRecord(record: RunRecord, color: string): ComparedRun {
  return {
    key: `history-${record.id}`,
    label: record.name,
    color,
    origin: 'history',
    status: record.summary.stopped ? 'stopped' : 'finished',
    curves: record.curves,
    summary: record.summary,
    record,
    error: null,
    fingerprints: record.fingerprints,
    plannedEpochs: record.config.training.epochs,
    config: record.config,
  };
}

export type ComparedRunStatus =
  'queued' | 'starting' | 'training' | 'paused' | 'evaluating' | 'finished' | 'stopped' | 'error';

/** The x axis a comparison chart plots against (see `CurvePoint`). */
export type CompareAxis = 'epoch' | 'examples' | 'ms';

export const COMPARE_AXES: readonly { readonly value: CompareAxis; readonly label: string }[] = [
  { value: 'epoch', label: 'Epoch' },
  { value: 'examples', label: 'Examples seen' },
  { value: 'ms', label: 'Training time' },
];
