import type { BackendChoice } from '../core/backends.ts';
import type { ThreadChoice, ThreadRequest } from '../core/kernelThreads.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineChoice } from '../core/engines.ts';
import type { MixedIn } from '../core/extraTraining.ts';
import type { BatchReport, EpochEndTimings, RunFinishedReport, RunStartReport } from '../core/runReports.ts';
import type { CurvePoint } from '../core/runRecord.ts';
import { foldLayerStepNorms, NO_LAYER_STEPS, type LayerStepSeries } from '../core/layerStepNorms.ts';
import type { Point } from '../core/series.ts';
import type { EpochAnalysis, WorkerEvent } from '../worker/protocol.ts';

/**
 * The run slice of the page's state (`runState.ts`): what the run on screen was started with and
 * everything it has reported, folded from its events. Pure; the curves keep each point's epoch,
 * examples seen and training time exactly as the worker reported them, so nothing downstream
 * (charts, comparisons, run records) reconstructs them.
 */

/** What a run was started with, recorded from its `start` command (a record of the run keeps it). */
export interface RunStart {
  readonly config: TrainingConfig;
  readonly backend: BackendChoice;
  /** `auto` when the command named none. */
  readonly engine: EngineChoice;
  /** Fused-kernel threads (`?threads=`); `auto` (measured) when absent. */
  readonly threads?: ThreadRequest;
  /** My digits the `start` command mixed into training (names the run in the history). */
  readonly mixedIn?: MixedIn;
}

/**
 * A curve point as reported: `x` is the epoch (fractional for per-step points: step / batches per
 * epoch) and `y` the value; `examples` and `ms` as in a run record's {@link CurvePoint}.
 */
export type ReportedPoint = Point & Pick<CurvePoint, 'examples' | 'ms'>;

export interface LiveCurves {
  /** One point per step (training mode, the step's batch). */
  readonly trainLoss: readonly ReportedPoint[];
  readonly trainAccuracy: readonly ReportedPoint[];
  /** One point per completed epoch; empty without a validation split. */
  readonly validationLoss: readonly ReportedPoint[];
  readonly validationAccuracy: readonly ReportedPoint[];
}

export interface LiveRun {
  readonly start: RunStart;
  /** The run's shape and engine, once the worker has set it up (`run-started`); null before. */
  readonly shape: RunStartReport | null;
  /** The worker is timing the engines for `auto` before the first step (`measuring-engines`). */
  readonly measuringEngines?: boolean;
  /** Epoch (1-based) of the latest report; 0 before the run started. */
  readonly epoch: number;
  readonly batchInEpoch: number;
  readonly examplesPerSecond: number;
  /** The fused kernel's thread count and measured rates, once settled; null before (and for TF.js ops). */
  readonly threads: ThreadChoice | null;
  /** Learning rate in use (schedule or override), from the latest report; null before training. */
  readonly learningRate: number | null;
  readonly curves: LiveCurves;
  /** Training time of each completed epoch, ms. */
  readonly epochMs: readonly number[];
  /** Training examples seen, as of the latest report (batch or epoch). */
  readonly examples: number;
  /** Training time in ms (excluding pauses and evaluation), as of the latest report. */
  readonly trainingMs: number;
  /** The outcome, once the run's test evaluations are done. */
  readonly result: RunFinishedReport | null;
  /**
   * `tf.memory().numTensors` in the worker: sampled with each batch report while training (flat
   * in a healthy run), then the count after the run freed its tensors (0 = nothing leaked).
   */
  readonly tensorsAlive: number | null;
  /**
   * The analyses received, in epoch order (an epoch analysed twice keeps the latest). They are
   * computed off the training thread, so they may trail the epochs (also after `run-finished`),
   * and an epoch overtaken by a newer one while waiting is never analysed: the last is the newest.
   */
  readonly analyses: readonly EpochAnalysis[];
  /** Why the latest analysis that failed did (training went on); null when none failed. */
  readonly analysisError: { readonly epoch: number; readonly message: string } | null;
  /**
   * What the end of each completed epoch cost the training thread (validation; handing the
   * weights to the analysis), beside `epochMs`; the bench holds analysis ≤ 10% of the epoch.
   * Null for a report that did not say (made by hand).
   */
  readonly epochEnds: readonly (EpochEndTimings | null)[];
  /**
   * Per dense layer, the sampled steps' gradient norms and update ratios, thinned to a bounded
   * size (`core/layerStepNorms.ts`); null once a report said the engine does not measure them.
   */
  readonly layerSteps: LayerStepSeries | null;
}

