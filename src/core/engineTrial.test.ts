import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.ts';
import {
  bestRate,
  candidateLimit,
  isAsyncGpu,
  isClearlySlower,
  isConclusive,
  MAX_CANDIDATE_MS,
  MAX_TRIAL_MS,
  MIN_GPU_START_MS,
  MIN_SOFTWARE_GPU_START_MS,
  MIN_RUN_STEPS,
  runLength,
  skipTrialReason,
  startRefusal,
  TIMED_STEPS,
  trialBudget,
  trialCandidates,
  trialSteps,
  type CandidateOutcome,
} from './engineTrial.ts';

const ALL = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
const pairs = (list: readonly { engine: string; backend: string }[]) =>
  list.map((c) => `${c.engine}@${c.backend}`);

describe('trialCandidates', () => {
  it('under auto: CPU ones first, GPU ones next (software last, WebGL first), TF.js cpu at the end', () => {
    expect(
      pairs(trialCandidates({ backend: 'auto', registered: ALL, fusedKernel: true, software: new Set() })),
    ).toEqual(['fused@wasm', 'tfjs@wasm', 'tfjs@webgl', 'webgpu@webgpu', 'tfjs@webgpu', 'tfjs@cpu']);
    const softwareWebgl = trialCandidates({
      backend: 'auto',
      registered: ALL,
      fusedKernel: true,
      software: new Set(['webgl']),
    });
    expect(pairs(softwareWebgl)).toEqual([
      'fused@wasm',
      'tfjs@wasm',
      'webgpu@webgpu',
      'tfjs@webgpu',
      'tfjs@webgl',
      'tfjs@cpu',
    ]);
  });

  it('cuts only WebGPU work by a timer (asynchronous); WebGL and the CPU between steps', () => {
    expect(isAsyncGpu({ engine: 'webgpu', backend: 'webgpu' })).toBe(true);
    expect(isAsyncGpu({ engine: 'tfjs', backend: 'webgpu' })).toBe(true);
    expect(isAsyncGpu({ engine: 'fused', backend: 'webgpu' })).toBe(false);
    expect(isAsyncGpu({ engine: 'tfjs', backend: 'webgl' })).toBe(false);
  });

  it('without WebAssembly SIMD there is no fused candidate; without wasm the fused kernel pairs with cpu', () => {
    expect(
      pairs(trialCandidates({ backend: 'auto', registered: ALL, fusedKernel: false, software: new Set() })),
    ).toEqual(['tfjs@wasm', 'tfjs@webgl', 'webgpu@webgpu', 'tfjs@webgpu', 'tfjs@cpu']);
    expect(
      pairs(
        trialCandidates({ backend: 'auto', registered: ['cpu'], fusedKernel: true, software: new Set() }),
      ),
    ).toEqual(['fused@cpu', 'tfjs@cpu']);
  });

  it('a forced backend keeps the engines that run on it, the fused kernel included', () => {
    const forced = (backend: 'webgpu' | 'webgl' | 'wasm' | 'cpu') =>
      pairs(trialCandidates({ backend, registered: ALL, fusedKernel: true, software: new Set() }));
    expect(forced('webgpu')).toEqual(['fused@webgpu', 'webgpu@webgpu', 'tfjs@webgpu']);
    expect(forced('webgl')).toEqual(['fused@webgl', 'tfjs@webgl']);
    expect(forced('cpu')).toEqual(['fused@cpu', 'tfjs@cpu']);
  });
});

