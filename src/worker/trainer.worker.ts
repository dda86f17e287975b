/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice } from '../core/backends.ts';
import { validateConfig, type TrainingConfig } from '../core/config.ts';
import type { EngineChoice } from '../core/engines.ts';
import type { Predictor } from '../ml/predictor.ts';
import { MAX_STEP_DELAY_MS, RunController } from '../ml/runControl.ts';
import { runTraining, splitIndices, type InitialWeights, type MnistData } from '../ml/trainingLoop.ts';
import { previewAugmentations } from '../core/augment.ts';
import { firstPerClass } from '../core/sampling.ts';
import { describeValue } from '../core/describeValue.ts';
import { bringUpBackend } from './backends.ts';
import { loseWebglContext, watchWebglContextLoss } from './gpuLoss.ts';
import { fetchMnist } from './mnistFetch.ts';
import { checkInitialWeights, exportModel, loadModel, type WorkerModel } from './modelCommands.ts';
import { transferablesOf, type BackendInfo, type WorkerCommand, type WorkerEvent } from './protocol.ts';

/**
 * The training worker: the only owner of data, model and training. It answers commands from the
 * page with events, each tagged with the command's `runId`. This file is the only place that
 * touches `self`.
 */

declare const self: DedicatedWorkerGlobalScope;

/** The single place events leave the worker; typed arrays are transferred, not copied. */
function post(event: WorkerEvent): void {
  self.postMessage(event, transferablesOf(event));
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

let dataPromise: Promise<MnistData> | null = null;
let backendPromise: { choice: BackendChoice; info: Promise<BackendInfo> } | null = null;
let lastRunId = '';
interface ActiveRun {
  readonly runId: string;
  readonly config: TrainingConfig;
  readonly control: RunController;
  readonly done: Promise<void>;
  /** The running model's latest weights; set once the loop has started. */
  snapshot: (() => Promise<Predictor>) | null;
}
let activeRun: ActiveRun | null = null;
/**
 * The final weights of the last run that finished (or was stopped), or the last model loaded,
 * whichever came later: what predictions use between runs and what `export-model` sends.
 */
let finishedModel: WorkerModel | null = null;
/** Whether the page has been sent the test images (once per worker, before any analysis). */
let testImagesSent = false;

async function ensureData(runId: string): Promise<MnistData> {
  const started = performance.now();
  if (dataPromise === null) {
    let lastPost = 0;
    dataPromise = fetchMnist((loadedBytes, totalBytes) => {
      const now = performance.now();
      if (now - lastPost < 80 && loadedBytes < totalBytes) return;
      lastPost = now;
      post({ type: 'data-progress', runId: lastRunId, loadedBytes, totalBytes });
    });
    // A failed download is not cached, so the next command retries it.
    dataPromise.catch(() => {
      dataPromise = null;
    });
  }
  const data = await dataPromise;
  post({
    type: 'data-ready',
    runId,
    trainCount: data.train.count,
    testCount: data.test.count,
    loadMs: performance.now() - started,
  });
  if (!testImagesSent) {
    testImagesSent = true;
    // Copies: the event's buffers are transferred, and the worker keeps training on the originals.
    post({ type: 'test-images', runId, images: data.test.pixels.slice(), labels: data.test.labels.slice() });
  }
  return data;
}

async function ensureBackend(runId: string, choice: BackendChoice): Promise<void> {
  if (backendPromise === null || backendPromise.choice !== choice) {
    const info = bringUpBackend(choice);
    backendPromise = { choice, info };
    info.catch(() => {
      backendPromise = null;
    });
  }
  const info = await backendPromise.info;
  if (info.name === 'webgl') watchWebglContextLoss(onWebglContextLost);
  post({ type: 'backend-ready', runId, backend: info });
}

/**
 * The WebGL context is gone, and every tensor on it: stop the run (its weights lived on the GPU)
 * and tell the page, which replaces this worker so the next Train starts on a fresh backend.
 */
function onWebglContextLost(): void {
  const run = activeRun;
  run?.control.stop();
  backendPromise = null;
  post({
    type: 'error',
    runId: run?.runId ?? lastRunId,
    fatal: true,
    message: `The GPU's WebGL context was lost${run ? ' during training' : ''} (a GPU reset, a driver update or too much GPU memory in use)${run ? ', so the run stopped and its weights, which lived on the GPU, are gone' : ''}. Press Train to start again on a fresh backend, or pick WASM.`,
  });
}

async function prepare(runId: string, choice: BackendChoice): Promise<void> {
  await ensureBackend(runId, choice);
  await ensureData(runId);
}

const yieldToEventLoop = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });

