import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config.ts';
import { checkRunMemory, currentGpuLimits } from './memoryGuard.ts';

/** The worker-side guard on a real WebGPU device (SwiftShader in headless Chromium). */

beforeAll(async () => {
  expect(await tf.setBackend('webgpu')).toBe(true);
});

test('reads the webgpu device’s buffer limits, and checks the run against them', () => {
  const device = (tf.backend() as unknown as { readonly device: GPUDevice }).device;
  const limits = currentGpuLimits();
  expect(limits).toEqual({
    maxBufferSize: device.limits.maxBufferSize,
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
  });
  // The device's own limits fit the default config with every engine.
  for (const choice of ['auto', 'webgpu', 'tfjs'] as const) {
    const check = checkRunMemory(DEFAULT_CONFIG, choice);
    expect(check.ok ? null : check.message).toBeNull();
    expect(check.estimate.target.gpuLimits).toEqual(limits);
  }
  // A device offering only WebGPU's minimum cannot bind TF.js's [54,000, 794] f32 training tensor.
  const minimum = { maxBufferSize: 256 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20 };
  const check = checkRunMemory(DEFAULT_CONFIG, 'tfjs', minimum);
  expect(check.ok ? null : check.field).toBe('data.trainingExamples');
  expect(checkRunMemory(DEFAULT_CONFIG, 'webgpu', minimum).ok).toBe(true);
});
