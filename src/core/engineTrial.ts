import type { BackendChoice, BackendName } from './backends.ts';
import { effectiveBatchSize, effectiveTrainingExamples, type TrainingConfig } from './config.ts';
import type { EnginePath } from './engines.ts';
import { formatSeconds } from './format.ts';

/**
 * The measuring `auto`, pure part: which (engine, backend) pairs a run could use here, how much
 * time measuring them may take, when a candidate is cut short, and which one wins. The worker
 * times the candidates (`ml/engineTrial.ts`), keeps the choice per device and model shape
 * (`worker/engineTrialCache.ts`, keyed by `engineTrialKey.ts`) and shows the rates in Details
 * (`engineTrialText.ts`).
 *
 * Why measure: a fused WebAssembly step on the CPU, a fused WebGPU step and TF.js ops on a GPU
 * backend differ by orders of magnitude, and which is fastest depends on the machine (a laptop's
 * GPU, a software rasteriser, the core count) and on the model's shape. Reading the renderer's
 * name cannot tell; timing a few steps can.
 */

/** One way to run a config's steps: an engine on a TF.js backend. */
export interface TrialCandidate {
  readonly engine: EnginePath;
  readonly backend: BackendName;
}

/**
 * What the trial found for one candidate. `measured`: every timed step ran; `slower`: cut after
 * its first timed steps, clearly slower than the best so far; `capped`: still warming up (e.g.
 * compiling shaders) or stepping when its time cap ({@link MAX_CANDIDATE_MS}) ran out; `failed`:
 * the backend or the engine could not run here; `not-needed`: TF.js on the `cpu` backend, tried
 * only when nothing else runs; `blocked`: not measured, its device still busy with the work of a
 * candidate cut before it (see `isAsyncGpu`); `trial-full`: not (fully) measured, the trial's maximum time
 * ({@link MAX_TRIAL_MS}) having been spent on the candidates before it; `no-time`: not (fully)
 * measured because the run is too short to spend more time measuring; `stopped`: the run was
 * stopped during the trial. The first seven are verdicts a later run may reuse (no run would
 * measure more); the last two are not.
 */
export type CandidateOutcome =
  | 'measured'
  | 'slower'
  | 'capped'
  | 'failed'
  | 'not-needed'
  | 'blocked'
  | 'trial-full'
  | 'no-time'
  | 'stopped';

/** A candidate with what measuring it gave. */
export interface CandidateRate extends TrialCandidate {
  readonly outcome: CandidateOutcome;
  /**
   * Training examples per second over the timed steps, the wait for the device included (the
   * last step's loss read back); null when no timed step ran.
   */
  readonly examplesPerSecond: number | null;
  /** Wall time spent on this candidate (ms): backend switch, set-up, warm-up and timed steps. */
  readonly trialMs: number;
  /** Why it failed or was not measured. */
  readonly note?: string;
  /** The backend's adapter or renderer names itself software (SwiftShader…): shown beside its rate. */
  readonly software?: boolean;
}

const isGpu = (backend: BackendName) => backend === 'webgpu' || backend === 'webgl';

/** How a candidate's steps are spent: warm-up steps, then timed blocks, each ending with a read-back. */
export interface TrialSteps {
  /** Untimed steps first (shader compiles, first allocations). */
  readonly warmup: number;
  /**
   * Timed steps in blocks: the first is short so a clearly slower candidate is cut early; all
   * together make a full measurement of {@link TIMED_STEPS}.
   */
  readonly blocks: readonly number[];
}

/** Timed steps of a full measurement. */
export const TIMED_STEPS = 20;

/**
 * The steps of `candidate`'s trial. On the CPU (the fused kernel, TF.js wasm or cpu) a step is
 * done when it returns, so one warm-up step and a first block of one step tell its pace. A GPU
 * engine queues its work, and a read-back costs a round trip (a few ms on a real GPU, more than a
 * fused step), so it gets two warm-up steps (shader compiles) and a first block of four before
 * being judged.
 */
export function trialSteps(candidate: TrialCandidate): TrialSteps {
  const gpu = candidate.engine !== 'fused' && isGpu(candidate.backend);
  return gpu ? { warmup: 2, blocks: [4, TIMED_STEPS - 4] } : { warmup: 1, blocks: [1, TIMED_STEPS - 1] };
}

/** A candidate whose first block runs at under 1/this of the best rate so far is cut (`slower`). */
export const SLOWER_FACTOR = 2;
/**
 * The most one candidate may take (ms), set-up and warm-up included: a software GPU compiling its
 * shaders, or a GPU this slow to start, is not worth waiting for. WebGPU candidates are cut by a
 * timer (their work is asynchronous: the fused WebGPU engine's first step took 7–18 s on
 * SwiftShader, Intel Xeon, 2 cores, Chromium 156, 2026-12-03); others are checked between steps,
 * so one long step (a first WebGL shader compile) can overrun it. A cut compile goes on in the
 * browser's GPU process: the next WebGL candidate, compiling synchronously, waited 16 s behind
 * it, which is why WebGL is measured first and WebGPU candidates after a cut one are `blocked`.
 */
