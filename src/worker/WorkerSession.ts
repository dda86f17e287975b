import { previewAugmentations } from '../core/augment.ts';
import { validateConfig } from '../core/config.ts';
import { describeValue } from '../core/describeValue.ts';
import { firstPerClass } from '../core/sampling.ts';
import { currentGpuLimits } from '../ml/memoryGuard.ts';
import type { Predictor } from '../ml/predictor.ts';
import { splitIndices } from '../ml/trainingLoop.ts';
import {
  deviceLostMessage,
  isWebgpuActive,
  isWebgpuDeviceLost,
  loseWebgpuDevice,
  reviveWebgpuBackend,
  watchWebgpuDeviceLoss,
  type DeviceLoss,
} from './gpuDeviceLoss.ts';
import { loseWebglContext } from './gpuLoss.ts';
import { exportModel, loadModel, type WorkerModel } from './modelCommands.ts';
import {
  ANSWER_TYPES,
  type GpuFault,
  type PredictionSource,
  type WorkerCommand,
  type WorkerEvent,
  type WorkerRequest,
} from './protocol.ts';
import { RangeTests } from './rangeTests.ts';
import { SessionResources, type SessionEnvironment } from './SessionResources.ts';
import { clampStepDelay, TrainingRun, type StartCommand } from './TrainingRun.ts';
import { UnitTopImageScans } from './unitTopImages.ts';

/** Most images of each digit the per-class augmentation preview shows. */
const PREVIEW_MAX_PER_CLASS = 16;
/** Most images the plain augmentation preview shows. */
const PREVIEW_MAX = 64;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Whether `command` asks a question (it carries a `requestId` its answer or error repeats). */
const isRequest = (command: WorkerCommand): command is WorkerRequest =>
  Object.hasOwn(ANSWER_TYPES, command.type);

/**
 * Everything one training worker holds, in one object: the data and backend (brought up once),
 * the run in progress, and the model it answers drawings with between runs. It turns commands
 * into events through its environment and never touches `self` (the entry file,
 * `trainer.worker.ts`, does), so it runs in unit tests.
 *
 * Streams (a run's progress) carry the run's `runId`. Requests (`predict`, `export-model`,
 * `load-model`, `preview-augmentation`) are answered by exactly one event with their
 * `requestId`: the answer, or an `error` carrying it.
 */
export class WorkerSession {
  private readonly resources: SessionResources;
  /** The `runId` of the latest command, for events no command asked for (progress, faults). */
  private lastRunId = '';
  private activeRun: TrainingRun | null = null;
  /**
   * The final weights of the last run that finished (or was stopped), or the last model loaded,
   * whichever came later: what predictions use between runs and what `export-model` sends.
   */
  private finishedModel: WorkerModel | null = null;
  /** Runs stopped by a lost GPU device: their later stream events (a failed read, …) are dropped. */
  private readonly abandonedRuns = new Set<string>();
  /** Settles once a lost WebGPU device's backend is registered afresh (after its run has ended). */
  private webgpuRevival: Promise<void> = Promise.resolve();
  /** The environment with its `post` filtered (see {@link abandonedRuns}); `raw` posts everything. */
  private readonly env: SessionEnvironment;
  /** `find-learning-rate`: one learning-rate range test at a time, on a model of its own. */
  private readonly rangeTests: RangeTests;
  /** `unit-top-images`: the neuron inspector's scans of the test images. */
  private readonly topImageScans: UnitTopImageScans;

  constructor(private readonly raw: SessionEnvironment) {
    this.env = { ...raw, post: (event) => this.post(event) };
    this.rangeTests = new RangeTests(this.env);
    this.topImageScans = new UnitTopImageScans(() => raw.yieldToEventLoop());
    this.resources = new SessionResources(
      this.env,
      () => this.lastRunId,
      () => this.onWebglContextLost(),
    );
  }

  /** Handles one command from the page; a failure becomes an `error` event (with its `requestId`). */
  async receive(command: WorkerCommand): Promise<void> {
    const runId = typeof command?.runId === 'string' ? command.runId : this.lastRunId;
    try {
      await this.handle(command);
    } catch (error) {
      const requestId =
        typeof command === 'object' && command !== null && isRequest(command) ? command.requestId : undefined;
      this.env.post({
        type: 'error',
        runId,
        ...(typeof requestId === 'number' ? { requestId } : {}),
        message: messageOf(error),
      });
    }
  }

  /** A failure nothing awaited (an unhandled rejection): reported against the latest run. */
  reportUnexpected(reason: unknown): void {
    this.env.post({ type: 'error', runId: this.lastRunId, message: messageOf(reason) });
  }

