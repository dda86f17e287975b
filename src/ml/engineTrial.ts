import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice, BackendName } from '../core/backends.ts';
import type { TrainingConfig } from '../core/config.ts';
import {
  bestRate,
  candidateLimit,
  isAsyncGpu,
  isClearlySlower,
  isLastResort,
  startRefusal,
  trialBudget,
  trialSteps,
  type CandidateOutcome,
  type CandidateRate,
  type RunLength,
  type TrialBudget,
  type TrialCandidate,
} from '../core/engineTrial.ts';
import type { KernelVariant } from '../core/engines.ts';
import { MNIST_PIXELS, type LabelledImages } from '../core/idx.ts';
import { normalizationStats } from '../core/normalization.ts';
import { runStreams } from '../core/runStreams.ts';
import { allIndices } from './dataset.ts';
import { createStepEngine, type StepEngine } from './engine.ts';
import { createMlp, disposeMlp, type Mlp } from './mlp.ts';
import { PendingPoints } from './pending.ts';

/**
 * The measuring `auto`, timing part: each candidate engine on its backend trains a throw-away
 * model of the run's shape on a small slice of the training images for a warm-up step or two and
 * 20 timed ones (`trialSteps`), each block ending with its losses read back (so a GPU's queued work is
 * waited for), within the time rules of `core/engineTrial.ts`. The run itself starts afterwards
 * from its own seed, exactly as if the winner had been forced: the throw-away models draw from
 * their own seed, and nothing of them survives (every tensor disposed, the backend the trial
 * found restored).
 */

/** The throw-away models' seed (the run's streams come from the config's seed, untouched). */
const TRIAL_SEED = 0x7e57;
/** Images in the trial's slice, at least (two batches when batches are larger). */
const TRIAL_ROWS = 1024;

/** What the trial needs from where it runs. */
export interface TrialHost {
  /** Makes `backend` the active TF.js backend; the failure in words, or null. */
  useBackend(backend: BackendName): Promise<string | null>;
  /** The clock, in ms. */
  now(): number;
  /** A turn of the event loop between candidates, so a Stop gets in. */
  yieldToEventLoop(): Promise<void>;
  /** The run was stopped: the candidates not measured yet are left (`stopped`). */
  stopRequested(): boolean;
}

export interface TrialInputs {
  readonly config: TrainingConfig;
  /** The training images; the trial uses the first {@link TRIAL_ROWS} (or two batches). */
  readonly images: LabelledImages;
  /** In measuring order (`trialCandidates`). */
  readonly candidates: readonly TrialCandidate[];
  /** The backend the user chose (TF.js `cpu` is a last resort under `auto`). */
  readonly backend: BackendChoice;
  /** The run's length, for the trial's time budget. */
  readonly run: RunLength;
  /** The batch size of the run's steps. */
  readonly batchSize: number;
  /** GPU backends that name themselves software: marked so beside their rates. */
  readonly software?: ReadonlySet<BackendName>;
  /** Tests: pin the fused kernel's build. */
  readonly kernelVariant?: KernelVariant;
}

/**
 * Measures every candidate in order, within the trial's budget, and returns one rate per
 * candidate (same order). Leaves the TF.js backend that was active when it was called active.
 */
export async function measureCandidates(inputs: TrialInputs, host: TrialHost): Promise<CandidateRate[]> {
  const started = host.now();
  const original = activeBackendName();
  const rates: CandidateRate[] = [];
  /** Backends whose device still works on a candidate that was cut (WebGPU): the rest there wait. */
  const busy = new Set<BackendName>();
  try {
    for (const candidate of inputs.candidates) {
      const isSoftware = inputs.software?.has(candidate.backend) === true;
      const software = isSoftware ? { software: true } : {};
      const skipped = (outcome: CandidateOutcome, note?: string): CandidateRate => ({
        ...candidate,
        outcome,
        examplesPerSecond: null,
        trialMs: 0,
        ...(note === undefined ? {} : { note }),
        ...software,
      });
      if (host.stopRequested()) {
        rates.push(skipped('stopped'));
        continue;
      }
      if (busy.has(candidate.backend)) {
        rates.push(skipped('blocked'));
        continue;
      }
      if (isLastResort(candidate, inputs.backend) && bestRate(rates) !== null) {
        rates.push(skipped('not-needed'));
        continue;
      }
      const best = bestRate(rates)?.examplesPerSecond ?? null;
      const budget = trialBudget(inputs.run, best, host.now() - started);
      const refusal = startRefusal(candidate, budget, isSoftware);
      if (refusal !== null) {
        rates.push(skipped(refusal.outcome, refusal.note));
        continue;
      }
      const { rate, leftBusy } = await measureCandidate(inputs, host, candidate, budget, best);
      if (leftBusy) busy.add(candidate.backend);
      rates.push({ ...rate, ...software });
      await host.yieldToEventLoop();
    }
  } finally {
    if (original !== null) await host.useBackend(original);
  }
  return rates;
}