describe('the trial budget', () => {
  it('skips a run too short to measure, and measures a longer one', () => {
    expect(skipTrialReason({ steps: MIN_RUN_STEPS - 1, examples: 1e6 })).toMatch(
      /^a short run \(219 steps\)/,
    );
    expect(skipTrialReason({ steps: MIN_RUN_STEPS, examples: 1e6 })).toBeNull();
    // The default config: 54,000 examples × 5 epochs in batches of 128.
    expect(runLength(DEFAULT_CONFIG)).toEqual({ steps: 5 * 422, examples: 270_000 });
  });

  it('is a tenth of the run at the best rate so far, at most the trial’s maximum', () => {
    const run = { steps: 2110, examples: 270_000 };
    expect(trialBudget(run, null, 0)).toEqual({ remainingMs: MAX_TRIAL_MS, shortRun: false });
    const budget = trialBudget(run, 100_000, 70);
    expect(budget.remainingMs).toBeCloseTo(200);
    expect(budget.shortRun).toBe(true);
    expect(trialBudget({ steps: 1e5, examples: 1e9 }, 1000, 0)).toEqual({
      remainingMs: MAX_TRIAL_MS,
      shortRun: false,
    });
  });

  it('starts a GPU candidate only with time to compile its shaders', () => {
    const gpu = { engine: 'tfjs', backend: 'webgl' } as const;
    const cpu = { engine: 'tfjs', backend: 'wasm' } as const;
    const short = (remainingMs: number) => ({ remainingMs, shortRun: true });
    expect(startRefusal(cpu, short(50))).toBeNull();
    expect(startRefusal(cpu, short(0))).toEqual({
      outcome: 'no-time',
      note: 'no trial time left: a short run',
    });
    expect(startRefusal(gpu, short(MIN_GPU_START_MS - 1))).toEqual({
      outcome: 'no-time',
      note: 'too little trial time left to compile its shaders (999 ms): a short run',
    });
    expect(startRefusal(gpu, short(MIN_GPU_START_MS))).toBeNull();
    // A software one (SwiftShader) only with a whole candidate cap left.
    expect(startRefusal(gpu, short(MIN_GPU_START_MS), true)).toMatchObject({ outcome: 'no-time' });
    expect(startRefusal(gpu, short(MIN_SOFTWARE_GPU_START_MS), true)).toBeNull();
    // The fused kernel runs on the CPU whatever the backend: no shaders to compile.
    expect(startRefusal({ engine: 'fused', backend: 'webgl' }, short(50))).toBeNull();
    // Out of the trial's maximum (not a short run's share): a verdict later runs keep.
    expect(startRefusal(gpu, { remainingMs: -5, shortRun: false })).toEqual({
      outcome: 'trial-full',
      note: 'no trial time left: the trial’s 12.0 s were spent'.replace('’', "'"),
    });
  });

  it('caps a candidate at its own limit (a verdict) or at the trial’s time', () => {
    expect(candidateLimit({ remainingMs: MAX_CANDIDATE_MS * 2, shortRun: true })).toEqual({
      ms: MAX_CANDIDATE_MS,
      outcome: 'capped',
    });
    expect(candidateLimit({ remainingMs: 1500, shortRun: true })).toEqual({ ms: 1500, outcome: 'no-time' });
    expect(candidateLimit({ remainingMs: 1500, shortRun: false })).toEqual({
      ms: 1500,
      outcome: 'trial-full',
    });
  });

  it('judges a CPU candidate after one step, a GPU one after its shader compiles and four steps', () => {
    const total = (steps: { blocks: readonly number[] }) => steps.blocks.reduce((a, b) => a + b, 0);
    const cpu = trialSteps({ engine: 'tfjs', backend: 'wasm' });
    const gpu = trialSteps({ engine: 'webgpu', backend: 'webgpu' });
    expect(cpu).toEqual({ warmup: 1, blocks: [1, TIMED_STEPS - 1] });
    expect(gpu).toEqual({ warmup: 2, blocks: [4, TIMED_STEPS - 4] });
    // The fused kernel runs on the CPU whatever the backend.
    expect(trialSteps({ engine: 'fused', backend: 'webgl' })).toEqual(cpu);
    expect(total(cpu)).toBe(TIMED_STEPS);
    expect(total(gpu)).toBe(TIMED_STEPS);
  });

  it('cuts a candidate at under half the best rate', () => {
    expect(isClearlySlower(100, null)).toBe(false);
    expect(isClearlySlower(499, 1000)).toBe(true);
    expect(isClearlySlower(600, 1000)).toBe(false);
  });
});

describe('picking', () => {
  const rate = (engine: 'fused' | 'tfjs', outcome: CandidateOutcome, examplesPerSecond: number | null) =>
    ({ engine, backend: 'wasm', outcome, examplesPerSecond, trialMs: 10 }) as const;

  it('picks the highest rate, cut ones included', () => {
    expect(bestRate([rate('tfjs', 'slower', 3000), rate('fused', 'measured', 98_000)])).toMatchObject({
      engine: 'fused',
    });
    expect(bestRate([rate('fused', 'failed', null)])).toBeNull();
  });

  it('keeps only a choice every candidate had a say in', () => {
    const fused = rate('fused', 'measured', 98_000);
    expect(isConclusive([fused, rate('tfjs', 'trial-full', null)])).toBe(true);
    expect(isConclusive([fused, rate('tfjs', 'no-time', null)])).toBe(false);
    expect(isConclusive([fused, rate('tfjs', 'stopped', null)])).toBe(false);
    expect(isConclusive([rate('fused', 'failed', null)])).toBe(false);
  });
});
