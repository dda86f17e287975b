import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunController } from '../runControl.ts';
import { runTraining } from '../trainingLoop.ts';
import {
  bandMnist,
  hiddenLayer,
  recordingHooks,
  reportedLosses,
  reportedSteps,
  tinyConfig,
} from '../testData.ts';

/**
 * The fused WebGPU engine inside the real training loop (Chromium, SwiftShader WebGPU): a short
 * run on the webgpu backend reports every step once with the losses the fused WASM kernel reports
 * on the same seed (read back a span at a time, not per step), evaluates through the synced TF.js
 * model to the same accuracy, and leaves no tensor behind.
 */

beforeAll(async () => {
  await tf.setBackend('webgpu');
  await tf.ready();
});

const data = bandMnist(100, 5, false);
const config = tinyConfig({
  model: { ...tinyConfig().model, hiddenLayers: [hiddenLayer(16, { dropout: 0.2 })] },
});

describe('runTraining on the fused WebGPU engine', () => {
  it('reports every step with the fused kernel’s losses, evaluates the synced model, frees every tensor', async () => {
    const runs = [];
    for (const engine of ['webgpu', 'fused'] as const) {
      const before = tf.memory().numTensors;
      const h = recordingHooks(new RunController(), { engine });
      const result = await runTraining(config, data, h);
      expect(h.log.start[0]?.engine.path).toBe(engine);
      expect(tf.memory().numTensors).toBe(before);
      runs.push({ h, result });
    }
    const [gpu, wasm] = runs;
    if (gpu === undefined || wasm === undefined) throw new Error('two runs');
    expect(reportedSteps(gpu.h.log.batches)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const wasmLosses = reportedLosses(wasm.h.log.batches);
    reportedLosses(gpu.h.log.batches).forEach((loss, i) => {
      expect(Math.abs(loss - (wasmLosses[i] ?? Number.NaN))).toBeLessThanOrEqual(1e-3);
    });
    expect(gpu.h.log.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(Math.abs(gpu.result.finalTest.accuracy - wasm.result.finalTest.accuracy)).toBeLessThanOrEqual(
      0.01,
    );
    expect(Math.abs(gpu.result.finalTest.loss - wasm.result.finalTest.loss)).toBeLessThanOrEqual(1e-3);
  });
});
