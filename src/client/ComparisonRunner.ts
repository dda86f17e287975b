import type { BackendChoice } from '../core/backends.ts';
import type { ComparedRun, ComparedRunStatus } from '../core/comparedRun.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineChoice } from '../core/engines.ts';
import type { RunRecord } from '../core/runRecord.ts';
import { curvesOf, recordOf, summaryOf } from './runCurves.ts';
import { INITIAL_RUN_STATE, type Phase, type RunState } from './runState.ts';
import { TrainerSession } from './TrainerSession.ts';

/**
 * Runs a comparison's variants at the same time, one {@link TrainerSession} (one training worker)
 * each, so the operating system shares the CPU between them and every run can be paused or
 * stopped on its own. Each run's state is its session's, folded by the same pure reducer as the
 * Train view's; what the page shows is a snapshot of {@link ComparedRun}s, published at most once
 * per animation frame.
 */

export interface VariantRun {
  readonly key: string;
  /** What differs, for the legend ("optimizer SGD · learning rate 0.1"). */
  readonly label: string;
  readonly color: string;
  readonly config: TrainingConfig;
}

export interface ComparisonOptions {
  readonly backend: BackendChoice;
  readonly engine: EngineChoice;
  /** Runs training at once; the rest wait in a queue. `Infinity` for all. */
  readonly maxParallel: number;
}

export interface ComparisonSnapshot {
  /** Changes with every new comparison (a React key for "this race"). */
  readonly id: number;
  readonly runs: readonly ComparedRun[];
  /** Some run is queued or not yet over. */
  readonly active: boolean;
}

export interface RunnerEnvironment {
  readonly createWorker: () => Worker;
  /** Called once per run that finished or was stopped, with what the history should keep. */
  readonly onRecord?: (record: RunRecord) => void;
  /** "Chrome 156", for records. */
  readonly browser: string;
  readonly cores: number | null;
  readonly now?: () => number;
  /** Coalesces snapshot publication (default: the next animation frame). */
  readonly schedule?: (flush: () => void) => void;
}

interface Entry {
  readonly variant: VariantRun;
  /** Null while queued (or cancelled before it started). */
  session: TrainerSession | null;
  runId: string | null;
  /** The session's latest snapshot. */
  state: RunState;
  /** Stopped before it started. */
  cancelled: boolean;
  /** Most other runs training alongside this one at any time. */
  concurrentRuns: number;
  /** What the history got, once the run is over. */
  record: RunRecord | null;
  recorded: boolean;
  view: ComparedRun | null;
  viewOf: RunState | null;
}

const OVER: readonly Phase[] = ['finished', 'stopped', 'error'];
const isOver = (entry: Entry) => entry.cancelled || OVER.includes(entry.state.phase);
const isRunning = (entry: Entry) => entry.session !== null && !isOver(entry);

const STATUS: Record<Phase, ComparedRunStatus> = {
  idle: 'starting',
  loading: 'starting',
  ready: 'starting',
  starting: 'starting',
  training: 'training',
  paused: 'paused',
  evaluating: 'evaluating',
  finished: 'finished',
  stopped: 'stopped',
  error: 'error',
};

const EMPTY: ComparisonSnapshot = { id: 0, runs: [], active: false };

export class ComparisonRunner {
  private entries: Entry[] = [];
  private options: ComparisonOptions = { backend: 'auto', engine: 'auto', maxParallel: Infinity };
  private snapshot: ComparisonSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private flushPending = false;
  private counter = 0;
  /** Where finished runs go (the history). */
  private onRecord: (record: RunRecord) => void;

  constructor(private readonly env: RunnerEnvironment) {
    this.onRecord = env.onRecord ?? (() => {});
  }

  /** Replaces where finished runs go (the page's callback may change between renders). */
  setOnRecord(onRecord: (record: RunRecord) => void): void {
    this.onRecord = onRecord;
  }

  /** Stops any comparison in progress and starts `variants` (queued beyond `maxParallel`). */
  start(variants: readonly VariantRun[], options: ComparisonOptions): void {
    this.stopAll();
    for (const entry of this.entries) entry.session?.dispose();
    this.options = options;
    this.counter += 1;
    this.entries = variants.map((variant) => ({
      variant,
      session: null,
      runId: null,
      state: INITIAL_RUN_STATE,
      cancelled: false,
      concurrentRuns: 0,
      record: null,
      recorded: false,
      view: null,
      viewOf: null,
    }));
    this.fillSlots();
    this.publish();
  }

  pause(key: string): void {
    this.runningSession(key)?.pause();
  }

