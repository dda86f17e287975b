import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { bandMnist, tinyConfig } from '../ml/testData.ts';
import type { WorkerCommand, WorkerEvent } from './protocol.ts';
import { WorkerSession } from './WorkerSession.ts';

/**
 * The worker's session on a real WebGPU device (SwiftShader in headless Chromium): the device's
 * buffer limits reach the page with `backend-ready`, and a device lost mid-run stops the run with
 * one message, drops what the dead run still reports, and the next run trains on a new device in
 * the same session.
 */

const data = bandMnist(100);
const config = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1 } });
const device = () => (tf.backend() as unknown as { readonly device: GPUDevice }).device;

test('a lost WebGPU device stops the run once, and the next run trains on a new device', async () => {
  const events: WorkerEvent[] = [];
  const session = new WorkerSession({
    post: (event) => events.push(event),
    loadMnist: async () => data,
    bringUpBackend: async () => {
      if (!(await tf.setBackend('webgpu'))) throw new Error('no webgpu');
      return { name: 'webgpu', crossOriginIsolated: false, threads: 1, notes: [] };
    },
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    now: () => performance.now(),
  });
  const start = (runId: string, startPaused: boolean): WorkerCommand => ({
    type: 'start',
    runId,
    backend: 'webgpu',
    config,
    engine: 'tfjs',
    analysis: false,
    startPaused,
  });
  const of = (runId: string, type: WorkerEvent['type']) =>
    events.filter((e) => e.runId === runId && e.type === type);

  const first = session.receive(start('a', true));
  while (of('a', 'paused').length === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  const lostDevice = device();
  const [ready] = of('a', 'backend-ready');
  expect(ready?.type === 'backend-ready' && ready.backend.gpuLimits).toEqual({
    maxBufferSize: lostDevice.limits.maxBufferSize,
    maxStorageBufferBindingSize: lostDevice.limits.maxStorageBufferBindingSize,
  });

  await session.receive({ type: 'simulate-fault', runId: 'a', fault: 'webgpu-device-loss' });
  await first;
  const afterFault = events.slice(events.findIndex((e) => e.type === 'paused'));
  expect(afterFault.map((e) => `${e.runId}:${e.type}`)).toEqual(['a:paused', 'a:error']);
  expect(of('a', 'error')[0]).toMatchObject({
    message: expect.stringMatching(/^The GPU's WebGPU device was lost during training \(it was destroyed/),
  });
  expect(of('a', 'error')[0]).not.toHaveProperty('fatal');

  await session.receive(start('b', false));
  expect(of('b', 'run-finished')).toMatchObject([{ stopped: false }]);
  expect(device()).not.toBe(lostDevice);
  expect(of('b', 'error')).toEqual([]);
});
