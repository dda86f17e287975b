import { createTrainerWorker } from '../client/TrainerClient.ts';
import { TrainerSession } from '../client/TrainerSession.ts';
import type { BackendChoice } from '../core/backends.ts';
import { effectiveTrainingExamples } from '../core/config.ts';
import { parseThreadRequest } from '../core/kernelThreads.ts';
import type {
  BenchRunResult,
  BenchRunSpec,
  BenchWindow,
  DataLoadResult,
  EpochTiming,
  FitResult,
  FitSpec,
  GpuProbeResult,
  GpuProbeSpec,
} from './benchApi.ts';

/**
 * The bench page (`bench.html`): trains in the app's real training worker through the same
 * `TrainerSession` the UI uses, and runs the stock Layers `model.fit` baseline in a worker of its
 * own. `scripts/bench.ts` drives it through `window` (see {@link BenchWindow}); there is no UI.
 */

/** How long a stopped run may take to wind down (finish its batch, evaluate) before we give up. */
const STOP_GRACE_MS = 60_000;
/** Loading MNIST and bringing up a backend (software WebGPU compiles shaders slowly). */
const SETUP_LIMIT_MS = 120_000;
/** How long a `settleAnalysis` run waits after its result for the last epoch's analysis. */
const SETTLE_LIMIT_MS = 20_000;

/** `bench.html?threads=N` forces the fused kernel's thread count, as `?threads=` does on the app page. */
const threadRequest =
  parseThreadRequest(new URLSearchParams(location.search).get('threads') ?? 'auto') ?? 'auto';

let session: TrainerSession | null = null;
let sessionBackend: BackendChoice | null = null;

/** One worker per backend, reused across runs so data and backend stay warm. */
function sessionFor(backend: BackendChoice): TrainerSession {
  if (session !== null && sessionBackend === backend) return session;
  resetWorker();
  session = new TrainerSession(createTrainerWorker);
  sessionBackend = backend;
  return session;
}

function resetWorker(): void {
  session?.dispose();
  session = null;
  sessionBackend = null;
}

function runBench(spec: BenchRunSpec): Promise<BenchRunResult> {
  const trainer = sessionFor(spec.backend);
  const plannedExamples = effectiveTrainingExamples(spec.config) * spec.config.training.epochs;
  return new Promise<BenchRunResult>((resolve) => {
    let runId: string | null = null;
    let backendChecked = false;
    let capped = false;
    let startedAt: number | null = null;
    let trainedAt: number | null = null;
    const requestedAt = performance.now();
    const epochAt: number[] = [];
    const analysisAt = new Map<number, number>();
    const timers: number[] = [];
    /** The result, measured when it reached the page, held while the last analysis settles. */
    let settled: BenchRunResult | null = null;
    let settleTimer: number | null = null;
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

    /** Follows the run through the session's state: backend up, started, evaluating, finished. */
    const onChange = () => {
      const state = trainer.getSnapshot();
      if (state.runId !== runId) return;
      if (state.phase === 'error') return finish({ ok: false, error: state.error ?? 'unknown error' }, true);
      const backend = state.worker.backend;
      if (!backendChecked && backend !== null) {
        backendChecked = true;
        if (spec.backend !== 'auto' && backend.name !== spec.backend) {
          return giveUp(`asked for ${spec.backend}, the worker brought up ${backend.name}`);
        }
      }
      const run = state.run;
      if (startedAt === null && run?.shape) {
        startedAt = performance.now();
        timers.forEach((timer) => window.clearTimeout(timer));
        timers.push(
          window.setTimeout(() => {
            capped = true;
            trainer.stop();
            timers.push(window.setTimeout(() => giveUp('the run did not stop after its cap'), STOP_GRACE_MS));
          }, spec.capMs),
        );
      }
      if (trainedAt === null && state.phase === 'evaluating') trainedAt = performance.now();
      if (run !== null && startedAt !== null) {
        const now = performance.now() - startedAt;
        while (epochAt.length < run.epochMs.length) epochAt.push(now);
        for (const analysis of run.analyses)
          if (!analysisAt.has(analysis.epoch)) analysisAt.set(analysis.epoch, now);
      }
      const result = run?.result ?? null;
      if (run === null || result === null || startedAt === null) return;
      // The examples the loop reports having trained (the short last batches included).
      const examples = result.stopped ? Math.min(plannedExamples, run.examples) : plannedExamples;
      const wallMs = (trainedAt ?? performance.now()) - startedAt;
      // The slower of the two clocks: the worker's trainMs can leave out GPU work it waits
      // for while reading back losses, which the page's clock sees.
      const ms = Math.max(wallMs, result.trainMs);
      settled ??= {
        ok: true,
        backend: backend?.name ?? 'cpu',
        threads: backend?.threads ?? 1,
        crossOriginIsolated: backend?.crossOriginIsolated ?? false,
        engine: run.shape?.engine ?? null,
        examples,
        trainMs: result.trainMs,
        wallMs,
        resultMs: performance.now() - requestedAt,
        examplesPerSecond: examples / (ms / 1000),
        capped: capped || result.stopped,
        testAccuracy: result.finalTest.accuracy,
        tensorsAlive: result.tensorsAlive,
        epochs: run.epochMs.map((epochMs, i): EpochTiming => ({
          epochMs,
          epochAtMs: epochAt[i] ?? wallMs,
          analysisAtMs: analysisAt.get(i + 1) ?? null,
          validationMs: run.epochEnds[i]?.validationMs ?? null,
          analysisMs: run.epochEnds[i]?.analysisMs ?? null,
        })),
        kernelThreads: run.threads,
      };
      const lastAnalysed = run.analyses.some((a) => a.epoch === run.epochMs.length);
      if (!spec.settleAnalysis || lastAnalysed || run.epochMs.length === 0) return finish(settled);
      if (settleTimer === null) {
        const done = settled;
        settleTimer = window.setTimeout(() => finish(done), SETTLE_LIMIT_MS);
        timers.push(settleTimer);
      }
    };
    const unsubscribe = trainer.subscribe(onChange);
    runId = trainer.train(
      { config: spec.config, backend: spec.backend, engine: spec.engine, threads: threadRequest },
      {
        analysis: spec.analysis,
        ...(spec.layerHealth === undefined ? {} : { layerHealth: spec.layerHealth }),
      },
    );
  });
}

