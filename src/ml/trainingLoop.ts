import { configParameterCount, type TrainingConfig } from '../core/config.ts';
import { describeDivergence } from '../core/divergence.ts';
import { learningRateAt } from '../core/schedule.ts';
import { endEpoch } from './epochEnd.ts';
import { assertRunFits } from './memoryGuard.ts';
import { PauseGate } from './pauseGate.ts';
import { Predictor } from './predictor.ts';
import { ReportingWindow, type DivergencePoint } from './reportingWindow.ts';
import {
  createRunResources,
  disposeRunResources,
  modelSnapshots,
  type RunResources,
} from './runResources.ts';
import type { LoopHooks, MnistData, RunResult } from './runTypes.ts';
import { evaluate } from './step.ts';

export { splitIndices } from './dataset.ts';
export type * from './runTypes.ts';

/**
 * The epoch/batch loop, independent of where it runs: the worker and the Node CLI supply hooks
 * for reporting, pausing and yielding. Per-batch loss/accuracy stay on the backend and are read
 * in one batch per report, so the loop never waits on the device after each step.
 *
 * Its parts: the run's set-up and disposal (`runResources.ts`), the epoch orders whose first one
 * is fingerprinted (`dataOrder.ts`), the reporting window (`reportingWindow.ts`), the pause/step
 * gate (`pauseGate.ts`), the end of an epoch (`epochEnd.ts`) and the end of the run (here).
 *
 * Randomness: `config.seed` splits into independent streams (see `core/runStreams.ts`) for the
 * initial weights, the epoch shuffles, dropout masks and augmentation, so turning one knob does
 * not change the others' draws: same seed ⇒ same data order for any model, and same initial
 * weights for any variant of the same architecture. Same seed + config + backend ⇒ same curves.
 */

/**
 * Trains `config` on `data`, reporting through `hooks`; frees every tensor it made before
 * returning. With `hooks.initialWeights` the run continues from saved weights (and their input
 * normalisation) instead of a fresh draw; the optimizer still starts from scratch.
 */
export async function runTraining(
  config: TrainingConfig,
  data: MnistData,
  hooks: LoopHooks,
): Promise<RunResult> {
  // Before allocating anything: a config too big for memory gets a message, not a crash.
  assertRunFits(config, hooks.engine);
  const run = createRunResources(config, data, hooks);
  try {
    await run.engine.ready();
    const result = await train(config, run, hooks);
    // An analyser the run made itself (in process) delivers the last epoch's analysis first.
    if (run.ownsAnalyser) await run.analyser?.finish();
    return result;
  } finally {
    disposeRunResources(run);
  }
}

/** How an epoch's batches ended: all ran, the user stopped the run, or the loss diverged. */
type EpochEnding = 'completed' | 'stopped' | 'diverged';

/** The parts one run's epochs share. */
interface Loop {
  readonly config: TrainingConfig;
  readonly run: RunResources;
  readonly hooks: LoopHooks;
  readonly window: ReportingWindow;
  readonly gate: PauseGate;
  readonly yielder: Yielder;
}

/**
 * Reports the run's shape, then trains epoch by epoch (each closed by its validation, see
 * `epochEnd.ts`) until the last one, a stop or a divergence, and finishes the run.
 */
async function train(config: TrainingConfig, run: RunResources, hooks: LoopHooks): Promise<RunResult> {
  const { engine, shape } = run;
  hooks.onStart({
    epochs: config.training.epochs,
    batchesPerEpoch: shape.batchesPerEpoch,
    batchSize: shape.batchSize,
    trainingExamples: engine.count,
    validationExamples: run.validation.count,
    parameterCount: configParameterCount(config),
    normalization: run.normalization,
    engine: engine.info,
    fingerprints: run.fingerprints,
  });
  hooks.onModel?.(modelSnapshots(run));
  const window = new ReportingWindow(hooks, run.pending, run.checkpoints, run.progress, run.engine);
  const loop: Loop = {
    config,
    run,
    hooks,
    window,
    gate: new PauseGate(hooks, window, engine),
    yielder: new Yielder(hooks),
  };
  let ending: EpochEnding = 'completed';
  for (let epoch = 1; epoch <= config.training.epochs; epoch++) {
    run.progress.epoch = epoch;
    ending = await trainEpoch(loop, epoch);
    const epochMs = run.progress.closeEpoch();
    if (ending !== 'completed') break;
    await endEpoch(config, run, window, hooks, epochMs);
    loop.gate.epochDone();
    window.restart();
  }
  return finishRun(config, run, hooks, ending === 'stopped', window.diverged);
}

