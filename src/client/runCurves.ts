import type { TrainingConfig } from '../core/config.ts';
import {
  MAX_TRAIN_POINTS,
  RUN_RECORD_VERSION,
  type CurvePoint,
  type RunCurves,
  type RunRecord,
  type RunSummary,
} from '../core/runRecord.ts';
import { downsample, type Point } from '../core/series.ts';
import type { RunShape, RunState } from './runState.ts';

/**
 * From a run's live state (the pure reducer's) to what comparisons and the history keep: curves
 * on all three x axes (epoch, examples seen, training time), the summary figures and, once the
 * run is over, a {@link RunRecord}. Pure functions, shared by the Train view and comparisons.
 */

/** Examples seen at fractional epoch `x` (= step / batches per epoch), exact for whole batches. */
export function examplesAt(x: number, run: RunShape): number {
  const epochs = Math.floor(x + 1e-9);
  const batches = Math.round((x - epochs) * run.batchesPerEpoch);
  return epochs * run.trainingExamples + Math.min(batches * run.batchSize, run.trainingExamples);
}

/**
 * Training time (ms) at fractional epoch `x`, interpolated between the reports in
 * `trainingTime` (x ascending; the run starts at (0, 0)); past the last report, its time.
 */
export function msAt(x: number, trainingTime: readonly Point[]): number {
  let previous: Point = { x: 0, y: 0 };
  for (const point of trainingTime) {
    if (point.x >= x) {
      const span = point.x - previous.x;
      return span <= 0 ? point.y : previous.y + ((x - previous.x) / span) * (point.y - previous.y);
    }
    previous = point;
  }
  return previous.y;
}

function toCurve(points: readonly Point[], run: RunShape, trainingTime: readonly Point[]): CurvePoint[] {
  return points.map((p) => ({
    epoch: p.x,
    examples: examplesAt(p.x, run),
    ms: msAt(p.x, trainingTime),
    value: p.y,
  }));
}

const NO_CURVES: RunCurves = { trainLoss: [], validationLoss: [], validationAccuracy: [] };

/** The run's curves, training loss bucket-averaged to at most {@link MAX_TRAIN_POINTS} points. */
export function curvesOf(state: RunState): RunCurves {
  const { run, trainingTime } = state;
  if (run === null) return NO_CURVES;
  return {
    trainLoss: toCurve(downsample(state.trainLoss, MAX_TRAIN_POINTS), run, trainingTime),
    validationLoss: toCurve(state.validationLoss, run, trainingTime),
    validationAccuracy: toCurve(state.validationAccuracy, run, trainingTime),
  };
}

/** The run's figures so far (test figures once its final evaluation is in). */
export function summaryOf(state: RunState): RunSummary {
  let best: Point | null = null;
  for (const point of state.validationAccuracy) if (best === null || point.y > best.y) best = point;
  const lastTime = state.trainingTime[state.trainingTime.length - 1];
  const trainMs = state.result?.trainMs ?? lastTime?.y ?? 0;
  const lastX = Math.max(state.trainLoss[state.trainLoss.length - 1]?.x ?? 0, lastTime?.x ?? 0);
  const examples = state.run ? examplesAt(lastX, state.run) : 0;
  return {
    bestValidationAccuracy: best?.y ?? null,
    bestEpoch: best?.x ?? null,
    testAccuracy: state.result?.finalTest.accuracy ?? null,
    testLoss: state.result?.finalTest.loss ?? null,
    trainMs,
    examplesPerSecond: trainMs > 0 && examples > 0 ? (examples * 1000) / trainMs : null,
    parameterCount: state.run?.parameterCount ?? 0,
    epochsCompleted: state.epochMs.length,
    stopped: state.result?.stopped ?? false,
  };
}

/** What a record needs beyond the run's state. */
export interface RecordMeta {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly source: RunRecord['source'];
  readonly differs: string | null;
  readonly config: TrainingConfig;
  /** From `browserName(navigator.userAgent)`. */
  readonly browser: string;
  readonly cores: number | null;
  readonly concurrentRuns: number;
}

/** The run as the history keeps it, once it has finished or been stopped; null before. */
export function recordOf(state: RunState, meta: RecordMeta): RunRecord | null {
  if (state.run === null || state.result === null) return null;
  if (state.phase !== 'finished' && state.phase !== 'stopped') return null;
  return {
    version: RUN_RECORD_VERSION,
    id: meta.id,
    name: meta.name,
    createdAt: meta.createdAt,
    source: meta.source,
    differs: meta.differs,
    config: meta.config,
    environment: {
      backend: state.backend?.name ?? 'unknown',
      engine: state.run.engine.path,
      threads: state.backend?.threads ?? 1,
      browser: meta.browser,
      cores: meta.cores,
      concurrentRuns: meta.concurrentRuns,
    },
    fingerprints: state.run.fingerprints,
    summary: summaryOf(state),
    curves: curvesOf(state),
  };
}
