import {
  MAX_TRAIN_POINTS,
  RUN_RECORD_VERSION,
  type CurvePoint,
  type RunCurves,
  type RunRecord,
  type RunSummary,
} from '../core/runRecord.ts';
import { downsample, type Point } from '../core/series.ts';
import type { ReportedPoint } from './liveRun.ts';
import type { RunState } from './runState.ts';

/**
 * From a run's live state (the pure reducer's) to what comparisons and the history keep: curves
 * on all three x axes (epoch, examples seen, training time), the summary figures and, once the
 * run is over, a {@link RunRecord}. Every point carries its epoch, examples and time as the worker
 * reported them. Pure functions, shared by the Train view and comparisons.
 */

function toCurve(points: readonly ReportedPoint[]): CurvePoint[] {
  return points.map((p) => ({ epoch: p.x, examples: p.examples, ms: p.ms, value: p.y }));
}

/**
 * `points` bucket-averaged to at most `maxPoints` (as `downsample` does for charts), every field
 * of a point averaged over the same bucket; points with a non-finite value are skipped.
 */
function downsampleCurve(points: readonly ReportedPoint[], maxPoints: number): CurvePoint[] {
  const finite = points.filter((p) => Number.isFinite(p.y));
  const averaged = (field: 'examples' | 'ms'): Point[] =>
    downsample(
      finite.map((p) => ({ x: p.x, y: p[field] })),
      maxPoints,
    );
  const values = downsample(finite, maxPoints);
  const examples = averaged('examples');
  const ms = averaged('ms');
  return values.map((p, i) => ({
    epoch: p.x,
    examples: examples[i]?.y ?? 0,
    ms: ms[i]?.y ?? 0,
    value: p.y,
  }));
}

const NO_CURVES: RunCurves = { trainLoss: [], validationLoss: [], validationAccuracy: [] };

/** The run's curves, training loss bucket-averaged to at most {@link MAX_TRAIN_POINTS} points. */
export function curvesOf(state: RunState): RunCurves {
  const run = state.run;
  if (run === null || run.shape === null) return NO_CURVES;
  return {
    trainLoss: downsampleCurve(run.curves.trainLoss, MAX_TRAIN_POINTS),
    validationLoss: toCurve(run.curves.validationLoss),
    validationAccuracy: toCurve(run.curves.validationAccuracy),
  };
}

/** The run's figures so far (test figures once its final evaluation is in). */
export function summaryOf(state: RunState): RunSummary {
  const run = state.run;
  let best: Point | null = null;
  for (const point of run?.curves.validationAccuracy ?? [])
    if (best === null || point.y > best.y) best = point;
  const result = run?.result ?? null;
  const trainMs = result?.trainMs ?? run?.trainingMs ?? 0;
  const examples = run?.examples ?? 0;
  return {
    bestValidationAccuracy: best?.y ?? null,
    bestEpoch: best?.x ?? null,
    testAccuracy: result?.finalTest.accuracy ?? null,
    testLoss: result?.finalTest.loss ?? null,
    trainMs,
    examplesPerSecond: trainMs > 0 && examples > 0 ? (examples * 1000) / trainMs : null,
    parameterCount: run?.shape?.parameterCount ?? 0,
    epochsCompleted: run?.epochMs.length ?? 0,
    stopped: result?.stopped ?? false,
  };
}

/** What a record needs beyond the run's state (which knows the config it was started with). */
export interface RecordMeta {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly source: RunRecord['source'];
  readonly differs: string | null;
  /** From `browserName(navigator.userAgent)`. */
  readonly browser: string;
  readonly cores: number | null;
  readonly concurrentRuns: number;
}

/** The run as the history keeps it, once it has finished or been stopped; null before. */
export function recordOf(state: RunState, meta: RecordMeta): RunRecord | null {
  const run = state.run;
  if (run === null || run.shape === null || run.result === null) return null;
  if (state.phase !== 'finished' && state.phase !== 'stopped') return null;
  return {
    version: RUN_RECORD_VERSION,
    id: meta.id,
    name: meta.name,
    createdAt: meta.createdAt,
    source: meta.source,
    differs: meta.differs,
    config: run.start.config,
    environment: {
      backend: state.worker.backend?.name ?? 'unknown',
      engine: run.shape.engine.path,
      threads: state.worker.backend?.threads ?? 1,
      browser: meta.browser,
      cores: meta.cores,
      concurrentRuns: meta.concurrentRuns,
    },
    fingerprints: run.shape.fingerprints,
    summary: summaryOf(state),
    curves: curvesOf(state),
  };
}