async function train(
  runId: string,
  choice: BackendChoice,
  config: TrainingConfig,
  startPaused: boolean,
  engine: EngineChoice,
  withAnalysis: boolean,
  stepDelayMs: number,
  initialWeights: InitialWeights | undefined,
): Promise<void> {
  const control = new RunController();
  if (startPaused) control.pause();
  if (stepDelayMs > 0) control.setStepDelay(stepDelayMs);
  let finish = () => {};
  const run: ActiveRun = {
    runId,
    config,
    control,
    done: new Promise<void>((resolve) => (finish = resolve)),
    snapshot: null,
  };
  activeRun = run;
  try {
    await prepare(runId, choice);
    const result = await runTraining(config, await ensureData(runId), {
      control,
      engine,
      now: () => performance.now(),
      yieldToEventLoop,
      onStart: (info) => post({ type: 'run-started', runId, ...info }),
      onModel: (snapshot) => {
        run.snapshot = snapshot;
      },
      onStepStarted: () => post({ type: 'resumed', runId }),
      onBatches: (report) =>
        post({
          type: 'batch',
          runId,
          epoch: report.epoch,
          batchInEpoch: report.batchInEpoch,
          points: { steps: report.steps, losses: report.losses, accuracies: report.accuracies },
          examplesPerSecond: report.examplesPerSecond,
          learningRate: report.learningRate,
          trainingMs: report.trainingMs,
          tensors: tf.memory().numTensors,
        }),
      onEpoch: (report) =>
        post({
          type: 'epoch',
          runId,
          epoch: report.epoch,
          step: report.step,
          validationLoss: report.validation?.loss ?? null,
          validationAccuracy: report.validation?.accuracy ?? null,
          trainLoss: report.trainLoss,
          trainAccuracy: report.trainAccuracy,
          learningRate: report.learningRate,
          epochMs: report.epochMs,
          trainingMs: report.trainingMs,
        }),
      onEvaluating: () => post({ type: 'evaluating', runId }),
      onPaused: () => post({ type: 'paused', runId }),
      onResumed: () => post({ type: 'resumed', runId }),
      ...(withAnalysis ? { onAnalysis: (analysis) => post({ type: 'analysis', runId, analysis }) } : {}),
      ...(initialWeights ? { initialWeights } : {}),
    });
    finishedModel = {
      predictor: result.finalModel,
      config,
      testAccuracy: result.finalTest.accuracy,
      source: 'finished',
    };
    post({
      type: 'run-finished',
      runId,
      stopped: result.stopped,
      diverged: result.diverged,
      finalTest: result.finalTest,
      best: result.best,
      trainMs: result.trainMs,
      tensorsAlive: tf.memory().numTensors,
    });
  } finally {
    finish();
    if (activeRun?.runId === runId) activeRun = null;
  }
}

/**
 * Classifies one drawing with the latest weights: the running model's (synced from the engine, so
 * the very latest step), else the last finished run's, else none.
 */
async function predict(runId: string, requestId: number, pixels: Uint8Array): Promise<void> {
  const started = performance.now();
  const running = activeRun?.snapshot ?? null;
  const predictor = running !== null ? await running() : (finishedModel?.predictor ?? null);
  post({
    type: 'prediction',
    runId,
    requestId,
    probabilities: predictor?.predict(pixels) ?? null,
    source: predictor === null ? null : running !== null ? 'training' : (finishedModel?.source ?? null),
    epoch: predictor?.origin.epoch ?? null,
    ms: performance.now() - started,
  });
}

/** The running (or paused) model's latest weights, else the last finished or loaded model. */
function currentModel(): WorkerModel | (() => Promise<WorkerModel>) | null {
  const run = activeRun;
  const snapshot = run?.snapshot ?? null;
  if (run === null || snapshot === null) return finishedModel;
  return async () => ({
    predictor: await snapshot(),
    config: run.config,
    testAccuracy: null,
    source: 'finished',
  });
}

