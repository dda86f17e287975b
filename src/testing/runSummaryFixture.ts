import type { RunSummary } from '../core/runRecord.ts';

/** Test support: the summary of a run that has reported nothing yet. */
export const EMPTY_RUN_SUMMARY: RunSummary = {
  bestValidationAccuracy: null,
  bestEpoch: null,
  testAccuracy: null,
  testLoss: null,
  trainMs: 0,
  examplesPerSecond: null,
  parameterCount: 0,
  epochsCompleted: 0,
  stopped: false,
};
