import * as tf from '@tensorflow/tfjs-core';
import type { TrainingConfig } from '../core/config.ts';
import type { BestEpoch, Evaluation } from '../core/runReports.ts';
import type { TensorSplit } from './dataset.ts';
import { takeSnapshot } from './epochAnalyser.ts';
import type { LossConfig } from './losses.ts';
import { restoreMlp, snapshotMlp, type Mlp } from './mlp.ts';
import type { ReportingWindow } from './reportingWindow.ts';
import type { RunResources } from './runResources.ts';
import type { LoopHooks } from './runTypes.ts';
import { evaluate } from './step.ts';

/**
 * The end of an epoch whose batches all ran: validation in inference mode, the best epoch's
 * weights kept, the weights handed to the analyser (which works elsewhere and is never awaited),
 * then `onEpoch` with what this cost the training thread. `epochMs` is the epoch's training time
 * (its clock already closed).
 */
export async function endEpoch(
  config: TrainingConfig,
  run: RunResources,
  window: ReportingWindow,
  hooks: Pick<LoopHooks, 'onEpoch' | 'now'>,
  epochMs: number,
): Promise<void> {
  const { epoch, step, examples, learningRate, trainingMs } = run.progress;
  const validationStart = hooks.now();
  run.engine.syncModel();
  // The fused engine evaluates on its own forward pass (threads, sparse input); else the TF.js model.
  const validation =
    run.validation.count > 0
      ? (run.engine.evaluateRows(run.validationRows) ??
        (await evaluate(run.model, run.validation, config.loss)))
      : null;
  run.best.offer(epoch, step, validation);
  const analysisStart = hooks.now();
  if (run.analyser !== null) run.analyser.analyse(await takeSnapshot(run.model, epoch, run.normalization));
  const analysisMs = run.analyser === null ? 0 : hooks.now() - analysisStart;
  hooks.onEpoch({
    epoch,
    step,
    examples,
    validation,
    epochMs,
    trainingMs,
    learningRate,
    ...window.epochMeans(),
    endOfEpoch: { validationMs: analysisStart - validationStart, analysisMs },
  });
}

/**
 * A copy of the weights (and batch-norm running statistics) of the epoch with the best
 * validation accuracy so far, the earliest on ties, to test them once the run ends.
 */
export class BestEpochWeights {
  private best: {
    readonly epoch: number;
    /** The global step the copy was taken at: the final weights are these if no step followed. */
    readonly step: number;
    readonly validationAccuracy: number;
    readonly snapshot: tf.Tensor[];
  } | null = null;

  constructor(private readonly model: Mlp) {}

  /** After `epoch`'s validation, at global step `step`: keeps the model's weights if they are the best. */
  offer(epoch: number, step: number, validation: Evaluation | null): void {
    if (validation === null) return;
    if (this.best !== null && validation.accuracy <= this.best.validationAccuracy) return;
    this.dispose();
    this.best = { epoch, step, validationAccuracy: validation.accuracy, snapshot: snapshotMlp(this.model) };
  }

  /**
   * Test evaluation of the best epoch's weights; null without validation or completed epochs.
   * When the model still holds them (no step since, not `restored` after a divergence) it reuses
   * `finalTest`; otherwise it loads them into the model, which then holds the best weights.
   */
  async evaluate(
    test: TensorSplit,
    loss: LossConfig,
    finalTest: Evaluation,
    final: { readonly step: number; readonly restored: boolean },
  ): Promise<BestEpoch | null> {
    if (this.best === null) return null;
    const { epoch, step, validationAccuracy, snapshot } = this.best;
    if (step === final.step && !final.restored) return { epoch, validationAccuracy, test: finalTest };
    restoreMlp(this.model, snapshot);
    return { epoch, validationAccuracy, test: await evaluate(this.model, test, loss) };
  }

  dispose(): void {
    if (this.best !== null) tf.dispose(this.best.snapshot);
    this.best = null;
  }
}