export const MAX_CANDIDATE_MS = 3000;
/** The most the whole trial may take (ms), however long the run. */
export const MAX_TRIAL_MS = 12_000;
/** The share of the run's estimated training time (at the best rate measured) the trial may take. */
export const TRIAL_SHARE = 0.1;
/**
 * A GPU candidate starts only when at least this much of the trial's time is left (ms): its
 * first step compiles shaders, which one cannot interrupt.
 */
export const MIN_GPU_START_MS = 1000;
/**
 * A GPU candidate whose adapter or renderer is software starts only with this much left (ms), a
 * whole candidate cap: its shader compiles take seconds (SwiftShader: 1–5 s for a training step
 * on an Intel Xeon, 2 cores, Chromium 156) and hold up the page's own drawing meanwhile, so it is
 * measured only in a run long enough to afford it.
 */
export const MIN_SOFTWARE_GPU_START_MS = MAX_CANDIDATE_MS;
/** A run of fewer steps than this is not measured: the trial would be a large share of it. */
export const MIN_RUN_STEPS = 10 * (2 + TIMED_STEPS);

/** What decides which candidates a run has. */
export interface CandidateContext {
  /** The backend the user chose; a forced one limits the candidates to engines that run on it. */
  readonly backend: BackendChoice;
  /** Backends this build registers (`auto` only tries these). */
  readonly registered: readonly BackendName[];
  /** Whether the fused kernel compiles here (WebAssembly SIMD). */
  readonly fusedKernel: boolean;
  /**
   * GPU backends whose adapter or renderer names itself software (SwiftShader, llvmpipe): an
   * ordering hint only — they are measured last, so a short run's trial time goes to the others
   * first — never a reason to leave them out.
   */
  readonly software: ReadonlySet<BackendName>;
}

/**
 * The candidates, in the order they are measured: the cheap CPU ones first (the fused kernel, a
 * few ms to measure, sets the rate the others must beat), then GPU ones (hardware before
 * software; WebGL before WebGPU), TF.js `cpu` last (measured only when nothing else ran: it is never the fastest).
 * A forced backend keeps the engines that run on it, plus the fused kernel, which runs on the
 * CPU whatever the backend (TF.js then evaluates on the forced one).
 */
export function trialCandidates(context: CandidateContext): TrialCandidate[] {
  const { backend, registered, fusedKernel, software } = context;
  if (backend !== 'auto') {
    return [
      ...(fusedKernel ? [{ engine: 'fused' as const, backend }] : []),
      ...(backend === 'webgpu' ? [{ engine: 'webgpu' as const, backend }] : []),
      { engine: 'tfjs', backend },
    ];
  }
  const has = (name: BackendName) => registered.includes(name);
  const cpuBackend: BackendName | null = has('wasm') ? 'wasm' : has('cpu') ? 'cpu' : null;
  // WebGL first: it compiles its shaders synchronously, so it must not queue behind a WebGPU
  // compile the trial cut short (WebGPU work is asynchronous, so a timer can cut it; see
  // `isAsyncGpu`). Then the fused WebGPU engine, then TF.js ops on its device.
  const gpu: TrialCandidate[] = [
    ...(has('webgl') ? [{ engine: 'tfjs' as const, backend: 'webgl' as const }] : []),
    ...(has('webgpu') ? [{ engine: 'webgpu' as const, backend: 'webgpu' as const }] : []),
    ...(has('webgpu') ? [{ engine: 'tfjs' as const, backend: 'webgpu' as const }] : []),
  ];
  const hardwareFirst = [
    ...gpu.filter((c) => !software.has(c.backend)),
    ...gpu.filter((c) => software.has(c.backend)),
  ];
  return [
    ...(fusedKernel && cpuBackend !== null ? [{ engine: 'fused' as const, backend: cpuBackend }] : []),
    ...(has('wasm') ? [{ engine: 'tfjs' as const, backend: 'wasm' as const }] : []),
    ...hardwareFirst,
    ...(has('cpu') ? [{ engine: 'tfjs' as const, backend: 'cpu' as const }] : []),
  ];
}

/**
 * Whether `candidate` queues its work on a GPU and waits for it asynchronously (WebGPU): then a
 * timer can cut its measurement at the cap even in its first step (a long shader compile), and
 * the candidates after it on the same device are left (`blocked`): they would queue behind it.
 * WebGL compiles synchronously and the CPU computes synchronously; only the checks between
 * steps bound those.
 */
export function isAsyncGpu(candidate: TrialCandidate): boolean {
  return candidate.backend === 'webgpu' && candidate.engine !== 'fused';
}

/** TF.js ops on the `cpu` backend: measured only when no other candidate ran (`auto` backend). */
export function isLastResort(candidate: TrialCandidate, backend: BackendChoice): boolean {
  return backend === 'auto' && candidate.engine === 'tfjs' && candidate.backend === 'cpu';
}

/** How long a run is, for the trial's time budget. */
export interface RunLength {
  /** Optimisation steps of the whole run (epochs × batches per epoch). */
  readonly steps: number;
  /** Training examples of the whole run (epochs × training examples). */
  readonly examples: number;
}

