import { useEffect, useState, useSyncExternalStore } from 'react';
import { ComparisonRunner, type ComparisonSnapshot } from '../../client/ComparisonRunner.ts';
import { createTrainerWorker } from '../../client/TrainerClient.ts';
import { browserName } from '../../core/environment.ts';
import type { RunRecord } from '../../core/runRecord.ts';

/**
 * One {@link ComparisonRunner} for the component's life (its workers end with it), and its
 * latest snapshot. `onRecord` gets each finished run, for the history.
 */
export function useComparison(onRecord: (record: RunRecord) => void): [ComparisonSnapshot, ComparisonRunner] {
  const [runner] = useState(
    () =>
      new ComparisonRunner({
        createWorker: createTrainerWorker,
        browser: browserName(navigator.userAgent),
        cores: navigator.hardwareConcurrency || null,
      }),
  );
  useEffect(() => {
    runner.setOnRecord(onRecord);
  }, [runner, onRecord]);
  useEffect(() => () => runner.dispose(), [runner]);
  const snapshot = useSyncExternalStore(runner.subscribe, runner.getSnapshot);
  return [snapshot, runner];
}
