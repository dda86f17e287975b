import type { BackendChoice, BackendName } from '../core/backends.ts';
import type { KernelThreadHost } from '../ml/fused/kernelPool.ts';
import type { MnistData } from '../ml/trainingLoop.ts';
import type { AnalysisHost } from './analysisHost.ts';
import type { EngineTrialEnvironment } from './engineSelection.ts';
import { watchWebglContextLoss } from './gpuLoss.ts';
import type { BackendInfo, WorkerEvent } from './protocol.ts';

/**
 * What the worker's session needs from its surroundings, injected so the session runs in unit
 * tests: the entry file (`trainer.worker.ts`) wires `self.postMessage`, the MNIST download and the
 * browser's TF.js backends; a test wires a list, a synthetic dataset and the cpu backend.
 */
export interface SessionEnvironment {
  /** The one way events leave the worker (typed arrays transferred). */
  post(event: WorkerEvent): void;
  /** Downloads and parses MNIST, reporting bytes as they arrive. */
  loadMnist(onProgress: (loadedBytes: number, totalBytes: number) => void): Promise<MnistData>;
  /** Registers the TF.js backends and brings `choice` up (or the best one for `auto`). */
  bringUpBackend(choice: BackendChoice): Promise<BackendInfo>;
  /** Lets messages in during busy training (a macrotask turn). */
  yieldToEventLoop(): Promise<void>;
  /** The clock, in ms. */
  now(): number;
  /**
   * Where runs' per-epoch analyses are computed (the analysis worker, see `analysisHost.ts`);
   * without one they run in process, on the training thread.
   */
  readonly analysisHost?: AnalysisHost;
  /** Where the fused kernel's helper threads come from (`kernelThreads.ts`); one thread without. */
  readonly kernelThreads?: KernelThreadHost;
  /**
   * What the measuring `auto` needs (cache, device, software hints; `engineSelection.ts`); without
   * it an `auto` run takes the unmeasured guess of `chooseEngine` (unit tests, the bench).
   */
  readonly engineTrial?: EngineTrialEnvironment;
}

/** The note a backend chosen by the engine trial carries in Details. */
const MEASURED_NOTE = 'chosen with the engine at Train, by measuring (see Engine)';

/** Fewest ms between two `data-progress` events (the last one always goes). */
const PROGRESS_EVERY_MS = 80;

/**
 * The data and the backend, each brought up once per worker and shared by its runs and requests.
 * A failed download or backend is not cached, so the next command retries it. Each caller is
 * told when they are ready (`data-ready`, `backend-ready` with its `runId`); the test images go
 * to the page once, before any analysis needs them.
 */
export class SessionResources {
  private data: Promise<MnistData> | null = null;
  private backend: { readonly choice: BackendChoice; readonly info: Promise<BackendInfo> } | null = null;
  private testImagesSent = false;

  /**
   * `progressRunId` names the run the download's progress events belong to (the latest command's);
   * `onWebglContextLost` is called if a WebGL backend's context goes away.
   */
  constructor(
    private readonly env: SessionEnvironment,
    private readonly progressRunId: () => string,
    private readonly onWebglContextLost: () => void,
  ) {}

  /** Brings up `choice`, then the data: what `prepare` and `start` need. */
  async prepare(runId: string, choice: BackendChoice): Promise<MnistData> {
    await this.ensureBackend(runId, choice);
    return this.ensureData(runId);
  }

  /** The data, downloaded on first use. */
  async ensureData(runId: string): Promise<MnistData> {
    const { env } = this;
    const started = env.now();
    if (this.data === null) {
      let lastPost = Number.NEGATIVE_INFINITY;
      const loading = env.loadMnist((loadedBytes, totalBytes) => {
        const now = env.now();
        if (now - lastPost < PROGRESS_EVERY_MS && loadedBytes < totalBytes) return;
        lastPost = now;
        env.post({ type: 'data-progress', runId: this.progressRunId(), loadedBytes, totalBytes });
      });
      this.data = loading;
      loading.catch(() => {
        if (this.data === loading) this.data = null;
      });
    }
    const data = await this.data;
    env.post({
      type: 'data-ready',
      runId,
      trainCount: data.train.count,
      testCount: data.test.count,
      loadMs: env.now() - started,
    });
    if (!this.testImagesSent) {
      this.testImagesSent = true;
      // Copies: the event's buffers are transferred, and the worker keeps training on the originals.
      env.post({
        type: 'test-images',
        runId,
        images: data.test.pixels.slice(),
        labels: data.test.labels.slice(),
      });
    }
    return data;
  }

  /** Brings up `choice` unless it is the backend already up (or coming up). */
  async ensureBackend(runId: string, choice: BackendChoice): Promise<void> {
    if (this.backend === null || this.backend.choice !== choice) {
      const info = this.env.bringUpBackend(choice);
      const backend = { choice, info };
      this.backend = backend;
      info.catch(() => {
        if (this.backend === backend) this.backend = null;
      });
    }
    this.announce(runId, await this.backend.info);
  }

  /** Watches a WebGL backend's context, and tells the page which backend is up. */
  private announce(runId: string, info: BackendInfo): void {
    if (info.name === 'webgl') watchWebglContextLoss(this.onWebglContextLost);
    this.env.post({ type: 'backend-ready', runId, backend: info });
  }

  /**
   * Makes `name` the session's backend for runs under `choice` (the engine trial's winner) and
   * tells the page; nothing happens when it is the one in use already.
   */
  async adoptBackend(runId: string, choice: BackendChoice, name: BackendName): Promise<void> {
    const current = this.backend === null ? null : await this.backend.info.catch(() => null);
    if (current?.name === name) return;
    const info = this.env.bringUpBackend(name).then((up) => ({ ...up, notes: [MEASURED_NOTE] }));
    const backend = { choice, info };
    this.backend = backend;
    info.catch(() => {
      if (this.backend === backend) this.backend = null;
    });
    this.announce(runId, await info);
  }

  /** Waits for the backend in use, or brings up the best one (`auto`) when there is none yet. */
  async anyBackend(runId: string): Promise<void> {
    if (this.backend === null) await this.ensureBackend(runId, 'auto');
    else await this.backend.info;
  }

  /** The backend is gone (its WebGL context was lost): the next run brings one up afresh. */
  forgetBackend(): void {
    this.backend = null;
  }
}
