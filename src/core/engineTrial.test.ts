import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.ts';
import {
  bestRate,
  browserVersion,
  candidateLimit,
  describeRates,
  engineTrialKey,
  isClearlySlower,
  isConclusive,
  MAX_CANDIDATE_MS,
  MAX_TRIAL_MS,
  MIN_GPU_START_MS,
  MIN_RUN_STEPS,
  modelShape,
  runLength,
  skipTrialReason,
  startRefusal,
  trialBudgetMs,
  trialCandidates,
  trialReason,
  type CandidateRate,
  type DeviceDescription,
} from './engineTrial.ts';

const ALL = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
const pairs = (list: readonly { engine: string; backend: string }[]) =>
  list.map((c) => `${c.engine}@${c.backend}`);

describe('trialCandidates', () => {
  it('under auto: CPU ones first, GPU ones next (software last), TF.js cpu at the end', () => {
    expect(
      pairs(trialCandidates({ backend: 'auto', registered: ALL, fusedKernel: true, software: new Set() })),
    ).toEqual(['fused@wasm', 'tfjs@wasm', 'webgpu@webgpu', 'tfjs@webgpu', 'tfjs@webgl', 'tfjs@cpu']);
    const softwareWebgpu = trialCandidates({
      backend: 'auto',
      registered: ALL,
      fusedKernel: true,
      software: new Set(['webgpu']),
    });
    expect(pairs(softwareWebgpu)).toEqual([
      'fused@wasm',
      'tfjs@wasm',
      'tfjs@webgl',
      'webgpu@webgpu',
      'tfjs@webgpu',
      'tfjs@cpu',
    ]);
  });

  it('without WebAssembly SIMD there is no fused candidate; without wasm the fused kernel pairs with cpu', () => {
    expect(
      pairs(trialCandidates({ backend: 'auto', registered: ALL, fusedKernel: false, software: new Set() })),
    ).toEqual(['tfjs@wasm', 'webgpu@webgpu', 'tfjs@webgpu', 'tfjs@webgl', 'tfjs@cpu']);
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

  it('is a tenth of the run at the best rate so far, at most the cap', () => {
    const run = { steps: 2110, examples: 270_000 };
    expect(trialBudgetMs(run, null)).toBe(MAX_TRIAL_MS);
    expect(trialBudgetMs(run, 100_000)).toBeCloseTo(270);
    expect(trialBudgetMs({ steps: 1e5, examples: 1e9 }, 1000)).toBe(MAX_TRIAL_MS);
  });

  it('starts a GPU candidate only with time to compile its shaders', () => {
    const gpu = { engine: 'tfjs', backend: 'webgl' } as const;
    const cpu = { engine: 'tfjs', backend: 'wasm' } as const;
    expect(startRefusal(cpu, 50)).toBeNull();
    expect(startRefusal(cpu, 0)).toMatch(/used its time/);
    expect(startRefusal(gpu, MIN_GPU_START_MS - 1)).toMatch(/too little trial time left/);
    expect(startRefusal(gpu, MIN_GPU_START_MS)).toBeNull();
  });

  it('caps a candidate at its own limit (a verdict) or at the run’s budget (not one)', () => {
    expect(candidateLimit(MAX_CANDIDATE_MS * 2)).toEqual({ ms: MAX_CANDIDATE_MS, outcome: 'capped' });
    expect(candidateLimit(1500)).toEqual({ ms: 1500, outcome: 'no-time' });
  });

  it('cuts a candidate at under half the best rate', () => {
    expect(isClearlySlower(100, null)).toBe(false);
    expect(isClearlySlower(499, 1000)).toBe(true);
    expect(isClearlySlower(600, 1000)).toBe(false);
  });
});

const rate = (
  partial: Partial<CandidateRate> & Pick<CandidateRate, 'engine' | 'backend'>,
): CandidateRate => ({
  outcome: 'measured',
  examplesPerSecond: null,
  trialMs: 100,
  ...partial,
});

const measured: CandidateRate[] = [
  rate({ engine: 'fused', backend: 'wasm', examplesPerSecond: 98_000 }),
  rate({ engine: 'tfjs', backend: 'wasm', outcome: 'slower', examplesPerSecond: 3_100.4 }),
  rate({ engine: 'webgpu', backend: 'webgpu', outcome: 'failed', note: 'no adapter', software: true }),
  rate({ engine: 'tfjs', backend: 'webgl', outcome: 'capped', trialMs: 4200, software: true }),
  rate({ engine: 'tfjs', backend: 'webgpu', outcome: 'measured', examplesPerSecond: 9_000, software: true }),
  rate({ engine: 'tfjs', backend: 'cpu', outcome: 'not-needed' }),
];

describe('picking and telling', () => {
  it('picks the highest rate, and keeps only a choice every candidate had a say in', () => {
    expect(bestRate(measured)).toMatchObject({ engine: 'fused', backend: 'wasm' });
    expect(bestRate([rate({ engine: 'fused', backend: 'wasm', outcome: 'failed' })])).toBeNull();
    expect(isConclusive(measured)).toBe(true);
    expect(isConclusive([...measured, rate({ engine: 'tfjs', backend: 'webgl', outcome: 'no-time' })])).toBe(
      false,
    );
    expect(isConclusive([rate({ engine: 'fused', backend: 'wasm', outcome: 'failed' })])).toBe(false);
  });

  it('lists the rates fastest first, then the candidates without one', () => {
    expect(describeRates(measured)).toBe(
      'fused WASM 98,000 ex/s · TF.js ops on webgpu (software) 9,000 ex/s · TF.js ops on wasm 3,100 ex/s (cut early: clearly slower) · fused WebGPU (software): failed (no adapter) · TF.js ops on webgl (software): still starting after 4.2 s (cut) · TF.js ops on cpu: not needed (another backend runs)',
    );
  });

  it('says whether the choice was measured now or kept from a day’s measurement', () => {
    const winner = { engine: 'fused', backend: 'wasm' } as const;
    expect(trialReason(winner, { kind: 'measured' })).toBe('fused WebAssembly kernel: measured fastest here');
    expect(
      trialReason({ engine: 'tfjs', backend: 'webgl' }, { kind: 'cached', measuredOn: '2026-12-03' }),
    ).toBe(
      'TF.js ops on webgl: fastest in a measurement on 2026-12-03, kept for this device and model shape',
    );
  });
});

describe('the cache key', () => {
  const device: DeviceDescription = {
    gpuAdapter: 'google / swiftshader / SwiftShader Device (Subzero)',
    webglRenderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
    cores: 2,
    browser: 'Chrome 156',
    crossOriginIsolated: true,
  };

  it('names the device, the model shape and the backend choice', () => {
    expect(engineTrialKey(device, modelShape(DEFAULT_CONFIG), 'auto')).toBe(
      'Chrome 156 | 2 cores | isolated | webgpu: google / swiftshader / SwiftShader Device (Subzero) | webgl: ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver) | 784-128-64-10 | bn 00 | batch 128 | adam | backend auto',
    );
  });

  it('changes with what changes relative speed, and only with that', () => {
    const key = (config = DEFAULT_CONFIG) => engineTrialKey(device, modelShape(config), 'auto');
    const withBatchNorm = {
      ...DEFAULT_CONFIG,
      model: {
        ...DEFAULT_CONFIG.model,
        hiddenLayers: DEFAULT_CONFIG.model.hiddenLayers.map((l) => ({ ...l, batchNorm: true })),
      },
    };
    expect(key(withBatchNorm)).not.toBe(key());
    expect(key({ ...DEFAULT_CONFIG, training: { ...DEFAULT_CONFIG.training, batchSize: 64 } })).not.toBe(
      key(),
    );
    expect(key({ ...DEFAULT_CONFIG, optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'sgd' } })).not.toBe(
      key(),
    );
    expect(key({ ...DEFAULT_CONFIG, seed: 7 })).toBe(key());
    expect(key({ ...DEFAULT_CONFIG, training: { ...DEFAULT_CONFIG.training, epochs: 20 } })).toBe(key());
  });

  it('reads the browser and its major version from the user agent', () => {
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.114 Safari/537.36';
    expect(browserVersion(chrome)).toBe('Chrome 156');
    expect(browserVersion('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe(
      'Firefox 140',
    );
    expect(
      browserVersion(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15',
      ),
    ).toBe('Safari 18');
    expect(
      browserVersion(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0',
      ),
    ).toBe('Edge 156');
    expect(browserVersion('Node.js/20')).toBe('Node 20');
  });
});
