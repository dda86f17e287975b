import { useEffect, useRef } from 'react';
import { recordOf } from '../client/runCurves.ts';
import type { RunState } from '../client/runState.ts';
import type { TrainingConfig } from '../core/config.ts';
import { describeConfigShort } from '../core/configSummary.ts';
import { browserName } from '../core/environment.ts';
import type { RunRecord } from '../core/runRecord.ts';

/**
 * Keeps every Train-view run that finishes (or is stopped) in the run history, once per run.
 * Returns `started`, to be called with the config each run is started with: the form may have
 * changed by the time the run ends.
 */
export function useRecordTrainRuns(
  state: RunState,
  save: (record: RunRecord) => Promise<boolean>,
): (config: TrainingConfig) => void {
  const configRef = useRef<TrainingConfig | null>(null);
  const recordedRef = useRef<string | null>(null);
  useEffect(() => {
    const config = configRef.current;
    if (state.runId === null || recordedRef.current === state.runId || config === null) return;
    const record = recordOf(state, {
      id: `${state.runId}-train`,
      name: config.name?.trim() || describeConfigShort(config),
      createdAt: Date.now(),
      source: 'train',
      differs: null,
      config,
      browser: browserName(navigator.userAgent),
      cores: navigator.hardwareConcurrency || null,
      concurrentRuns: 0,
    });
    if (record === null) return;
    recordedRef.current = state.runId;
    void save(record);
  }, [state, save]);
  return (config) => {
    configRef.current = config;
  };
}
