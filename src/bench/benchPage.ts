import { TrainerClient, createTrainerWorker } from '../client/TrainerClient.ts';
import type { BackendChoice } from '../core/backends.ts';
import { effectiveBatchSize, effectiveTrainingExamples } from '../core/config.ts';
import type { BackendInfo, EngineInfo, WorkerEvent } from '../worker/protocol.ts';
import type {
  BenchRunResult,
  BenchRunSpec,
  BenchWindow,
  DataLoadResult,
  FitResult,
  FitSpec,
} from './benchApi.ts';

/**
 * The bench page (`bench.html`): trains in the app's real training worker through the same
 * `TrainerClient` the UI uses, and runs the stock Layers `model.fit` baseline in a worker of its
 * own. `scripts/bench.ts` drives it through `window` (see {@link BenchWindow}); there is no UI.
 */

/** How long a stopped run may take to wind down (finish its batch, evaluate) before we give up. */
const STOP_GRACE_MS = 60_000;
/** Loading MNIST and bringing up a backend (software WebGPU compiles shaders slowly). */
const SETUP_LIMIT_MS = 120_000;

let client: TrainerClient | null = null;
let clientBackend: BackendChoice | null = null;

/** One worker per backend, reused across runs so data and backend stay warm. */
function clientFor(backend: BackendChoice): TrainerClient {
  if (client !== null && clientBackend === backend) return client;
  resetWorker();
  client = new TrainerClient(createTrainerWorker);
  clientBackend = backend;
  return client;
}

function resetWorker(): void {
  client?.dispose();
  client = null;
  clientBackend = null;
}

function lastOf(values: Uint32Array): number {
  return values.length > 0 ? (values[values.length - 1] ?? 0) : 0;
}

function runBench(spec: BenchRunSpec): Promise<BenchRunResult> {
  const trainer = clientFor(spec.backend);
  const runId = trainer.newRunId();
  const batchSize = effectiveBatchSize(spec.config);
  const plannedExamples = effectiveTrainingExamples(spec.config) * spec.config.training.epochs;
  return new Promise<BenchRunResult>((resolve) => {
    let backend: BackendInfo | null = null;
    let engine: EngineInfo | null = null;
    let lastStep = 0;
    let capped = false;
    let startedAt = 0;
    let trainedAt: number | null = null;
    const timers: number[] = [];
    const finish = (result: BenchRunResult, broken = false) => {
      timers.forEach((timer) => window.clearTimeout(timer));
      unsubscribe();
      if (broken) resetWorker();
      resolve(result);
    };
    const giveUp = (message: string) => finish({ ok: false, error: message }, true);
    timers.push(
      window.setTimeout(() => giveUp('the backend or data did not come up in time'), SETUP_LIMIT_MS),
    );

    const onEvent = (event: WorkerEvent) => {
      if (event.runId !== runId) return;
      switch (event.type) {
        case 'backend-ready':
          backend = event.backend;
          if (spec.backend !== 'auto' && backend.name !== spec.backend) {
            giveUp(`asked for ${spec.backend}, the worker brought up ${backend.name}`);
          }
          return;
        case 'run-started':
          startedAt = performance.now();
          // `?? null`: a worker from before the engine switch sends no engine.
          engine = event.engine ?? null;
          timers.forEach((timer) => window.clearTimeout(timer));
          timers.push(
            window.setTimeout(() => {
              capped = true;
              trainer.send({ type: 'stop', runId });
              timers.push(
                window.setTimeout(() => giveUp('the run did not stop after its cap'), STOP_GRACE_MS),
              );
            }, spec.capMs),
          );
          return;
        case 'batch':
          lastStep = Math.max(lastStep, lastOf(event.points.steps));
          return;
        case 'evaluating':
          trainedAt = performance.now();
          return;
        case 'run-finished': {
          const examples = event.stopped ? Math.min(plannedExamples, lastStep * batchSize) : plannedExamples;
          const wallMs = (trainedAt ?? performance.now()) - startedAt;
          // The slower of the two clocks: the worker's trainMs can leave out GPU work it waits
          // for while reading back losses, which the page's clock sees.
          const ms = Math.max(wallMs, event.trainMs);
          finish({
            ok: true,
            backend: backend?.name ?? 'cpu',
            threads: backend?.threads ?? 1,
            crossOriginIsolated: backend?.crossOriginIsolated ?? false,
            engine,
            examples,
            trainMs: event.trainMs,
            wallMs,
            examplesPerSecond: examples / (ms / 1000),
            capped: capped || event.stopped,
            testAccuracy: event.finalTest.accuracy,
            tensorsAlive: typeof event.tensorsAlive === 'number' ? event.tensorsAlive : null,
          });
          return;
        }
        case 'error':
          finish({ ok: false, error: event.message }, true);
          return;
        default:
          return;
      }
    };
    const unsubscribe = trainer.subscribe(onEvent);
    trainer.send({ type: 'start', runId, backend: spec.backend, config: spec.config, engine: spec.engine });
  });
}

/** A fresh worker loads MNIST once; `data-ready.loadMs` is what a person waits after opening the page. */
function measureDataLoad(): Promise<DataLoadResult> {
  const fresh = new TrainerClient(createTrainerWorker);
  const runId = fresh.newRunId();
  return new Promise<DataLoadResult>((resolve, reject) => {
    fresh.subscribe((event) => {
      if (event.type === 'data-ready') {
        fresh.dispose();
        resolve({ loadMs: event.loadMs });
      } else if (event.type === 'error') {
        fresh.dispose();
        reject(new Error(event.message));
      }
    });
    // cpu comes up instantly, so the worker spends its time on the data.
    fresh.send({ type: 'prepare', runId, backend: 'cpu' });
  });
}

function runFitBaseline(spec: FitSpec): Promise<FitResult> {
  const worker = new Worker(new URL('./fitBaseline.worker.ts', import.meta.url), {
    type: 'module',
    name: 'fit-baseline',
  });
  return new Promise<FitResult>((resolve) => {
    const done = (result: FitResult) => {
      worker.terminate();
      resolve(result);
    };
    worker.addEventListener('message', (message: MessageEvent<FitResult>) => done(message.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      done({ ok: false, error: `the fit worker crashed: ${event.message || 'unknown error'}` });
    });
    worker.postMessage(spec);
  });
}

const api: BenchWindow = { runBench, measureDataLoad, runFitBaseline, resetWorker };
Object.assign(window, api);
document.body.dataset['benchReady'] = 'true';
