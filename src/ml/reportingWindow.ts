import * as tf from '@tensorflow/tfjs-core';
import type { StepEngine } from './engine.ts';
import type { WeightCheckpoints } from './checkpoints.ts';
import type { PendingPoints, StepNorms, StepValue } from './pending.ts';
import type { RunProgress } from './runProgress.ts';
import type { LoopHooks } from './runTypes.ts';

/** The first NaN, ∞ or exploded batch loss read back, where training stops (see `checkpoints.ts`). */
export interface DivergencePoint {
  readonly step: number;
  readonly epoch: number;
  /** The bad loss. */
  readonly value: number;
  /** The learning rate of the latest step when it was read. */
  readonly learningRate: number;
}

/**
 * The steps since the last `onBatches` report, and what reading them back reveals. Steps are
 * collected as they are taken (their losses left on the backend); a report reads them all in one
 * transfer, checks the losses for divergence, adds them to the epoch's training means and sends
 * one {@link BatchReport} whose examples/s is over the window's training time. Reports are
 * throttled to one per `reportEveryMs` (default 100 ms, ~10/s), except that a loss known bad at
 * once (the fused engine's) is reported at once.
 */
export class ReportingWindow {
  private readonly reportEveryMs: number;
  /** When the window opened (clock ms), and the examples trained in it since. */
  private openedAt: number;
  private examples = 0;
  /** The epoch's example-weighted sums of batch loss and accuracy, over `seen` examples. */
  private epochSums = { seen: 0, loss: 0, correct: 0 };
  private divergence: DivergencePoint | null = null;
  /** The next step measures its layer norms: the first step of every window. */
  private sampleNext = true;

  constructor(
    private readonly hooks: Pick<LoopHooks, 'now' | 'onBatches' | 'reportEveryMs' | 'layerNorms'>,
    private readonly pending: PendingPoints,
    private readonly checkpoints: WeightCheckpoints,
    private readonly progress: RunProgress,
    private readonly engine: Pick<StepEngine, 'threadChoice'>,
  ) {
    this.reportEveryMs = hooks.reportEveryMs ?? 100;
    this.openedAt = hooks.now();
  }

  /** Set once a report read a NaN, ∞ or exploded loss: the run must stop. */
  get diverged(): DivergencePoint | null {
    return this.divergence;
  }

  /** Whether steps wait to be reported. */
  get hasPoints(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Whether the next step should measure its layer norms (`core/layerStepNorms.ts`): the first
   * step after each report, so every report carries one sample (~10 a second) and the other steps
   * pay nothing. Never when the run turned layer norms off.
   */
  get wantsNorms(): boolean {
    return this.sampleNext && this.hooks.layerNorms !== false;
  }

  /**
   * Records the step just taken (after `progress.advance` and its training time): its batch of
   * `size` examples, the loss and accuracy the engine returned and, on a sampled step, its layer
   * norms (tensors are owned from now on).
   */
  add(size: number, loss: StepValue, accuracy: StepValue, norms?: StepNorms): void {
    const { step, examples, trainingMs } = this.progress;
    this.pending.push({
      step,
      examples,
      trainingMs,
      size,
      loss,
      accuracy,
      ...(norms === undefined ? {} : { norms }),
    });
    this.examples += size;
    this.sampleNext = false;
  }

  /** Whether to report now, at clock `now`: the window is old enough, or `loss` is known bad. */
  due(now: number, loss: StepValue): boolean {
    return (
      (typeof loss === 'number' && this.checkpoints.isBad(loss)) || now - this.openedAt >= this.reportEveryMs
    );
  }

  /**
   * Reads the collected steps back and reports them as `batchInEpoch` batches into `epoch`. The
   * read-back waits for the backend to finish the queued steps (on GPU backends most of the
   * work), so its time counts as training. Opens a new window.
   */
  async report(epoch: number, batchInEpoch: number): Promise<void> {
    const { hooks, progress } = this;
    const started = hooks.now();
    const elapsed = Math.max(started - this.openedAt, 1e-3);
    const { sizes, ...points } = await this.pending.drain();
    const bad = this.divergence === null ? this.checkpoints.check(points.steps, points.losses) : null;
    if (bad !== null) this.divergence = { ...bad, epoch, learningRate: progress.learningRate };
    sizes.forEach((size, i) => {
      this.epochSums.seen += size;
      this.epochSums.loss += size * (points.losses[i] ?? 0);
      this.epochSums.correct += size * (points.accuracies[i] ?? 0);
    });
    const threads = this.engine.threadChoice();
    hooks.onBatches({
      epoch,
      batchInEpoch,
      ...points,
      ...(threads === null ? {} : { threads }),
      examplesPerSecond: (this.examples * 1000) / elapsed,
      learningRate: progress.learningRate,
      tensors: tf.memory().numTensors,
    });
    const now = hooks.now();
    progress.addTrainingTime(now - started);
    this.restart(now);
  }

  /** Opens a new window at `now` (after a pause, a step delay or an epoch's evaluation). */
  restart(now = this.hooks.now()): void {
    this.openedAt = now;
    this.examples = 0;
    this.sampleNext = true;
  }

  /** Starts the epoch's training means afresh. */
  startEpoch(): void {
    this.epochSums = { seen: 0, loss: 0, correct: 0 };
  }

  /** Example-weighted means of the epoch's training-mode batch data losses and accuracies. */
  epochMeans(): { trainLoss: number; trainAccuracy: number } {
    const seen = Math.max(this.epochSums.seen, 1);
    return { trainLoss: this.epochSums.loss / seen, trainAccuracy: this.epochSums.correct / seen };
  }
}
