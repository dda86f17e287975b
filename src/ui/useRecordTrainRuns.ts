import { useEffect, useRef, useState } from 'react';
import { recordOf } from '../client/runCurves.ts';
import type { RunState } from '../client/runState.ts';
import { describeConfigShort } from '../core/configSummary.ts';
import { browserName } from '../core/environment.ts';
import { describeMixedIn } from '../core/extraTraining.ts';
import type { RunRecord } from '../core/runRecord.ts';

const recordIdOf = (runId: string | null) => `${runId ?? 'none'}-train`;

/**
 * Keeps every Train-view run that finishes (or is stopped) in the run history, once per run, with
 * the config the run state recorded at its start (the form may have changed since). Returns the
 * record of the run last finished, for its export, while that run is on screen.
 */
export function useRecordTrainRuns(
  state: RunState,
  save: (record: RunRecord) => Promise<unknown>,
): RunRecord | null {
  const recordedRef = useRef<string | null>(null);
  const [record, setRecord] = useState<RunRecord | null>(null);
  useEffect(() => {
    const config = state.run?.start.config;
    const mixedIn = state.run?.start.mixedIn;
    if (state.runId === null || recordedRef.current === state.runId || config === undefined) return;
    const finished = recordOf(state, {
      id: recordIdOf(state.runId),
      // My digits are not in the config, so the name is what tells such a run apart.
      name: [
        config.name?.trim() || describeConfigShort(config),
        ...(mixedIn ? [describeMixedIn(mixedIn)] : []),
      ].join(' · '),
      createdAt: Date.now(),
      source: 'train',
      differs: null,
      browser: browserName(navigator.userAgent),
      cores: navigator.hardwareConcurrency || null,
      concurrentRuns: 0,
    });
    if (finished === null) return;
    recordedRef.current = state.runId;
    // Exportable whether or not the browser could store it (private mode, full disk).
    void save(finished).finally(() => setRecord(finished));
  }, [state, save]);
  // The record belongs to the run on screen only: a new run or a reset hides it.
  return record !== null && record.id === recordIdOf(state.runId) ? record : null;
}
