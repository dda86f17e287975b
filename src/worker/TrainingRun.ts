import * as tf from '@tensorflow/tfjs-core';
import { validateConfig, type TrainingConfig } from '../core/config.ts';
import { extraTrainingProblem } from '../core/extraTraining.ts';
import { receivedRowCount } from '../core/mnistShards.ts';
import type { RunOutcome } from '../core/runReports.ts';
import { switchBackend } from '../ml/backend.ts';
import type { Predictor } from '../ml/predictor.ts';
import { MAX_STEP_DELAY_MS, RunController } from '../ml/runControl.ts';
import type { AnalysisSink } from '../ml/epochAnalyser.ts';
import { runTraining, type LoopHooks, type MnistData, type RunResult } from '../ml/trainingLoop.ts';
import { checkInitialWeights } from './modelCommands.ts';
import type { WorkerCommand, WorkerEvent } from './protocol.ts';
import { keepChoice, selectEngine, type EngineSelection } from './engineSelection.ts';
import type { SessionEnvironment, SessionResources } from './SessionResources.ts';

/** The page's command to train a config (see `worker/protocol.ts`). */
export type StartCommand = Extract<WorkerCommand, { type: 'start' }>;

/** A step delay the control accepts: a bad value from the page is clamped, not refused. */
export const clampStepDelay = (ms: number) => Math.min(Math.max(ms, 0), MAX_STEP_DELAY_MS);

/**
 * One training run in the worker, from its `start` command to `run-finished`: it validates the
 * command, owns the run's {@link RunController} (the page's pause/stop/step/speed commands steer
 * it) and forwards each of the loop's reports as an event `{ type, runId, ...report }`.
 */
export class TrainingRun {
  readonly runId: string;
  readonly config: TrainingConfig;
  readonly control = new RunController();
  /** The running model's latest weights; set once the loop has started. */
  snapshot: (() => Promise<Predictor>) | null = null;
  /** Resolves when the run is over, however it ended. */
  readonly done: Promise<void>;
  private finish: () => void = () => {};

  /** Checks `start` (its config, and any weights it continues from); throws why it cannot run. */
  constructor(readonly start: StartCommand) {
    this.runId = start.runId;
    const validation = validateConfig(start.config);
    if (!validation.ok) {
      const problems = Object.entries(validation.errors).map(([field, message]) => `${field}: ${message}`);
      throw new Error(`Invalid config: ${problems.join('; ')}`);
    }
    this.config = validation.config;
    const problem = start.initialWeights ? checkInitialWeights(this.config, start.initialWeights) : null;
    if (problem !== null) throw new Error(problem);
    const extraProblem = start.extraTraining ? extraTrainingProblem(start.extraTraining) : null;
    if (extraProblem !== null) throw new Error(extraProblem);
    if (start.startPaused === true) this.control.pause();
    const delay = clampStepDelay(start.stepDelayMs ?? 0);
    if (delay > 0) this.control.setStepDelay(delay);
    this.done = new Promise<void>((resolve) => (this.finish = resolve));
  }

  /**
   * Trains on `data`, posting the run's events through `env` (all but `run-finished`). An `auto`
   * engine is chosen first (measured, or kept from an earlier measurement; see
   * `engineSelection.ts`), switching `resources`' backend to the choice's. The analysis of the
   * last epochs may still be under way when it returns; it is posted when ready.
   */
  async train(data: MnistData, env: SessionEnvironment, resources?: SessionResources): Promise<RunResult> {
    const selection = await this.selectEngine(data, env, resources);
    const analysis = this.start.analysis !== false ? this.analysisHooks(data, env) : {};
    try {
      const result = await this.runLoop(data, env, analysis, selection);
      void analysis.analyser?.finish();
      return result;
    } catch (error) {
      analysis.analyser?.dispose();
      throw error;
    }
  }

