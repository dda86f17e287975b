import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../../core/config.ts';
import { RunController } from '../runControl.ts';
import { bandMnist, recordingHooks, reportedLosses, tinyConfig } from '../testData.ts';
import { runTraining } from '../trainingLoop.ts';

/**
 * Label noise on the fused WebGPU engine (Chromium, SwiftShader WebGPU: correctness, not speed):
 * the labels it uploads per step are the run's noisy ones, so its losses are the fused WASM
 * kernel's on the same noisy labels, and far from a clean run's.
 */

beforeAll(async () => {
  await tf.setBackend('webgpu');
  await tf.ready();
});

const data = bandMnist(100, 5, false);

async function losses(config: TrainingConfig, engine: 'webgpu' | 'fused'): Promise<number[]> {
  const hooks = recordingHooks(new RunController(), { engine });
  await runTraining(config, data, hooks);
  expect(hooks.log.start[0]?.engine.path).toBe(engine);
  return reportedLosses(hooks.log.batches);
}

describe('label noise on the WebGPU engine', () => {
  it('trains on the same noisy labels as the fused kernel', async () => {
    const noisy = tinyConfig({ data: { ...tinyConfig().data, labelNoise: 0.5 } });
    const gpu = await losses(noisy, 'webgpu');
    const wasm = await losses(noisy, 'fused');
    const clean = await losses(tinyConfig(), 'webgpu');
    expect(gpu).toHaveLength(20);
    gpu.forEach((loss, i) => expect(Math.abs(loss - (wasm[i] ?? Number.NaN))).toBeLessThanOrEqual(1e-3));
    expect(clean.at(-1)).toBeLessThan(0.5 * (gpu.at(-1) ?? 0));
  });
});
