import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../core/backends.ts';
import { runLength, trialCandidates, type RunLength, type TrialCandidate } from '../core/engineTrial.ts';
import { switchBackend } from './backend.ts';
import { measureCandidates, type TrialHost, type TrialInputs } from './engineTrial.ts';
import { RunController } from './runControl.ts';
import { runTraining } from './trainingLoop.ts';
import { bandMnist, hiddenLayer, recordingHooks, reportedLosses, tinyConfig } from './testData.ts';

const data = bandMnist(100, 5, false);
const config = tinyConfig({
  model: { ...tinyConfig().model, hiddenLayers: [hiddenLayer(32), hiddenLayer(16)] },
});
/** A run long enough that the trial may measure every CPU candidate. */
const longRun: RunLength = { steps: 100_000, examples: 100_000_000 };

beforeAll(async () => {
  // Node's WASM backend reads its binaries from disk: the package's dist/ folder, as a path.
  const dist = new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url);
  setWasmPaths(decodeURIComponent(dist.pathname));
  tf.env().set('PROD', true);
  expect(await switchBackend('wasm')).toBeNull();
});

/** The real clock and backends; `failing` backends refuse to come up. */
function host(extra: Partial<TrialHost> & { failing?: readonly BackendName[] } = {}): TrialHost {
  const { failing = [], ...rest } = extra;
  return {
    useBackend: (name) =>
      failing.includes(name) ? Promise.resolve(`${name} refused (test)`) : switchBackend(name),
    now: () => performance.now(),
    yieldToEventLoop: () => Promise.resolve(),
    stopRequested: () => false,
    ...rest,
  };
}

function inputs(candidates: readonly TrialCandidate[], extra: Partial<TrialInputs> = {}): TrialInputs {
  return {
    config,
    images: data.train,
    candidates,
    backend: 'auto',
    run: longRun,
    batchSize: 32,
    kernelVariant: 'simd',
    ...extra,
  };
}

const cpuCandidates = trialCandidates({
  backend: 'auto',
  registered: ['wasm', 'cpu'],
  fusedKernel: true,
  software: new Set(),
});

describe('measureCandidates', () => {
  it('times the fused kernel and TF.js ops on wasm, leaves TF.js cpu as the last resort, and leaks nothing', async () => {
    const tensors = tf.memory().numTensors;
    const rates = await measureCandidates(inputs(cpuCandidates), host());
    expect(rates.map((r) => [r.engine, r.backend])).toEqual([
      ['fused', 'wasm'],
      ['tfjs', 'wasm'],
      ['tfjs', 'cpu'],
    ]);
    const [fused, tfjs, cpu] = rates;
    expect(fused?.outcome).toBe('measured');
    expect(fused?.examplesPerSecond).toBeGreaterThan(0);
    // Measured in full, or cut after its first block for being clearly slower: a rate either way.
    expect(['measured', 'slower']).toContain(tfjs?.outcome);
    expect(tfjs?.examplesPerSecond).toBeGreaterThan(0);
    expect(cpu).toMatchObject({ outcome: 'not-needed', examplesPerSecond: null });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('on a forced backend measures the engines that run on it, and restores the backend it found', async () => {
    await switchBackend('wasm');
    const candidates = trialCandidates({
      backend: 'cpu',
      registered: ['wasm', 'cpu'],
      fusedKernel: true,
      software: new Set(),
    });
    const rates = await measureCandidates(inputs(candidates, { backend: 'cpu' }), host());
    expect(
      rates.map((r) => `${r.engine}@${r.backend}:${r.examplesPerSecond === null ? 'none' : 'rate'}`),
    ).toEqual(['fused@cpu:rate', 'tfjs@cpu:rate']);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('says why a backend that does not come up failed, and goes on', async () => {
    const rates = await measureCandidates(inputs(cpuCandidates), host({ failing: ['wasm'] }));
    expect(rates[0]).toMatchObject({
      outcome: 'failed',
      note: 'wasm refused (test)',
      examplesPerSecond: null,
    });
    expect(rates[1]).toMatchObject({ outcome: 'failed' });
    // Nothing else ran, so the last resort is measured.
    expect(rates[2]?.examplesPerSecond).toBeGreaterThan(0);
  });

  it('in a short run spends no more trial time once the fused kernel set the pace', async () => {
    const shortRun: RunLength = { steps: 1000, examples: 1000 };
    const rates = await measureCandidates(inputs(cpuCandidates, { run: shortRun }), host());
    expect(rates[0]?.outcome).toBe('measured');
    expect(rates[1]).toMatchObject({ outcome: 'no-time', examplesPerSecond: null });
  });

  it('leaves the candidates after a Stop unmeasured', async () => {
    let measured = 0;
    const rates = await measureCandidates(
      inputs(cpuCandidates),
      host({ yieldToEventLoop: () => Promise.resolve(void measured++), stopRequested: () => measured > 0 }),
    );
    expect(rates.map((r) => r.outcome)).toEqual(['measured', 'stopped', 'stopped']);
  });

  it('does not change the run: the same losses after a trial as without one', async () => {
    const train = async () => {
      const hooks = recordingHooks(new RunController(), { engine: 'fused' });
      await runTraining(config, data, hooks);
      return reportedLosses(hooks.log.batches);
    };
    const alone = await train();
    await measureCandidates(inputs(cpuCandidates), host());
    expect(await train()).toEqual(alone);
    expect(runLength(config).steps).toBeGreaterThan(0);
  });
});
