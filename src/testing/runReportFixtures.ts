import type { RunStartReport } from '../core/runReports.ts';

/**
 * A run's start report for tests of the page side: 2 epochs of 4 batches of 128 (512 examples),
 * the fused engine; `overrides` replace any field.
 */
export function makeRunStartReport(overrides: Partial<RunStartReport> = {}): RunStartReport {
  return {
    epochs: 2,
    batchesPerEpoch: 4,
    batchSize: 128,
    normalization: { mean: 0, std: 1 },
    engine: { path: 'fused', reason: 'test' },
    trainingExamples: 512,
    validationExamples: 100,
    parameterCount: 109_386,
    fingerprints: { initialWeights: '0badcafe', dataOrder: '12345678' },
    ...overrides,
  };
}