  private async handle(command: WorkerCommand): Promise<void> {
    const run = this.activeRun?.runId === command.runId ? this.activeRun : null;
    switch (command.type) {
      case 'prepare': {
        this.lastRunId = command.runId;
        await this.webgpuRevival;
        const data = await this.resources.prepare(command.runId, command.backend);
        // The analysis worker starts now too, so the first epoch does not share a core with it.
        this.env.analysisHost?.prepare(data.test);
        return;
      }
      case 'start':
        this.lastRunId = command.runId;
        return this.train(command);
      case 'pause':
        return run?.control.pause();
      case 'resume':
        return run?.control.resume();
      case 'stop':
        if (run !== null) return run.control.stop();
        // A run already over (Reset after it ended): its last analysis is no longer wanted.
        return this.env.analysisHost?.cancel(command.runId);
      case 'step':
        return run?.control.step(command.mode);
      case 'set-speed':
        return run?.control.setStepDelay(clampStepDelay(command.stepDelayMs));
      case 'set-learning-rate':
        return run?.control.setLearningRate(command.learningRate);
      case 'simulate-fault':
        return simulateFault(command.fault);
      case 'forget-engine-choices':
        return this.env.engineTrial?.cache?.clear();
      case 'predict':
        return this.predict(command);
      case 'export-model':
        this.env.post(await exportModel(command.runId, command.requestId, this.currentModel()));
        return;
      case 'load-model':
        return this.installModel(command);
      case 'preview-augmentation':
        return this.previewAugmentation(command);
      case 'find-learning-rate':
        if (this.activeRun !== null) throw new Error('Stop the run first: the range test needs the worker.');
        await this.webgpuRevival;
        return this.rangeTests.run(command, await this.resources.prepare(command.runId, command.backend));
      case 'unit-top-images':
        return this.unitTopImages(command);
      default: {
        const unknown: never = command;
        throw new Error(`Unknown command ${describeValue(unknown)}`);
      }
    }
  }

  /** Runs `start` to its end, after stopping (and awaiting) the run in progress, if any. */
  private async train(start: StartCommand): Promise<void> {
    const run = new TrainingRun(start);
    if (this.activeRun !== null) {
      this.activeRun.control.stop();
      await this.activeRun.done;
    }
    await this.rangeTests.cancel();
    // A lost device's backend is revived first, so a loss while this waits stops no run.
    await this.webgpuRevival;
    this.activeRun = run;
    try {
      // All 60,000 training images, unless the page was already offered the ones received so far.
      const data = await this.resources.prepare(start.runId, start.backend, 'complete');
      const result = await run.train(data, this.env, this.resources);
      this.finishedModel = {
        predictor: result.finalModel,
        config: run.config,
        testAccuracy: result.finalTest.accuracy,
        source: 'finished',
      };
      this.env.post(run.finishedEvent(result));
    } catch (error) {
      // A read that failed because the GPU device went: its loss handler stops the run and says so.
      if (!(await isWebgpuDeviceLost())) throw error;
    } finally {
      run.end();
      if (this.activeRun === run) this.activeRun = null;
    }
  }

  /**
   * The WebGL context is gone, and every tensor on it: stop the run (its weights lived on the GPU)
   * and tell the page, which replaces this worker so the next Train starts on a fresh backend.
   */
  private onWebglContextLost(): void {
    const run = this.activeRun;
    run?.control.stop();
    this.resources.forgetBackend();
    this.env.post({
      type: 'error',
      runId: run?.runId ?? this.lastRunId,
      fatal: true,
      message: `The GPU's WebGL context was lost${run ? ' during training' : ''} (a GPU reset, a driver update or too much GPU memory in use)${run ? ', so the run stopped and its weights, which lived on the GPU, are gone' : ''}. Press Train to start again on a fresh backend, or pick WASM.`,
    });
  }

  /** Posts `event` unless it is a stream event of a run a lost GPU device stopped. */
  private post(event: WorkerEvent): void {
    if (this.abandonedRuns.has(event.runId) && !('requestId' in event)) return;
    // Every bring-up (the session's, or one a run makes) may have made a new WebGPU device.
    if (event.type === 'backend-ready' || event.type === 'run-started')
      watchWebgpuDeviceLoss((loss) => this.onWebgpuDeviceLost(loss));
    this.raw.post(event.type === 'backend-ready' ? withGpuLimits(event) : event);
  }

  /**
   * The WebGPU device is gone, and every buffer on it. If the webgpu backend is the one in use:
   * stop the run (its weights lived on the GPU), drop what it still reports (reads that fail now),
   * and tell the page, once. Either way, once that run has ended and freed its tensors, the
   * backend is registered afresh, so the next command that needs it gets a new device — in this
   * worker, with the data and the last finished model (plain arrays) kept.
   */
  private onWebgpuDeviceLost(loss: DeviceLoss): void {
    const inUse = isWebgpuActive();
    const run = this.activeRun;
    const previous = this.webgpuRevival;
    this.webgpuRevival = Promise.all([previous, run?.done])
      .then(() => reviveWebgpuBackend())
      .catch((error: unknown) => this.reportUnexpected(error));
    if (!inUse) return;
    if (run !== null) {
      this.abandonedRuns.add(run.runId);
      run.control.stop();
      this.activeRun = null;
    }
    this.resources.forgetBackend();
    this.raw.post({
      type: 'error',
      runId: run?.runId ?? this.lastRunId,
      message: deviceLostMessage(loss, run !== null),
    });
  }