/** The events that belong to the run slice. */
export type LiveRunEvent = Extract<
  WorkerEvent,
  { type: 'run-started' | 'batch' | 'epoch' | 'run-finished' | 'analysis' | 'analysis-failed' }
>;

const NO_CURVES: LiveCurves = {
  trainLoss: [],
  trainAccuracy: [],
  validationLoss: [],
  validationAccuracy: [],
};

/** A run just sent to the worker: nothing reported yet. */
export function newRun(start: RunStart): LiveRun {
  return {
    start,
    shape: null,
    epoch: 0,
    batchInEpoch: 0,
    examplesPerSecond: 0,
    threads: null,
    learningRate: null,
    curves: NO_CURVES,
    epochMs: [],
    examples: 0,
    trainingMs: 0,
    result: null,
    tensorsAlive: null,
    analyses: [],
    analysisError: null,
    epochEnds: [],
    layerSteps: NO_LAYER_STEPS,
  };
}

/** `series` and one point per step of `batch`, with `values[i]` as the value of step `i`. */
function appendSteps(
  series: readonly ReportedPoint[],
  batch: BatchReport,
  values: Float32Array,
  batchesPerEpoch: number,
): readonly ReportedPoint[] {
  const added: ReportedPoint[] = [];
  for (let i = 0; i < batch.steps.length; i++) {
    added.push({
      x: (batch.steps[i] ?? 0) / batchesPerEpoch,
      y: values[i] ?? Number.NaN,
      examples: batch.examples[i] ?? 0,
      ms: batch.trainingMs[i] ?? 0,
    });
  }
  return series.concat(added);
}

/** `analyses` with `analysis` in epoch order, replacing an earlier analysis of the same epoch. */
function withAnalysis(analyses: readonly EpochAnalysis[], analysis: EpochAnalysis): EpochAnalysis[] {
  const kept = analyses.filter((a) => a.epoch !== analysis.epoch);
  const at = kept.findIndex((a) => a.epoch > analysis.epoch);
  if (at < 0) return [...kept, analysis];
  return [...kept.slice(0, at), analysis, ...kept.slice(at)];
}

/** The per-step layer series after a report's `layerNorms` (absent: unchanged; null: not measured). */
function foldLayerSteps(
  series: LayerStepSeries | null,
  norms: BatchReport['layerNorms'],
): LayerStepSeries | null {
  if (norms === undefined) return series;
  if (norms === null || series === null) return null;
  return foldLayerStepNorms(series, norms);
}

/** The run after one of its events (the caller has checked the event belongs to it). */
export function foldRunEvent(run: LiveRun, event: LiveRunEvent): LiveRun {
  switch (event.type) {
    case 'run-started':
      return { ...run, shape: event, epoch: 1 };
    case 'batch': {
      const last = event.steps.length - 1;
      const batchesPerEpoch = run.shape?.batchesPerEpoch ?? 1;
      return {
        ...run,
        epoch: event.epoch,
        batchInEpoch: event.batchInEpoch,
        examplesPerSecond: event.examplesPerSecond,
        threads: event.threads ?? run.threads,
        learningRate: event.learningRate,
        tensorsAlive: event.tensors,
        examples: event.examples[last] ?? run.examples,
        trainingMs: event.trainingMs[last] ?? run.trainingMs,
        layerSteps: foldLayerSteps(run.layerSteps, event.layerNorms),
        curves: {
          ...run.curves,
          trainLoss: appendSteps(run.curves.trainLoss, event, event.losses, batchesPerEpoch),
          trainAccuracy: appendSteps(run.curves.trainAccuracy, event, event.accuracies, batchesPerEpoch),
        },
      };
    }
    case 'epoch': {
      const { validation } = event;
      const at = { x: event.epoch, examples: event.examples, ms: event.trainingMs };
      return {
        ...run,
        epochMs: [...run.epochMs, event.epochMs],
        epochEnds: [...run.epochEnds, event.endOfEpoch ?? null],
        learningRate: event.learningRate,
        examples: event.examples,
        trainingMs: event.trainingMs,
        curves:
          validation === null
            ? run.curves
            : {
                ...run.curves,
                validationLoss: [...run.curves.validationLoss, { ...at, y: validation.loss }],
                validationAccuracy: [...run.curves.validationAccuracy, { ...at, y: validation.accuracy }],
              },
      };
    }
    case 'run-finished':
      return { ...run, result: event, tensorsAlive: event.tensorsAlive };
    case 'analysis':
      return { ...run, analyses: withAnalysis(run.analyses, event.analysis) };
    case 'analysis-failed':
      return { ...run, analysisError: { epoch: event.epoch, message: event.message } };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