/** The length of `config`'s run: its epochs of `trainingExamples` in batches of the config's size. */
export function runLength(
  config: TrainingConfig,
  trainingExamples = effectiveTrainingExamples(config),
): RunLength {
  const batch = Math.max(1, Math.min(effectiveBatchSize(config), trainingExamples));
  const epochs = config.training.epochs;
  return { steps: epochs * Math.ceil(trainingExamples / batch), examples: epochs * trainingExamples };
}

/**
 * Why a run is not measured at all, or null when it is: a run of under {@link MIN_RUN_STEPS}
 * steps would spend a large share of its time in the trial (it takes ~22 steps per candidate).
 */
export function skipTrialReason(run: RunLength): string | null {
  return run.steps < MIN_RUN_STEPS
    ? `a short run (${run.steps} steps) is not worth measuring: the trial takes over ${TIMED_STEPS} steps per candidate`
    : null;
}

/** What is left of the trial's time when a candidate is about to start. */
export interface TrialBudget {
  /** Ms left (≤ 0: none). */
  readonly remainingMs: number;
  /**
   * The run's share ({@link TRIAL_SHARE}) binds, not the trial's maximum: a longer run would
   * measure more, so running out of it is no verdict (`no-time`). When the maximum binds,
   * running out is one (`trial-full`): no run measures more.
   */
  readonly shortRun: boolean;
}

/**
 * The trial's budget `elapsedMs` into it, once the best rate so far is known:
 * {@link TRIAL_SHARE} of the run's training time at that rate, at most {@link MAX_TRIAL_MS};
 * before any rate, the most.
 */
export function trialBudget(
  run: RunLength,
  bestExamplesPerSecond: number | null,
  elapsedMs: number,
): TrialBudget {
  const share =
    bestExamplesPerSecond !== null && bestExamplesPerSecond > 0
      ? (TRIAL_SHARE * run.examples * 1000) / bestExamplesPerSecond
      : Number.POSITIVE_INFINITY;
  return { remainingMs: Math.min(share, MAX_TRIAL_MS) - elapsedMs, shortRun: share < MAX_TRIAL_MS };
}

/** How running out of `budget` ends a candidate: no verdict in a short run, a verdict otherwise. */
const outOfTime = (budget: TrialBudget): CandidateOutcome => (budget.shortRun ? 'no-time' : 'trial-full');

/**
 * The highest measured rate among `rates`, or null when none was timed. Every rate counts, cut
 * ones included: each was really measured, and a cut one is below the best by construction.
 */
export function bestRate(rates: readonly CandidateRate[]): CandidateRate | null {
  let best: CandidateRate | null = null;
  for (const rate of rates) {
    if (rate.examplesPerSecond === null) continue;
    if (best === null || rate.examplesPerSecond > (best.examplesPerSecond ?? 0)) best = rate;
  }
  return best;
}

/**
 * Why `candidate` is not started with `budget` left, as its outcome and note, or null to start
 * it. A GPU candidate needs {@link MIN_GPU_START_MS}, a software one
 * {@link MIN_SOFTWARE_GPU_START_MS}: its first step compiles shaders, which cannot be cut short.
 */
export function startRefusal(
  candidate: TrialCandidate,
  budget: TrialBudget,
  software = false,
): { readonly outcome: CandidateOutcome; readonly note: string } | null {
  const why = budget.shortRun ? 'a short run' : `the trial's ${formatSeconds(MAX_TRIAL_MS)} were spent`;
  if (budget.remainingMs <= 0) return { outcome: outOfTime(budget), note: `no trial time left: ${why}` };
  const needs = software ? MIN_SOFTWARE_GPU_START_MS : MIN_GPU_START_MS;
  if (isGpu(candidate.backend) && candidate.engine !== 'fused' && budget.remainingMs < needs) {
    const left = `${Math.round(budget.remainingMs)} ms`;
    return {
      outcome: outOfTime(budget),
      note: `too little trial time left to compile its shaders (${left}): ${why}`,
    };
  }
  return null;
}

/**
 * How long `candidate`'s measurement may go on (ms from its start) with `budget` left when it
 * started, and the outcome when that runs out: `capped` (a verdict: too slow to start) when the
 * candidate cap binds, else as running out of the trial's time.
 */
export function candidateLimit(budget: TrialBudget): {
  readonly ms: number;
  readonly outcome: CandidateOutcome;
} {
  return budget.remainingMs >= MAX_CANDIDATE_MS
    ? { ms: MAX_CANDIDATE_MS, outcome: 'capped' }
    : { ms: Math.max(0, budget.remainingMs), outcome: outOfTime(budget) };
}

/** Whether a first-block rate is clearly below the best so far (the candidate is cut). */
export function isClearlySlower(examplesPerSecond: number, best: number | null): boolean {
  return best !== null && examplesPerSecond * SLOWER_FACTOR < best;
}

/** Whether every candidate got a verdict, so the choice may be kept for later runs. */
export function isConclusive(rates: readonly CandidateRate[]): boolean {
  return bestRate(rates) !== null && rates.every((r) => r.outcome !== 'no-time' && r.outcome !== 'stopped');
}