  /**
   * Classifies one drawing with the latest weights: the running model's (synced from the engine, so
   * the very latest step), else the last finished run's, else none.
   */
  private async predict(command: Extract<WorkerRequest, { type: 'predict' }>): Promise<void> {
    const started = this.env.now();
    const { predictor, source } = await this.latestPredictor();
    const inspection = predictor?.inspect(command.pixels) ?? null;
    const { unit } = command;
    this.env.post({
      type: 'prediction',
      runId: command.runId,
      requestId: command.requestId,
      probabilities: inspection?.probabilities ?? null,
      activations: inspection?.activations ?? null,
      saliency: predictor?.saliency(command.pixels) ?? null,
      unit: unit && predictor ? predictor.unitDetail(command.pixels, unit.layer, unit.unit) : null,
      source,
      epoch: predictor?.origin.epoch ?? null,
      ms: this.env.now() - started,
    });
  }

  /** The weights answers use: the running model's (synced from the engine), else the last finished or loaded. */
  private async latestPredictor(): Promise<{ predictor: Predictor | null; source: PredictionSource | null }> {
    const running = this.activeRun?.snapshot ?? null;
    if (running !== null) return { predictor: await running(), source: 'training' };
    return { predictor: this.finishedModel?.predictor ?? null, source: this.finishedModel?.source ?? null };
  }

  /** The test images that activate a hidden unit most, for the weights `predict` would use now. */
  private async unitTopImages(command: Extract<WorkerRequest, { type: 'unit-top-images' }>): Promise<void> {
    const started = this.env.now();
    const { predictor, source } = await this.latestPredictor();
    const test = predictor === null ? null : (await this.resources.ensureData(command.runId)).test;
    const top =
      predictor === null || test === null
        ? null
        : await this.topImageScans.scan(predictor, test, command.layer, command.unit);
    this.env.post({
      type: 'unit-top-images',
      runId: command.runId,
      requestId: command.requestId,
      top,
      source,
      epoch: predictor?.origin.epoch ?? null,
      ms: this.env.now() - started,
    });
  }

  /** The running (or paused) model's latest weights, else the last finished or loaded model. */
  private currentModel(): WorkerModel | (() => Promise<WorkerModel>) | null {
    const run = this.activeRun;
    const snapshot = run?.snapshot ?? null;
    if (run === null || snapshot === null) return this.finishedModel;
    return async () => ({
      predictor: await snapshot(),
      config: run.config,
      testAccuracy: null,
      source: 'finished',
    });
  }

  /** Installs a saved model (checked, then evaluated on the test images) as the worker's model. */
  private async installModel(command: Extract<WorkerRequest, { type: 'load-model' }>): Promise<void> {
    await this.webgpuRevival;
    await this.resources.anyBackend(command.runId);
    const data = await this.resources.ensureData(command.runId);
    const { event, model } = await loadModel(command, data.test, () => this.env.now());
    if (model !== null) this.finishedModel = model;
    this.env.post(event);
  }

  /**
   * Augments images of the config's training split for the preview grid: the first `count` (up to
   * {@link PREVIEW_MAX}), or with `perClass` the first `perClass` of each digit, digit 0 first.
   */
  private async previewAugmentation(
    command: Extract<WorkerRequest, { type: 'preview-augmentation' }>,
  ): Promise<void> {
    const { runId, requestId, count, seed, perClass } = command;
    const validation = validateConfig(command.config);
    if (!validation.ok) throw new Error('Invalid config for the augmentation preview');
    const data = await this.resources.ensureData(runId);
    const train = splitIndices(validation.config, data.receivedShards).train;
    const indices =
      perClass === undefined
        ? train.subarray(0, Math.max(0, Math.min(count, PREVIEW_MAX)))
        : firstPerClass(data.train.labels, Math.max(0, Math.min(perClass, PREVIEW_MAX_PER_CLASS)), train);
    const preview = previewAugmentations(data.train, [...indices], validation.config, seed >>> 0);
    this.env.post({ type: 'augmentation-preview', runId, requestId, ...preview });
  }
}

/** The `simulate-fault` aid: causes `fault`, or throws why it cannot (that backend is not up). */
function simulateFault(fault: GpuFault): void {
  switch (fault) {
    case 'webgl-context-loss':
      if (!loseWebglContext())
        throw new Error('There is no WebGL context to lose: the WebGL backend is not in use.');
      return;
    case 'webgpu-device-loss':
      if (!loseWebgpuDevice())
        throw new Error('There is no WebGPU device to lose: the webgpu backend is not in use.');
      return;
    default:
      return fault satisfies never;
  }
}

/** A `backend-ready` of the `webgpu` backend with its device's buffer caps, for the page's memory check. */
function withGpuLimits(event: Extract<WorkerEvent, { type: 'backend-ready' }>): WorkerEvent {
  const gpuLimits = event.backend.name === 'webgpu' ? currentGpuLimits() : null;
  return gpuLimits === null ? event : { ...event, backend: { ...event.backend, gpuLimits } };
}
