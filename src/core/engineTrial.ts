import type { BackendChoice, BackendName } from './backends.ts';
import { effectiveBatchSize, effectiveTrainingExamples, layerSizes, type TrainingConfig } from './config.ts';
import type { EnginePath } from './engines.ts';
import { formatCount, formatSeconds } from './format.ts';

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
 * only when nothing else runs; `no-time`: not (fully) measured because the run is too short to
 * spend more time measuring; `stopped`: the run was stopped during the trial. The first five are
 * verdicts a later run may reuse; the last two are not.
 */
export type CandidateOutcome =
  'measured' | 'slower' | 'capped' | 'failed' | 'not-needed' | 'no-time' | 'stopped';

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

/** Warm-up steps before timing (shader compiles, first allocations); each ends with a read-back. */
export const WARMUP_STEPS = 2;
/**
 * Timed steps, in blocks that each end with a read-back: the first block is short so a clearly
 * slower candidate is cut early; together they make the ~20 timed steps of a full measurement.
 */
export const TIMED_BLOCKS: readonly number[] = [2, 18];
/** A candidate whose first block runs at under 1/this of the best rate so far is cut (`slower`). */
export const SLOWER_FACTOR = 2;
/**
 * The most one candidate may take (ms), set-up and warm-up included: a software GPU compiling its
 * shaders, or a GPU this slow to start, is not worth waiting for. Checked between steps, so one
 * long step (a first shader compile) can overrun it.
 */
export const MAX_CANDIDATE_MS = 4000;
/** The most the whole trial may take (ms), however long the run. */
export const MAX_TRIAL_MS = 12_000;
/** The share of the run's estimated training time (at the best rate measured) the trial may take. */
export const TRIAL_SHARE = 0.1;
/**
 * A GPU candidate starts only when at least this much of the trial's time is left (ms): its
 * first step compiles shaders, which one cannot interrupt.
 */
export const MIN_GPU_START_MS = 1000;
/** A run of fewer steps than this is not measured: the trial would be a large share of it. */
export const MIN_RUN_STEPS = 10 * (WARMUP_STEPS + TIMED_BLOCKS.reduce((a, b) => a + b, 0));

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

const isGpu = (backend: BackendName) => backend === 'webgpu' || backend === 'webgl';

/**
 * The candidates, in the order they are measured: the cheap CPU ones first (the fused kernel, a
 * few ms to measure, sets the rate the others must beat), then GPU ones (hardware before
 * software), TF.js `cpu` last (measured only when nothing else ran: it is never the fastest).
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
  const gpu: TrialCandidate[] = [];
  if (has('webgpu')) gpu.push({ engine: 'webgpu', backend: 'webgpu' }, { engine: 'tfjs', backend: 'webgpu' });
  if (has('webgl')) gpu.push({ engine: 'tfjs', backend: 'webgl' });
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
    ? `a short run (${run.steps} steps) is not worth measuring: the trial alone takes over ${WARMUP_STEPS + TIMED_BLOCKS.reduce((a, b) => a + b, 0)} steps per candidate`
    : null;
}

/**
 * The trial's time budget (ms) once the best rate so far is known: {@link TRIAL_SHARE} of the
 * run's training time at that rate, at most {@link MAX_TRIAL_MS}; before any rate, the most.
 */
export function trialBudgetMs(run: RunLength, bestExamplesPerSecond: number | null): number {
  if (bestExamplesPerSecond === null || !(bestExamplesPerSecond > 0)) return MAX_TRIAL_MS;
  return Math.min(MAX_TRIAL_MS, (TRIAL_SHARE * run.examples * 1000) / bestExamplesPerSecond);
}

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

/** Why `candidate` is not started with `remainingMs` of the trial left, or null to start it. */
export function startRefusal(candidate: TrialCandidate, remainingMs: number): string | null {
  if (remainingMs <= 0) return 'the trial had used its time (a short run)';
  if (isGpu(candidate.backend) && remainingMs < MIN_GPU_START_MS) {
    return `too little trial time left (${Math.round(remainingMs)} ms) to compile its shaders (a short run)`;
  }
  return null;
}