/** Installs a saved model (checked, then evaluated on the test images) as the worker's model. */
async function installModel(command: Extract<WorkerCommand, { type: 'load-model' }>): Promise<void> {
  if (backendPromise === null) await ensureBackend(command.runId, 'auto');
  else await backendPromise.info;
  const data = await ensureData(command.runId);
  const { event, model } = await loadModel(command, data.test, () => performance.now());
  if (model !== null) finishedModel = model;
  post(event);
}

/** Most images of each digit the per-class preview shows. */
const PREVIEW_MAX_PER_CLASS = 16;

/**
 * Augments images of the config's training split for the preview grid: the first `count` (up to
 * 64), or with `perClass` the first `perClass` of each digit, digit 0 first.
 */
async function previewAugmentation(
  runId: string,
  rawConfig: TrainingConfig,
  count: number,
  seed: number,
  perClass: number | undefined,
): Promise<void> {
  const validation = validateConfig(rawConfig);
  if (!validation.ok) throw new Error('Invalid config for the augmentation preview');
  const data = await ensureData(runId);
  const train = splitIndices(validation.config).train;
  const indices =
    perClass === undefined
      ? train.subarray(0, Math.max(0, Math.min(count, 64)))
      : firstPerClass(data.train.labels, Math.max(0, Math.min(perClass, PREVIEW_MAX_PER_CLASS)), train);
  const preview = previewAugmentations(data.train, [...indices], validation.config, seed >>> 0);
  post({ type: 'augmentation-preview', runId, ...preview });
}

async function handle(command: WorkerCommand): Promise<void> {
  switch (command.type) {
    case 'prepare':
      lastRunId = command.runId;
      return prepare(command.runId, command.backend);
    case 'start': {
      lastRunId = command.runId;
      const validation = validateConfig(command.config);
      if (!validation.ok) {
        const problems = Object.entries(validation.errors).map(([field, message]) => `${field}: ${message}`);
        throw new Error(`Invalid config: ${problems.join('; ')}`);
      }
      const initial = command.initialWeights;
      const problem = initial ? checkInitialWeights(validation.config, initial) : null;
      if (problem !== null) throw new Error(problem);
      if (activeRun !== null) {
        activeRun.control.stop();
        await activeRun.done;
      }
      return train(
        command.runId,
        command.backend,
        validation.config,
        command.startPaused === true,
        command.engine ?? 'auto',
        command.analysis !== false,
        Math.min(Math.max(command.stepDelayMs ?? 0, 0), MAX_STEP_DELAY_MS),
        initial,
      );
    }
    case 'pause':
      if (activeRun?.runId === command.runId) activeRun.control.pause();
      return;
    case 'resume':
      if (activeRun?.runId === command.runId) activeRun.control.resume();
      return;
    case 'stop':
      if (activeRun?.runId === command.runId) activeRun.control.stop();
      return;
    case 'step':
      if (activeRun?.runId === command.runId) activeRun.control.step(command.mode);
      return;
    case 'simulate-fault':
      if (!loseWebglContext())
        throw new Error('There is no WebGL context to lose: the WebGL backend is not in use.');
      return;
    case 'set-speed':
      if (activeRun?.runId === command.runId) {
        activeRun.control.setStepDelay(Math.min(Math.max(command.stepDelayMs, 0), MAX_STEP_DELAY_MS));
      }
      return;
    case 'set-learning-rate':
      if (activeRun?.runId === command.runId) activeRun.control.setLearningRate(command.learningRate);
      return;
    case 'predict':
      return predict(command.runId, command.requestId, command.pixels);
    case 'export-model':
      post(await exportModel(command.runId, command.requestId, currentModel()));
      return;
    case 'load-model':
      return installModel(command);
    case 'preview-augmentation':
      return previewAugmentation(
        command.runId,
        command.config,
        command.count,
        command.seed,
        command.perClass,
      );
    default: {
      const unknown: never = command;
      throw new Error(`Unknown command ${describeValue(unknown)}`);
    }
  }
}

self.addEventListener('message', (event: MessageEvent<WorkerCommand>) => {
  const runId = typeof event.data?.runId === 'string' ? event.data.runId : lastRunId;
  handle(event.data).catch((error: unknown) => post({ type: 'error', runId, message: messageOf(error) }));
});

self.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  event.preventDefault();
  post({ type: 'error', runId: lastRunId, message: messageOf(event.reason) });
});
