import 'fake-indexeddb/auto';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { BackendName } from '../core/backends.ts';
import type { DeviceDescription } from '../core/engineTrialKey.ts';
import type { EngineInfo } from '../core/engines.ts';
import { switchBackend } from '../ml/backend.ts';
import { bandMnist, tinyConfig } from '../ml/testData.ts';
import { selectEngine, type EngineTrialEnvironment, type SelectionRequest } from './engineSelection.ts';
import { engineTrialCache } from './engineTrialCache.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100, 5, false);
/** 320 examples in batches of 32 for 1,000 epochs: 10,000 steps, long enough to measure. */
const long = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1000 } });
/** The same shape for 2 epochs: 20 steps, too short to measure. */
const short = tinyConfig();

const device: DeviceDescription = {
  gpuAdapter: 'none',
  webglRenderer: 'none',
  cores: 2,
  browser: 'Node 20',
  crossOriginIsolated: false,
};
const DAY = Date.UTC(2026, 11, 3);

function environment(factory = new IDBFactory()): EngineTrialEnvironment {
  return {
    cache: engineTrialCache(factory),
    describeDevice: vi.fn(() => Promise.resolve(device)),
    softwareBackends: () => Promise.resolve(new Set<BackendName>()),
    today: () => DAY,
  };
}

/** A request on the cpu backend, on a clock that ticks 1 ms per reading (so rates are exact). */
function request(extra: Partial<SelectionRequest>): SelectionRequest {
  let clock = 0;
  return {
    config: long,
    images: data.train,
    engine: 'auto',
    backend: 'cpu',
    environment: environment(),
    host: {
      useBackend: switchBackend,
      now: () => (clock += 1),
      yieldToEventLoop: () => Promise.resolve(),
      stopRequested: () => false,
    },
    ...extra,
  };
}

const built = (path: EngineInfo['path']): EngineInfo => ({ path, reason: `${path}, as built` });

describe('selectEngine', () => {
  it('leaves a forced engine alone, unmeasured', async () => {
    const env = environment();
    const selection = await selectEngine(request({ engine: 'tfjs', environment: env }));
    expect(selection.engine).toBe('tfjs');
    expect(selection.backend).toBeNull();
    expect(selection.describe(built('tfjs'))).toEqual(built('tfjs'));
    expect(env.describeDevice).not.toHaveBeenCalled();
  });

  it('gives a run too short to measure the fused kernel, and says why', async () => {
    const selection = await selectEngine(request({ config: short }));
    expect(selection.engine).toBe('fused');
    expect(selection.describe(built('fused'))).toEqual({
      path: 'fused',
      reason:
        'fused WebAssembly kernel: not measured, a short run (20 steps) is not worth measuring: the trial takes over 20 steps per candidate; the fused kernel needs no warm-up',
    });
  });

  it('measures, keeps a conclusive choice, and uses it next time without measuring', async () => {
    const factory = new IDBFactory();
    const first = await selectEngine(request({ environment: environment(factory) }));
    expect(first.backend).toBe('cpu');
    const info = first.describe(built(first.engine === 'auto' ? 'tfjs' : first.engine));
    expect(info.reason).toMatch(/: measured fastest here$/);
    expect(info.measured?.map((r) => `${r.engine}@${r.backend}`)).toEqual(['fused@cpu', 'tfjs@cpu']);
    expect(info.measured?.every((r) => r.examplesPerSecond !== null)).toBe(true);

    const tensors = tf.memory().numTensors;
    const again = await selectEngine(request({ environment: environment(factory) }));
    expect(again.engine).toBe(first.engine);
    const kept = again.describe(built(again.engine === 'auto' ? 'tfjs' : again.engine));
    expect(kept.reason).toMatch(
      /: fastest in a measurement on 2026-12-03, kept for this device and model shape$/,
    );
    expect(kept.measured).toEqual(info.measured);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('measures again when the kept choice’s backend does not come up', async () => {
    const factory = new IDBFactory();
    await selectEngine(request({ environment: environment(factory) }));
    const refusing = request({ environment: environment(factory) });
    const useBackend = vi.fn((name: BackendName) => switchBackend(name));
    useBackend.mockResolvedValueOnce('lost (test)');
    const again = await selectEngine({ ...refusing, host: { ...refusing.host, useBackend } });
    expect(again.describe(built('fused')).reason).toMatch(/measured fastest here$/);
  });

  it('does not keep a choice measured in a run too short for every candidate', async () => {
    const factory = new IDBFactory();
    // 221 steps of a fast model: the fused kernel's pace leaves TF.js no trial time.
    const brief = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 23 } });
    const first = await selectEngine(request({ config: brief, environment: environment(factory) }));
    expect(first.describe(built('fused')).measured?.[1]?.outcome).toBe('no-time');
    const again = await selectEngine(request({ config: brief, environment: environment(factory) }));
    expect(again.describe(built('fused')).reason).toMatch(/measured fastest here$/);
  });

  it('leaves the run its own choice when the trial fails, and says so', async () => {
    const env = environment();
    const broken = { ...env, describeDevice: () => Promise.reject(new Error('no navigator (test)')) };
    const selection = await selectEngine(request({ environment: broken }));
    expect(selection.engine).toBe('auto');
    expect(selection.backend).toBeNull();
    expect(selection.describe(built('fused')).reason).toBe(
      'fused, as built (the engine trial failed: no navigator (test))',
    );
  });
});