/**
 * How long `candidate`'s measurement may go on (ms from its start) with `remainingMs` of the
 * trial left when it started, and the outcome when that runs out: `capped` (a verdict: too slow
 * to start) when the candidate cap binds, `no-time` when the run's short budget does.
 */
export function candidateLimit(remainingMs: number): {
  readonly ms: number;
  readonly outcome: CandidateOutcome;
} {
  return remainingMs >= MAX_CANDIDATE_MS
    ? { ms: MAX_CANDIDATE_MS, outcome: 'capped' }
    : { ms: Math.max(0, remainingMs), outcome: 'no-time' };
}

/** Whether a first-block rate is clearly below the best so far (the candidate is cut). */
export function isClearlySlower(examplesPerSecond: number, best: number | null): boolean {
  return best !== null && examplesPerSecond * SLOWER_FACTOR < best;
}

/** Whether every candidate got a verdict, so the choice may be kept for later runs. */
export function isConclusive(rates: readonly CandidateRate[]): boolean {
  return bestRate(rates) !== null && rates.every((r) => r.outcome !== 'no-time' && r.outcome !== 'stopped');
}

/** The machine, as far as it changes which candidate is fastest (part of the cache key). */
export interface DeviceDescription {
  /** The WebGPU adapter's `vendor / architecture / description`, or `none`. */
  readonly gpuAdapter: string;
  /** The WebGL renderer (unmasked where the browser allows), or `none`. */
  readonly webglRenderer: string;
  /** `navigator.hardwareConcurrency`. */
  readonly cores: number;
  /** Browser and major version, e.g. `Chrome 156` ({@link browserVersion}). */
  readonly browser: string;
  /** Cross-origin isolation: the fused kernel's threads and TF.js WASM threads need it. */
  readonly crossOriginIsolated: boolean;
}

/**
 * Browser and major version from a user agent: `Firefox 140`, `Edge 156`, `Chrome 156`,
 * `Safari 18`; the whole string when it is none of those (still a fine key).
 */