  /**
   * The engine of an `auto` run where the session can measure (`env.engineTrial`), and its
   * backend made the session's; the run's own choice otherwise. A Stop during the trial ends it
   * early, and the run then stops before its first step.
   */
  private async selectEngine(
    data: MnistData,
    env: SessionEnvironment,
    resources: SessionResources | undefined,
  ): Promise<EngineSelection> {
    const { start, control } = this;
    const engine = start.engine ?? 'auto';
    if (env.engineTrial === undefined || resources === undefined) return keepChoice(engine);
    const selection = await selectEngine({
      config: this.config,
      images: data.train,
      engine,
      backend: start.backend,
      environment: env.engineTrial,
      host: {
        useBackend: switchBackend,
        now: () => env.now(),
        yieldToEventLoop: () => env.yieldToEventLoop(),
        stopRequested: () => control.stopRequested,
      },
      onMeasuring: () => env.post({ type: 'measuring-engines', runId: this.runId }),
    });
    if (selection.backend !== null)
      await resources.adoptBackend(this.runId, start.backend, selection.backend);
    return selection;
  }

  /**
   * How the run's epochs get analysed: by the session's analysis worker when there is one, else
   * in process. Either way the loop does not wait, and the events carry this run's id.
   */
  private analysisHooks(
    data: MnistData,
    env: SessionEnvironment,
  ): Pick<LoopHooks, 'analyser' | 'onAnalysis' | 'onAnalysisFailed'> {
    const { runId } = this;
    const sink: AnalysisSink = {
      deliver: (analysis) => env.post({ type: 'analysis', runId, analysis }),
      fail: (epoch, message) => env.post({ type: 'analysis-failed', runId, epoch, message }),
    };
    if (env.analysisHost === undefined) return { onAnalysis: sink.deliver, onAnalysisFailed: sink.fail };
    const run = { runId, model: this.config.model, layerHealth: this.start.layerHealth !== false };
    return { analyser: env.analysisHost.forRun(run, data.test, sink) };
  }

  private runLoop(
    data: MnistData,
    env: SessionEnvironment,
    analysis: Partial<LoopHooks>,
    selection: EngineSelection,
  ): Promise<RunResult> {
    const { runId, start, control } = this;
    const post = env.post;
    return runTraining(this.config, data, {
      control,
      engine: selection.engine,
      threads: { host: env.kernelThreads ?? null, request: start.threads ?? 'auto' },
      now: () => env.now(),
      yieldToEventLoop: () => env.yieldToEventLoop(),
      onStart: (report) =>
        post({
          type: 'run-started',
          runId,
          ...report,
          engine: selection.describe(report.engine),
          ...(data.receivedShards ? { receivedImages: receivedRowCount(data.receivedShards) } : {}),
        }),
      onModel: (snapshot) => {
        this.snapshot = snapshot;
      },
      onStepStarted: () => post({ type: 'resumed', runId }),
      onBatches: (report) => post({ type: 'batch', runId, ...report }),
      onEpoch: (report) => post({ type: 'epoch', runId, ...report }),
      onEvaluating: () => post({ type: 'evaluating', runId }),
      onPaused: () => post({ type: 'paused', runId }),
      onResumed: () => post({ type: 'resumed', runId }),
      ...analysis,
      ...(start.initialWeights ? { initialWeights: start.initialWeights } : {}),
      ...(start.extraTraining ? { extraTraining: start.extraTraining } : {}),
      ...(start.layerHealth === false ? { layerNorms: false } : {}),
    });
  }

  /**
   * The `run-finished` event of `result`: its outcome (the weights stay in the worker, they are
   * not cloneable) and the tensors still alive now that the run freed its own.
   */
  finishedEvent(result: RunResult): Extract<WorkerEvent, { type: 'run-finished' }> {
    const { stopped, diverged, trainMs, finalTest, best } = result;
    const outcome: RunOutcome = { stopped, diverged, trainMs, finalTest, best };
    return { type: 'run-finished', runId: this.runId, ...outcome, tensorsAlive: tf.memory().numTensors };
  }

  /** The run is over, however it ended: a `start` waiting for it may go on. */
  end(): void {
    this.finish();
  }
}
