import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import * as gpu from './gpuDeviceLoss.ts';
import type { DeviceLoss } from './gpuDeviceLoss.ts';

/**
 * A lost WebGPU device in real Chromium (SwiftShader's WebGPU): the loss is seen once, a run's
 * failed read can tell it from other failures, and the revived backend computes on a new device.
 */

const deviceOf = () => (tf.backend() as unknown as { readonly device: GPUDevice }).device;

async function product(): Promise<number[]> {
  const m = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const p = tf.matMul(m, m);
  try {
    return Array.from(await p.data());
  } finally {
    tf.dispose([m, p]);
  }
}

test('a destroyed device is seen once, failed reads are traced to it, and the revived backend works', async () => {
  expect(await tf.setBackend('webgpu')).toBe(true);
  const first = deviceOf();
  expect(await product()).toEqual([7, 10, 15, 22]);
  expect(await gpu.isWebgpuDeviceLost()).toBe(false);

  const losses: DeviceLoss[] = [];
  gpu.watchWebgpuDeviceLoss((loss) => losses.push(loss));
  gpu.watchWebgpuDeviceLoss((loss) => losses.push(loss)); // the same device: not watched twice
  const m = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const pending = tf.matMul(m, m);
  const read = pending.data();
  expect(gpu.loseWebgpuDevice()).toBe(true);
  await expect(read).rejects.toThrow(/mapAsync/);
  expect(await gpu.isWebgpuDeviceLost()).toBe(true);
  expect(losses).toEqual([{ reason: 'destroyed', message: expect.any(String) }]);
  // Freed before the revival: a removed backend's tensors cannot be disposed.
  tf.dispose([m, pending]);

  gpu.reviveWebgpuBackend();
  expect(tf.getBackend()).toBeNull();
  expect(await tf.setBackend('webgpu')).toBe(true);
  expect(deviceOf()).not.toBe(first);
  expect(await product()).toEqual([7, 10, 15, 22]);
  expect(await gpu.isWebgpuDeviceLost()).toBe(false);
  // Revived again (a second loss) still wraps TF.js's own factory, not the previous wrapper.
  gpu.loseWebgpuDevice();
  gpu.reviveWebgpuBackend();
  expect(await tf.setBackend('webgpu')).toBe(true);
  expect(await product()).toEqual([7, 10, 15, 22]);
});

test('no webgpu backend up: nothing to lose, and the loss is not blamed for other failures', async () => {
  await tf.setBackend('cpu');
  expect(await gpu.isWebgpuDeviceLost()).toBe(false);
});

test('the message says what happened, what it cost and what to do', () => {
  const loss: DeviceLoss = { reason: 'unknown', message: 'GPU hung' };
  expect(gpu.deviceLostMessage(loss, true)).toBe(
    'The GPU\'s WebGPU device was lost during training (a GPU reset, a driver update or too much GPU memory in use: "GPU hung"), ' +
      'so the run stopped and its weights, which lived on the GPU, are gone. Press Train to start again on a fresh device, or pick WASM.',
  );
  expect(gpu.deviceLostMessage({ reason: 'destroyed', message: '' }, false)).toBe(
    "The GPU's WebGPU device was lost (it was destroyed). Press Train to start again on a fresh device, or pick WASM.",
  );
});
