import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../core/config.ts';
import type { KernelThreadHost } from '../ml/fused/kernelPool.ts';
import { RunController } from '../ml/runControl.ts';
import { bandMnist, hiddenLayer, silentHooks, tinyConfig } from '../ml/testData.ts';
import { runTraining } from '../ml/trainingLoop.ts';
import { nodeKernelThreadHost } from './kernelThreads.ts';

/**
 * Whole runs on the threaded fused kernel (real worker threads): every helper a run spawns is
 * ended with it, nothing leaks over 20 runs, and Pause and Stop are answered within 100 ms at
 * batch 1, where a step is shortest and the loop's own per-step costs would show most.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100);

/** The Node host, counting the helpers it spawned and ended. */
function countingHost(): KernelThreadHost & { spawned: number; ended: number } {
  const host = nodeKernelThreadHost(2);
  const counts = {
    maxThreads: host.maxThreads,
    limitReason: host.limitReason,
    requestName: host.requestName,
    spawned: 0,
    ended: 0,
    spawn() {
      counts.spawned += 1;
      const port = host.spawn();
      return {
        start: port.start,
        terminate: () => {
          counts.ended += 1;
          port.terminate();
        },
      };
    },
  };
  return counts;
}

/** Real clock and a real macrotask turn, as in the worker. */
const realTime = {
  now: () => performance.now(),
  yieldToEventLoop: () => new Promise<void>((resolve) => setImmediate(resolve)),
};

describe('threaded fused runs', () => {
  it('end every helper they spawn, and leak nothing over 20 runs', async () => {
    const host = countingHost();
    const config = tinyConfig({ data: { ...tinyConfig().data, trainingExamples: 256 } });
    const tensorsBefore = tf.memory().numTensors;
    for (let run = 0; run < 20; run++) {
      const result = await runTraining(
        config,
        data,
        silentHooks({ engine: 'fused', threads: { host, request: 2 } }),
      );
      expect(result.finalTest.accuracy).toBeGreaterThan(0);
      expect(host.ended).toBe(host.spawned);
    }
    expect(host.spawned).toBe(20);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 120_000);

  it('answers Pause and Stop within 100 ms at batch 1', async () => {
    const config: TrainingConfig = tinyConfig({
      model: { ...tinyConfig().model, hiddenLayers: [hiddenLayer(128), hiddenLayer(64)] },
      training: { gradientDescent: 'miniBatch', batchSize: 1, epochs: 1 },
      data: { ...tinyConfig().data, trainingExamples: 50_000 },
    });
    const control = new RunController();
    const answered: Record<'pause' | 'stop', number> = { pause: Number.NaN, stop: Number.NaN };
    let asked = 0;
    let batches = 0;
    const result = await runTraining(
      config,
      data,
      silentHooks({
        ...realTime,
        control,
        engine: 'fused',
        threads: { host: nodeKernelThreadHost(2), request: 'auto' },
        onBatches: () => {
          batches += 1;
          if (batches === 5) {
            asked = performance.now();
            control.pause();
          }
        },
        onPaused: () => {
          answered.pause = performance.now() - asked;
          setTimeout(() => control.resume(), 10);
        },
        onResumed: () => {
          setTimeout(() => {
            asked = performance.now();
            control.stop();
          }, 200);
        },
        onEvaluating: () => {
          if (Number.isNaN(answered.stop)) answered.stop = performance.now() - asked;
        },
      }),
    );
    expect(result.stopped).toBe(true);
    expect(answered.pause).toBeLessThan(100);
    expect(answered.stop).toBeLessThan(100);
  }, 60_000);
});