/** Runs `epoch`'s batches (see {@link trainBatches}), then reports the steps not reported yet. */
async function trainEpoch(loop: Loop, epoch: number): Promise<EpochEnding> {
  const { run, window } = loop;
  const stepsBefore = run.progress.step;
  window.startEpoch();
  const ending = await trainBatches(loop, epoch, run.orders.next());
  if (window.hasPoints) await window.report(epoch, run.progress.step - stepsBefore);
  return window.diverged ? 'diverged' : ending;
}

/**
 * Steps through `order` (`[count]` positions, this epoch's shuffle) batch by batch, each through
 * the pause gate, reporting when the window is due. A slowed-down run (Speed control) reports
 * every step as it happens, then waits.
 */
async function trainBatches(loop: Loop, epoch: number, order: Int32Array): Promise<EpochEnding> {
  const { config, run, hooks, window, gate, yielder } = loop;
  const { control } = hooks;
  const { batchSize, batchesPerEpoch } = run.shape;
  for (let b = 0; b < batchesPerEpoch; b++) {
    if (!(await gate.pass(epoch, b))) return window.diverged ? 'diverged' : 'stopped';
    const started = hooks.now();
    const batch = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, order.length));
    const learningRate = control.learningRateOverride ?? learningRateAt(config, epoch, b / batchesPerEpoch);
    const { loss, accuracy, norms } = run.engine.step(batch, learningRate, window.wantsNorms);
    run.progress.advance(batch.length, learningRate);
    run.checkpoints.afterStep(run.progress.step, epoch);
    const now = hooks.now();
    run.progress.addTrainingTime(now - started);
    window.add(batch.length, loss, accuracy, norms);
    if (control.stepDelayMs > 0) {
      // Slowed down for watching: show this step at once, then wait (not counted as training).
      await window.report(epoch, b + 1);
      if (window.diverged) return 'diverged';
      await control.waitStepDelay();
      window.restart(yielder.restart());
      if (control.stopRequested) return 'stopped';
      continue;
    }
    // A fused step's loss is a number already: a bad one is reported (and stops the run) at once.
    if (window.due(now, loss)) await window.report(epoch, b + 1);
    if (window.diverged) return 'diverged';
    await yielder.maybeYield(now);
    if (control.stopRequested) return 'stopped';
  }
  return 'completed';
}

/**
 * Gives the event loop a turn (so pause and stop messages get in) every `yieldEveryMs` of busy
 * training (default 25 ms).
 */
class Yielder {
  private readonly every: number;
  private last: number;

  constructor(private readonly hooks: Pick<LoopHooks, 'now' | 'yieldToEventLoop' | 'yieldEveryMs'>) {
    this.every = hooks.yieldEveryMs ?? 25;
    this.last = hooks.now();
  }

  /** Yields when `every` ms passed since the last turn (at clock `now`). */
  async maybeYield(now: number): Promise<void> {
    if (now - this.last < this.every) return;
    await this.hooks.yieldToEventLoop();
    this.last = this.hooks.now();
  }

  /** Counts from now (after a wait that let the event loop in anyway); returns the clock. */
  restart(): number {
    this.last = this.hooks.now();
    return this.last;
  }
}

/**
 * After training: the engine's weights into the model (or, for a diverged run, the last good
 * ones), the final model frozen for drawings, and the test evaluations of the final and the best
 * epoch's weights.
 */
async function finishRun(
  config: TrainingConfig,
  run: RunResources,
  hooks: LoopHooks,
  stopped: boolean,
  divergedAt: DivergencePoint | null,
): Promise<RunResult> {
  hooks.onEvaluating();
  run.engine.syncModel();
  // After the sync, which would write the engine's (non-finite) weights over the restored ones.
  const diverged =
    divergedAt === null
      ? null
      : describeDivergence({
          ...divergedAt,
          firstLoss: run.checkpoints.firstLoss,
          optimizer: config.optimizer.kind,
          restored: run.checkpoints.restore(),
        });
  // Before the best epoch's evaluation, which may load that epoch's weights into the model.
  const finalModel = await Predictor.fromMlp(run.model, run.normalization, run.progress.origin());
  run.finalModel = finalModel;
  const finalTest = await evaluate(run.model, run.test, config.loss);
  const best = await run.best.evaluate(run.test, config.loss, finalTest, {
    step: run.progress.step,
    restored: diverged !== null,
  });
  return {
    stopped: stopped && diverged === null,
    diverged,
    trainMs: run.progress.trainingMs,
    finalTest,
    test: finalTest,
    best,
    normalization: run.normalization,
    finalModel,
  };
}
