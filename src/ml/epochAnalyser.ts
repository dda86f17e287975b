import type { EpochAnalysis } from '../core/analysisTypes.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { LabelledImages } from '../core/idx.ts';
import type { NormalizationStats } from '../core/normalization.ts';
import { AnalysisSession, type EpochSnapshot } from './analysisSession.ts';
import type { Mlp } from './mlp.ts';
import { Predictor } from './predictor.ts';

export type { EpochSnapshot } from './analysisSession.ts';

/**
 * The per-epoch analysis behind one small interface, so the training loop hands each epoch's
 * weights over and trains on without waiting: in the browser the analysis runs on a worker of its
 * own (`worker/analysisHost.ts`), in Node and in tests in process ({@link inProcessAnalyser}).
 * Both schedule alike ({@link NewestSnapshotAnalyser}): one analysis at a time, and of the
 * snapshots that arrive meanwhile only the newest waits, so a fast run skips stale epochs instead
 * of queueing without bound, and the page always gets the newest views.
 */

/** Where an analyser's results go. */
export interface AnalysisSink {
  /** An epoch's analysis is ready (possibly after later epochs' reports and after the run ended). */
  deliver(analysis: EpochAnalysis): void;
  /** An epoch's analysis failed (`message` says why); later snapshots are still analysed. */
  fail(epoch: number, message: string): void;
}

/** The per-epoch analysis of one run, seen from the training loop. */
export interface EpochAnalyser {
  /**
   * Hands `snapshot` over and returns at once; its analysis reaches the sink later. While one
   * analysis runs, only the newest snapshot waits: an older waiting one is skipped.
   */
  analyse(snapshot: EpochSnapshot): void;
  /**
   * No more snapshots: the analysis running and the newest waiting one are still delivered, then
   * what the analyser holds is freed. Resolves once that is done.
   */
  finish(): Promise<void>;
  /** Cancels: nothing more is delivered, waiting snapshots are dropped, everything is freed. Idempotent. */
  dispose(): void;
}

/** Computes one snapshot's analysis (in process, or by asking the analysis worker). */
export type AnalyseSnapshot = (snapshot: EpochSnapshot) => Promise<EpochAnalysis>;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The scheduling both analysers share: at most one `compute` at a time, at most one snapshot
 * waiting (the newest), results delivered unless cancelled, and `release` called exactly once,
 * when the analyser is finished or cancelled and nothing is running any more.
 */
export class NewestSnapshotAnalyser implements EpochAnalyser {
  /** Epochs whose snapshots were skipped (a newer one came while they waited, or cancelled), in order. */
  readonly skipped: number[] = [];
  private running = false;
  private waiting: EpochSnapshot | null = null;
  private phase: 'open' | 'finishing' | 'cancelled' | 'released' = 'open';
  private readonly whenReleased: (() => void)[] = [];
  /** The rest after an analysis (see `restFactor`): when it ends, and its timer while it runs. */
  private restUntil = 0;
  private resting: ReturnType<typeof setTimeout> | null = null;

  /**
   * @param restFactor after an analysis that took d ms, the next starts no sooner than
   *   `restFactor`·d ms later (the newest snapshot waits), so analyses take at most
   *   1/(1 + restFactor) of a core however short the epochs are — the cores they share with
   *   training stay mostly training's. 0: back to back. The last snapshot of a finishing run
   *   never waits.
   */
  constructor(
    private readonly compute: AnalyseSnapshot,
    private readonly sink: AnalysisSink,
    private readonly release: () => void,
    private readonly restFactor = 0,
  ) {}

  analyse(snapshot: EpochSnapshot): void {
    if (this.phase !== 'open') return;
    if (!this.running && this.resting === null && this.restUntil <= performance.now()) {
      return this.start(snapshot);
    }
    if (this.waiting !== null) this.skipped.push(this.waiting.epoch);
    this.waiting = snapshot;
    if (!this.running) this.restThenStart();
  }

  finish(): Promise<void> {
    if (this.phase === 'open') this.phase = 'finishing';
    const released = new Promise<void>((resolve) => this.whenReleased.push(resolve));
    if (this.resting !== null) this.wake();
    this.settle();
    return released;
  }

  dispose(): void {
    if (this.phase === 'released') return;
    this.phase = 'cancelled';
    if (this.waiting !== null) this.skipped.push(this.waiting.epoch);
    this.waiting = null;
    if (this.resting !== null) clearTimeout(this.resting);
    this.resting = null;
    this.settle();
  }

  private get delivering(): boolean {
    return this.phase === 'open' || this.phase === 'finishing';
  }

  /** Starts the waiting snapshot once the rest is over (at once when finishing). */
  private restThenStart(): void {
    const rest = this.restUntil - performance.now();
    if (this.phase === 'finishing' || rest <= 0) return this.wake();
    this.resting ??= setTimeout(() => this.wake(), rest);
  }

  private wake(): void {
    if (this.resting !== null) clearTimeout(this.resting);
    this.resting = null;
    const next = this.waiting;
    this.waiting = null;
    if (next !== null && this.delivering) this.start(next);
    else this.settle();
  }

  private start(snapshot: EpochSnapshot): void {
    this.running = true;
    const started = performance.now();
    let computing: Promise<EpochAnalysis>;
    try {
      computing = this.compute(snapshot);
    } catch (error) {
      computing = Promise.reject(error);
    }
    void computing
      .then(
        (analysis) => {
          if (this.delivering) this.sink.deliver(analysis);
        },
        (error: unknown) => {
          if (this.delivering) this.sink.fail(snapshot.epoch, messageOf(error));
        },
      )
      .finally(() => {
        this.running = false;
        const now = performance.now();
        this.restUntil = now + (now - started) * this.restFactor;
        if (this.waiting !== null && this.delivering) this.restThenStart();
        else this.settle();
      });
  }

  /** Releases once finished or cancelled and idle; then resolves every `finish()`. */
  private settle(): void {
    if (this.running || this.resting !== null || this.phase === 'open') return;
    if (this.phase !== 'released') {
      this.phase = 'released';
      this.release();
    }
    this.whenReleased.splice(0).forEach((resolve) => resolve());
  }
}

/**
 * Reads `model`'s weights and running statistics (after the engine synced them) into a snapshot
 * of fresh arrays that can be transferred: `[fanIn, fanOut]` kernels, `[units]` vectors, ~0.4 MB
 * for 784-128-64-10. The clones are read asynchronously (a synchronous read breaks WebGPU).
 */
export async function takeSnapshot(
  model: Mlp,
  epoch: number,
  normalization: NormalizationStats,
): Promise<EpochSnapshot> {
  const frozen = await Predictor.fromMlp(model, normalization, { epoch, step: 0 });
  // Copies: the predictor's arrays are shared with its frozen layers.
  const parameters = frozen.parameters.map((p) => ({ ...p, data: p.data.slice() }));
  return { epoch, parameters, normalization };
}

/**
 * The in-process analyser (Node CLI, Vitest, a worker without nested workers): the same analysis
 * on the training thread's backend, started as each snapshot arrives but never awaited by the
 * loop. Holds its own model and its own resident copy of `test` until finished or cancelled.
 */
export function inProcessAnalyser(
  runId: string,
  model: TrainingConfig['model'],
  test: LabelledImages,
  sink: AnalysisSink,
  now: () => number,
): NewestSnapshotAnalyser {
  const session = new AnalysisSession(now);
  session.setTestImages(test);
  return new NewestSnapshotAnalyser(
    (snapshot) => session.analyse({ runId, model }, snapshot),
    sink,
    () => session.dispose(),
  );
}
