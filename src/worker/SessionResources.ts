import type { BackendChoice, BackendName } from '../core/backends.ts';
import type { KernelThreadHost } from '../ml/fused/kernelPool.ts';
import { receivedRowCount } from '../core/mnistShards.ts';
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
  /**
   * Downloads and parses MNIST, reporting bytes as they arrive (of the files needed before the
   * first training shard is in) and, where the training images come in shards, the data received
   * so far (`onPartial`, see `mnistFetch.ts`); resolves with all of it.
   */
  loadMnist(
    onProgress: (loadedBytes: number, totalBytes: number) => void,
    onPartial?: (data: MnistData) => void,
  ): Promise<MnistData>;
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

/** Whether a caller can work on the training images received so far, or needs all 60,000. */
export type DataWanted = 'received-so-far' | 'complete';

/** A download: all of MNIST, and the first data a run can use (the test set and a first shard). */
interface MnistDownload {
  readonly complete: Promise<MnistData>;
  readonly firstUsable: Promise<MnistData>;
}

/** Fewest ms between two `data-progress` events (the last one always goes). */
const PROGRESS_EVERY_MS = 80;

/**
 * The data and the backend, each brought up once per worker and shared by its runs and requests.
 * A failed download or backend is not cached, so the next command retries it. Each caller is
 * told when they are ready (`data-ready`, `backend-ready` with its `runId`); the test images go
 * to the page once, before any analysis needs them.
 */
export class SessionResources {
  private data: MnistDownload | null = null;
  /** The most data in while the training images are still arriving (then all of it). */
  private received: MnistData | null = null;
  /** Whether the page was told it may train on part of the training images (a `data-ready` said so). */
  private partialOffered = false;
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
  async prepare(runId: string, choice: BackendChoice, wanted?: DataWanted): Promise<MnistData> {
    // The download starts at once: the backend's WASM and the data share the link, never idle it.
    void this.download().complete.catch(() => undefined);
    await this.ensureBackend(runId, choice);
    return this.ensureData(runId, wanted);
  }

  /**
   * The data, downloaded on first use. `received-so-far`: as soon as the test set and a first
   * training shard are in (what preparing the page, loading a model and previews need);
   * `complete`: all 60,000 training images, except when the page has already been told it may
   * train on part of them (a `data-ready` of a partial set went out), as a first visit's Train
   * press is. A fresh worker's first `start` (a comparison's) so waits for all of it.
   */
  async ensureData(runId: string, wanted: DataWanted = 'received-so-far'): Promise<MnistData> {
    const started = this.env.now();
    const download = this.download();
    const data =
      wanted === 'received-so-far' || this.partialOffered
        ? await this.latest(download)
        : await download.complete;
    this.announceData(runId, data, this.env.now() - started);
    if (!this.testImagesSent) {
      this.testImagesSent = true;
      // Copies: the event's buffers are transferred, and the worker keeps training on the originals.
      this.env.post({
        type: 'test-images',
        runId,
        images: data.test.pixels.slice(),
        labels: data.test.labels.slice(),
      });
    }
    return data;
  }

  /** The most data in as soon as some is usable: all of it, or the shards received so far. */
  private async latest(download: MnistDownload): Promise<MnistData> {
    const first = await Promise.race([download.complete, download.firstUsable]);
    return this.received ?? first;
  }

  /** The download in progress or done, started on first use; a failed one starts afresh. */
  private download(): MnistDownload {
    if (this.data !== null) return this.data;
    const { env } = this;
    const started = env.now();
    let lastPost = Number.NEGATIVE_INFINITY;
    let usable: (data: MnistData) => void = () => {};
    const firstUsable = new Promise<MnistData>((resolve) => (usable = resolve));
    const complete = env.loadMnist(
      (loadedBytes, totalBytes) => {
        const now = env.now();
        if (now - lastPost < PROGRESS_EVERY_MS && loadedBytes < totalBytes) return;
        lastPost = now;
        env.post({ type: 'data-progress', runId: this.progressRunId(), loadedBytes, totalBytes });
      },
      (partial) => {
        this.received = partial;
        usable(partial);
        // The first is announced by whoever awaits it; later shards update the page's count.
        if (this.partialOffered) this.announceData(this.progressRunId(), partial, env.now() - started);
      },
    );
    const download = { complete, firstUsable };
    this.data = download;
    complete.then(
      (data) => {
        usable(data);
        this.received = data;
        if (this.partialOffered) this.announceData(this.progressRunId(), data, env.now() - started);
      },
      (error: unknown) => {
        if (this.data !== download) return;
        this.data = null;
        // After the page was told it could train, nobody awaits the rest: say it failed.
        if (this.partialOffered)
          env.post({ type: 'error', runId: this.progressRunId(), message: (error as Error).message });
        this.received = null;
        this.partialOffered = false;
      },
    );
    return download;
  }

  /** Tells the page what data the worker holds: `trainCount` of the 60,000 training images are in. */
  private announceData(runId: string, data: MnistData, loadMs: number): void {
    if (data.receivedShards !== undefined) this.partialOffered = true;
    this.env.post({
      type: 'data-ready',
      runId,
      trainCount: receivedRowCount(data.receivedShards),
      testCount: data.test.count,
      loadMs,
    });
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
