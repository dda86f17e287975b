import { DEFAULT_CONFIG } from '../core/config.ts';
import { RUN_RECORD_VERSION, type CurvePoint, type RunRecord } from '../core/runRecord.ts';

/**
 * A valid {@link RunRecord} for tests: the default config (784-128-64-10, Adam, batch 128,
 * 5 epochs) with plausible, fixed figures, so tests that need "some finished run" share one that
 * passes `parseRunRecord`. Override top-level fields (id, name, createdAt, summary…) per test;
 * records kept together in one store need distinct ids.
 */
export function makeRunRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  const examplesPerEpoch = 54_000;
  const epochMs = 4_000;
  const epochs = DEFAULT_CONFIG.training.epochs;
  const perEpoch = (epoch: number, value: number): CurvePoint => ({
    epoch,
    examples: epoch * examplesPerEpoch,
    ms: epoch * epochMs,
    value,
  });
  const validationAccuracy = [0.955, 0.965, 0.971, 0.974, 0.973];
  return {
    version: RUN_RECORD_VERSION,
    id: 'run-fixture',
    name: 'Adam 784-128-64-10',
    createdAt: Date.UTC(2025, 0, 15, 9, 30),
    source: 'train',
    differs: null,
    config: DEFAULT_CONFIG,
    environment: {
      backend: 'wasm',
      engine: 'fused',
      threads: 4,
      browser: 'Chromium 156',
      cores: 8,
      concurrentRuns: 0,
    },
    fingerprints: { initialWeights: '1a2b3c4d', dataOrder: '5e6f7a8b' },
    summary: {
      bestValidationAccuracy: 0.974,
      bestEpoch: 4,
      testAccuracy: 0.9768,
      testLoss: 0.0791,
      trainMs: epochs * epochMs,
      examplesPerSecond: examplesPerEpoch / (epochMs / 1000),
      parameterCount: 109_386,
      epochsCompleted: epochs,
      stopped: false,
    },
    curves: {
      trainLoss: [0.25, 0.5, 1, 2, 3, 4, 5].map((epoch) => perEpoch(epoch, 0.6 / (1 + epoch))),
      validationLoss: validationAccuracy.map((_, i) => perEpoch(i + 1, 0.15 - 0.01 * i)),
      validationAccuracy: validationAccuracy.map((accuracy, i) => perEpoch(i + 1, accuracy)),
    },
    ...overrides,
  };
}