/** A fresh worker loads MNIST once; `data-ready.loadMs` is what a person waits after opening the page. */
function measureDataLoad(): Promise<DataLoadResult> {
  const fresh = new TrainerSession(createTrainerWorker);
  return new Promise<DataLoadResult>((resolve, reject) => {
    fresh.subscribe(() => {
      const { worker, phase, error } = fresh.getSnapshot();
      if (worker.data !== null) {
        fresh.dispose();
        resolve({ loadMs: worker.data.loadMs });
      } else if (phase === 'error') {
        fresh.dispose();
        reject(new Error(error ?? 'unknown error'));
      }
    });
    // cpu comes up instantly, so the worker spends its time on the data.
    fresh.prepare('cpu');
  });
}

/** Posts `request` to a fresh `worker`, resolves with its one answer (or its crash), then ends it. */
function askOnce<Request, Result>(
  worker: Worker,
  request: Request,
  crashed: (message: string) => Result,
): Promise<Result> {
  return new Promise<Result>((resolve) => {
    const done = (result: Result) => {
      worker.terminate();
      resolve(result);
    };
    worker.addEventListener('message', (message: MessageEvent<Result>) => done(message.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      done(crashed(event.message || 'unknown error'));
    });
    worker.postMessage(request);
  });
}

const runFitBaseline = (spec: FitSpec) =>
  askOnce(
    new Worker(new URL('./fitBaseline.worker.ts', import.meta.url), { type: 'module' }),
    spec,
    (crash) => {
      const result: FitResult = { ok: false, error: `the fit worker crashed: ${crash}` };
      return result;
    },
  );

const probeGpuSteps = (spec: GpuProbeSpec) =>
  askOnce(new Worker(new URL('./gpuProbe.worker.ts', import.meta.url), { type: 'module' }), spec, (crash) => {
    const result: GpuProbeResult = { ok: false, spec, error: `the probe worker crashed: ${crash}` };
    return result;
  });

const api: BenchWindow = { runBench, measureDataLoad, runFitBaseline, probeGpuSteps, resetWorker };
Object.assign(window, api);
document.body.dataset['benchReady'] = 'true';
