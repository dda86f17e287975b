import { describe, expect, it } from 'vitest';
import type { CandidateRate } from './engineTrial.ts';
import { describeRates, trialReason } from './engineTrialText.ts';

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

describe('the Details text', () => {
  it('says why a candidate was not measured', () => {
    expect(describeRates([rate({ engine: 'tfjs', backend: 'webgpu', outcome: 'blocked' })])).toBe(
      'TF.js ops on webgpu: not measured (the webgpu device was still busy with the candidate cut before it)',
    );
    expect(describeRates([rate({ engine: 'tfjs', backend: 'webgl', outcome: 'no-time' })])).toBe(
      'TF.js ops on webgl: not measured (the trial had used its time)',
    );
    expect(
      describeRates([
        rate({
          engine: 'tfjs',
          backend: 'webgpu',
          outcome: 'trial-full',
          examplesPerSecond: 400,
          software: true,
        }),
      ]),
    ).toBe('TF.js ops on webgpu (software) 400 ex/s (partly measured: the trial had used its time)');
  });

  it('lists the rates fastest first, then the candidates without one', () => {
    expect(describeRates(measured)).toBe(
      'fused WASM (1 thread) 98,000 ex/s · TF.js ops on webgpu (software) 9,000 ex/s · TF.js ops on wasm 3,100 ex/s (cut early: clearly slower) · fused WebGPU (software): failed (no adapter) · TF.js ops on webgl (software): still starting after 4.2 s (cut) · TF.js ops on cpu: not needed (another backend runs)',
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