function activeBackendName(): BackendName | null {
  const name = tf.getBackend();
  return name === 'webgpu' || name === 'webgl' || name === 'wasm' || name === 'cpu' ? name : null;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One candidate's rate, and whether it was cut with its device still working for it. */
interface CandidateMeasurement {
  readonly rate: CandidateRate;
  readonly leftBusy: boolean;
}

/** What a wait cut by the candidate's time limit gives instead of its value. */
const LATE = Symbol('late');

/**
 * One candidate: its backend, a throw-away model and engine, warm-up steps, then the timed
 * blocks; cut when clearly slower than `best` after its first block, or when its time runs out
 * (for WebGPU even inside a step, by a timer: see `isAsyncGpu`).
 */
async function measureCandidate(
  inputs: TrialInputs,
  host: TrialHost,
  candidate: TrialCandidate,
  budget: TrialBudget,
  best: number | null,
): Promise<CandidateMeasurement> {
  const started = host.now();
  const limit = candidateLimit(budget);
  let leftBusy = false;
  const result = (
    outcome: CandidateOutcome,
    examplesPerSecond: number | null,
    note?: string,
  ): CandidateMeasurement => ({
    rate: {
      ...candidate,
      outcome,
      examplesPerSecond,
      trialMs: host.now() - started,
      ...(note === undefined ? {} : { note }),
    },
    leftBusy,
  });
  const msLeft = () => limit.ms - (host.now() - started);
  /** `work`, or {@link LATE} once the limit passes (WebGPU only; the rest are awaited whole). */
  const inTime = <T>(work: Promise<T>): Promise<T | typeof LATE> =>
    isAsyncGpu(candidate) ? withDeadline(work, msLeft()) : work;
  // Awaited whole: a backend switch left running would make its backend the active one later.
  const failure = await host.useBackend(candidate.backend);
  if (failure !== null) return result('failed', null, failure);
  let trial: TrialEngine;
  try {
    trial = new TrialEngine(inputs, candidate);
  } catch (error) {
    return result('failed', null, messageOf(error));
  }
  try {
    if (trial.engine.info.path !== candidate.engine) return result('failed', null, trial.engine.info.reason);
    // WebGPU reports a failed buffer or pipeline after construction (as the training loop awaits).
    if ((await inTime(trial.engine.ready())) === LATE) {
      leftBusy = true;
      return result(limit.outcome, null);
    }
    const outOfTime = () => msLeft() < 0;
    const { warmup, blocks } = trialSteps(candidate);
    for (let step = 0; step < warmup; step++) {
      if ((await inTime(trial.run(1))) === LATE) {
        leftBusy = true;
        return result(limit.outcome, null);
      }
      if (host.stopRequested()) return result('stopped', null);
      if (outOfTime()) return result(limit.outcome, null);
    }
    let examples = 0;
    let ms = 0;
    for (const [block, steps] of blocks.entries()) {
      const blockStarted = host.now();
      const done = await inTime(trial.run(steps));
      if (done === LATE) {
        leftBusy = true;
        return result(limit.outcome, ms > 0 ? (examples * 1000) / ms : null);
      }
      examples += done;
      ms += host.now() - blockStarted;
      const rate = (examples * 1000) / Math.max(ms, 1e-3);
      if (block === 0 && isClearlySlower(rate, best)) return result('slower', rate);
      if (block === blocks.length - 1) return result('measured', rate);
      if (host.stopRequested()) return result('stopped', rate);
      if (outOfTime()) return result(limit.outcome, rate);
    }
    return result('measured', null);
  } catch (error) {
    return result('failed', null, messageOf(error));
  } finally {
    trial.dispose();
  }
}

/**
 * `work`, or {@link LATE} after `ms` of real time (the device works in real time, whatever clock
 * the host keeps). A late `work` goes on unobserved; its failure, if any, is dropped.
 */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  work.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>(
    (resolve) => (timer = setTimeout(() => resolve(LATE), Math.max(0, ms))),
  );
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A throw-away model and engine of the run's shape on the trial's slice of images. */
class TrialEngine {
  readonly engine: StepEngine;
  private readonly model: Mlp;
  private readonly pending = new PendingPoints();
  private readonly rows: number;
  private readonly batchSize: number;
  private readonly learningRate: number;
  private next = 0;

  constructor(inputs: TrialInputs, candidate: TrialCandidate) {
    const { config, images } = inputs;
    this.batchSize = Math.max(1, Math.min(inputs.batchSize, images.count));
    this.rows = Math.min(images.count, Math.max(TRIAL_ROWS, 2 * this.batchSize));
    this.learningRate = config.optimizer.learningRate;
    const slice: LabelledImages = {
      count: this.rows,
      pixels: images.pixels.subarray(0, this.rows * MNIST_PIXELS),
      labels: images.labels.subarray(0, this.rows),
    };
    const indices = allIndices(this.rows);
    const streams = runStreams(TRIAL_SEED);
    this.model = createMlp(config.model, streams.init);
    try {
      this.engine = createStepEngine(
        {
          config,
          model: this.model,
          images: slice,
          trainIndices: indices,
          normalization: normalizationStats(config.data.normalization, slice.pixels, indices),
          augmentRng: streams.augment,
          dropoutRng: streams.dropout,
          maxBatch: this.batchSize,
        },
        candidate.engine,
        inputs.kernelVariant,
      );
    } catch (error) {
      disposeMlp(this.model);
      throw error;
    }
  }

  /** Runs `steps` steps, then reads their losses back (waiting for the device); returns the examples. */
  async run(steps: number): Promise<number> {
    const positions = new Int32Array(this.batchSize);
    for (let step = 0; step < steps; step++) {
      for (let i = 0; i < positions.length; i++) positions[i] = (this.next + i) % this.rows;
      this.next = (this.next + positions.length) % this.rows;
      const { loss, accuracy } = this.engine.step(positions, this.learningRate);
      this.pending.push({ step, examples: 0, trainingMs: 0, size: positions.length, loss, accuracy });
    }
    await this.pending.drain();
    return steps * positions.length;
  }

  dispose(): void {
    this.pending.dispose();
    this.engine.dispose();
    disposeMlp(this.model);
  }
}
