import { useCallback, useEffect, useRef, useState } from 'react';
import { recordOf } from '../client/runCurves.ts';
import type { RunState } from '../client/runState.ts';
import type { TrainingConfig } from '../core/config.ts';
import { describeConfigShort } from '../core/configSummary.ts';
import { browserName } from '../core/environment.ts';
import type { RunRecord } from '../core/runRecord.ts';

const recordIdOf = (runId: string | null) => `${runId ?? 'none'}-train`;

/**
 * Keeps every Train-view run that finishes (or is stopped) in the run history, once per run.
 * Returns `started`, to be called with the config each run is started with (the form may have
 * changed by the time the run ends), and the record of the run last finished, for its export.
 */
export function useRecordTrainRuns(
  state: RunState,
  save: (record: RunRecord) => Promise<unknown>,
): { readonly started: (config: TrainingConfig) => void; readonly record: RunRecord | null } {
  const configRef = useRef<TrainingConfig | null>(null);
  const recordedRef = useRef<string | null>(null);
  const [record, setRecord] = useState<RunRecord | null>(null);
  useEffect(() => {
    const config = configRef.current;
    if (state.runId === null || recordedRef.current === state.runId || config === null) return;
    const finished = recordOf(state, {
      id: recordIdOf(state.runId),
      name: config.name?.trim() || describeConfigShort(config),
      createdAt: Date.now(),
      source: 'train',
      differs: null,
      config,
      browser: browserName(navigator.userAgent),
      cores: navigator.hardwareConcurrency || null,
      concurrentRuns: 0,
    });
    if (finished === null) return;
    recordedRef.current = state.runId;
    // Exportable whether or not the browser could store it (private mode, full disk).
    void save(finished).finally(() => setRecord(finished));
  }, [state, save]);
  const started = useCallback((config: TrainingConfig) => {
    configRef.current = config;
  }, []);
  // The record belongs to the run on screen only: a new run or a reset hides it.
  const current = record !== null && record.id === recordIdOf(state.runId) ? record : null;
  return { started, record: current };
}