export function browserVersion(userAgent: string): string {
  const patterns: readonly (readonly [string, RegExp])[] = [
    ['Firefox', /Firefox\/(\d+)/],
    ['Edge', /Edg\/(\d+)/],
    ['Chrome', /(?:Chrome|Chromium)\/(\d+)/],
    ['Safari', /Version\/(\d+).*Safari\//],
    ['Node', /Node\.js\/v?(\d+)/],
  ];
  for (const [name, pattern] of patterns) {
    const match = pattern.exec(userAgent);
    if (match) return `${name} ${match[1]}`;
  }
  return userAgent;
}

/** What of a model changes the candidates' relative speed (the other part of the cache key). */
export interface ModelShape {
  /** Layer widths, input and output included, e.g. `[784, 128, 64, 10]`. */
  readonly widths: readonly number[];
  /** Batch norm on each hidden layer. */
  readonly batchNorm: readonly boolean[];
  /** Examples per step. */
  readonly batchSize: number;
  readonly optimizer: string;
}

/** The shape of `config`'s model, as the cache key sees it. */
export function modelShape(config: TrainingConfig): ModelShape {
  return {
    widths: layerSizes(config),
    batchNorm: config.model.hiddenLayers.map((layer) => layer.batchNorm),
    batchSize: effectiveBatchSize(config),
    optimizer: config.optimizer.kind,
  };
}

/**
 * The key a measured choice is kept under: the device, the model's shape and the backend the user
 * chose (a forced backend has other candidates). Readable on purpose (it shows in devtools).
 */
export function engineTrialKey(device: DeviceDescription, shape: ModelShape, backend: BackendChoice): string {
  return [
    device.browser,
    `${device.cores} cores`,
    device.crossOriginIsolated ? 'isolated' : 'not isolated',
    `webgpu: ${device.gpuAdapter}`,
    `webgl: ${device.webglRenderer}`,
    shape.widths.join('-'),
    `bn ${shape.batchNorm.map((on) => (on ? 1 : 0)).join('')}`,
    `batch ${shape.batchSize}`,
    shape.optimizer,
    `backend ${backend}`,
  ].join(' | ');
}

/** A candidate in a few words, as the rates list shows it: `fused WASM`, `TF.js ops on webgl`. */
export function candidateLabel(candidate: TrialCandidate): string {
  switch (candidate.engine) {
    case 'fused':
      return 'fused WASM';
    case 'webgpu':
      return 'fused WebGPU';
    case 'tfjs':
      return `TF.js ops on ${candidate.backend}`;
    default:
      return candidate.engine satisfies never;
  }
}

/** A candidate as the reason names the winner: `fused WebAssembly kernel`, `TF.js ops on webgl`. */
export function candidateName(candidate: TrialCandidate): string {
  switch (candidate.engine) {
    case 'fused':
      return 'fused WebAssembly kernel';
    case 'webgpu':
      return 'fused WebGPU engine';
    case 'tfjs':
      return `TF.js ops on ${candidate.backend}`;
    default:
      return candidate.engine satisfies never;
  }
}

const rateText = (examplesPerSecond: number) => `${formatCount(examplesPerSecond)} ex/s`;

/** One candidate's line in Details: `fused WASM 98,000 ex/s`, `TF.js ops on webgl: failed (…)`. */
export function describeCandidateRate(rate: CandidateRate): string {
  const label = `${candidateLabel(rate)}${rate.software === true ? ' (software)' : ''}`;
  const note = rate.note ?? null;
  const eps = rate.examplesPerSecond;
  switch (rate.outcome) {
    case 'measured':
      return `${label} ${rateText(eps ?? 0)}`;
    case 'slower':
      return `${label} ${rateText(eps ?? 0)} (cut early: clearly slower)`;
    case 'capped':
      return eps === null
        ? `${label}: still starting after ${formatSeconds(rate.trialMs)} (cut)`
        : `${label} ${rateText(eps)} (cut at ${formatSeconds(rate.trialMs)})`;
    case 'failed':
      return `${label}: failed${note === null ? '' : ` (${note})`}`;
    case 'not-needed':
      return `${label}: not needed (another backend runs)`;
    case 'no-time':
      return eps === null
        ? `${label}: not measured${note === null ? '' : ` (${note})`}`
        : `${label} ${rateText(eps)} (partly measured: a short run)`;
    case 'stopped':
      return `${label}: not measured (the run was stopped)`;
    default:
      return rate.outcome satisfies never;
  }
}

/** Every candidate's line, fastest first, then those without a rate in trial order. */
export function describeRates(rates: readonly CandidateRate[]): string {
  const timed = rates.filter((r) => r.examplesPerSecond !== null);
  timed.sort((a, b) => (b.examplesPerSecond ?? 0) - (a.examplesPerSecond ?? 0));
  const untimed = rates.filter((r) => r.examplesPerSecond === null);
  return [...timed, ...untimed].map(describeCandidateRate).join(' · ');
}

/** Where a choice came from: measured at this run's start, or kept from an earlier day's. */
export type TrialSource =
  | { readonly kind: 'measured' }
  | { readonly kind: 'cached'; /** `YYYY-MM-DD` */ readonly measuredOn: string };

/** The engine's reason in Details when the trial chose it. */
export function trialReason(winner: TrialCandidate, source: TrialSource): string {
  const name = candidateName(winner);
  switch (source.kind) {
    case 'measured':
      return `${name}: measured fastest here`;
    case 'cached':
      return `${name}: fastest in a measurement on ${source.measuredOn}, kept for this device and model shape`;
    default:
      return source satisfies never;
  }
}