  resume(key: string): void {
    this.runningSession(key)?.resume();
  }

  /** Stops one run: a running one ends with its test evaluation; a queued one never starts. */
  stop(key: string): void {
    const entry = this.entries.find((e) => e.variant.key === key);
    if (entry === undefined || isOver(entry)) return;
    if (entry.session === null) {
      entry.cancelled = true;
      this.publish();
      return;
    }
    entry.session.stop();
  }

  stopAll(): void {
    for (const entry of this.entries) this.stop(entry.variant.key);
  }

  /** Forgets the comparison (stopping what still runs; stopped runs are not recorded). */
  clear(): void {
    for (const entry of this.entries) entry.session?.dispose();
    this.entries = [];
    this.counter += 1;
    this.publish();
  }

  getSnapshot = (): ComparisonSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    for (const entry of this.entries) entry.session?.dispose();
    this.entries = [];
    this.listeners.clear();
  }

  /** The session of run `key` while it runs; null when queued, over or unknown. */
  private runningSession(key: string): TrainerSession | null {
    const entry = this.entries.find((e) => e.variant.key === key);
    return entry !== undefined && isRunning(entry) ? entry.session : null;
  }

  /** Starts queued runs while there are free slots. */
  private fillSlots(): void {
    let running = this.entries.filter(isRunning).length;
    for (const entry of this.entries) {
      if (running >= this.options.maxParallel) break;
      if (entry.session !== null || entry.cancelled) continue;
      this.launch(entry);
      running += 1;
    }
    const active = this.entries.filter(isRunning);
    for (const entry of active) entry.concurrentRuns = Math.max(entry.concurrentRuns, active.length - 1);
  }

  private launch(entry: Entry): void {
    const session = new TrainerSession(this.env.createWorker);
    entry.session = session;
    session.subscribe(() => this.changed(entry, session));
    const { backend, engine } = this.options;
    // No error analysis: the runs share the CPU and a comparison shows only curves.
    entry.runId = session.train({ config: entry.variant.config, backend, engine }, { analysis: false });
  }

  private changed(entry: Entry, session: TrainerSession): void {
    const wasOver = isOver(entry);
    entry.state = session.getSnapshot();
    if (!wasOver && isOver(entry)) this.finish(entry);
    this.publish();
  }

  /** Records the run, frees its worker (and its copy of MNIST), and starts the next in line. */
  private finish(entry: Entry): void {
    if (!entry.recorded && (entry.state.phase === 'finished' || entry.state.phase === 'stopped')) {
      entry.recorded = true;
      const now = this.env.now?.() ?? Date.now();
      const record = recordOf(entry.state, {
        id: `${entry.runId ?? 'run'}-${entry.variant.key}`,
        name: entry.variant.label,
        createdAt: now,
        source: 'compare',
        differs: entry.variant.label,
        browser: this.env.browser,
        cores: this.env.cores,
        concurrentRuns: entry.concurrentRuns,
      });
      entry.record = record;
      if (record !== null) this.onRecord(record);
    }
    entry.session?.dispose();
    this.fillSlots();
  }

  private publish(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    const schedule = this.env.schedule ?? ((flush: () => void) => requestAnimationFrame(flush));
    schedule(() => {
      this.flushPending = false;
      this.snapshot = {
        id: this.counter,
        runs: this.entries.map((entry) => this.viewOf(entry)),
        active: this.entries.some((entry) => !isOver(entry)),
      };
      for (const listener of this.listeners) listener();
    });
  }

  /** The entry's {@link ComparedRun}, rebuilt only when its state changed. */
  private viewOf(entry: Entry): ComparedRun {
    const status: ComparedRunStatus = entry.cancelled
      ? 'stopped'
      : entry.session === null
        ? 'queued'
        : STATUS[entry.state.phase];
    if (entry.view !== null && entry.viewOf === entry.state && entry.view.status === status)
      return entry.view;
    const { key, label, color } = entry.variant;
    entry.viewOf = entry.state;
    entry.view = {
      key,
      label,
      color,
      origin: 'live',
      status,
      curves: curvesOf(entry.state),
      summary: summaryOf(entry.state),
      record: entry.record,
      // A diverged run ends as stopped; its message says why.
      error: entry.state.error ?? entry.state.run?.result?.diverged?.message ?? null,
      fingerprints: entry.state.run?.shape?.fingerprints ?? null,
      plannedEpochs: entry.variant.config.training.epochs,
      config: entry.variant.config,
    };
    return entry.view;
  }
}
