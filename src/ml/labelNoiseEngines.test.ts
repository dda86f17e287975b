import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineChoice } from '../core/engines.ts';
import { RunController } from './runControl.ts';
import { bandMnist, recordingHooks, tinyConfig } from './testData.ts';
import { runTraining } from './trainingLoop.ts';

/**
 * Label noise is applied once, before any engine exists (`runResources.ts`), so the fused kernel
 * and TF.js ops train on the same noisy labels: their per-step losses agree as on clean labels,
 * and both differ from a clean run. (WebGPU reads the same labels; its agreement test is a
 * browser test.)
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100);

async function stepLosses(config: TrainingConfig, engine: EngineChoice) {
  const hooks = recordingHooks(new RunController(), { engine });
  await runTraining(config, data, hooks);
  expect(hooks.log.start[0]?.engine.path).toBe(engine);
  return hooks.log.batches.flatMap((report) => [...report.losses]);
}

describe('label noise reaches every engine', () => {
  it('fused and TF.js train on the same noisy labels', async () => {
    const noisy = tinyConfig({ data: { ...tinyConfig().data, labelNoise: 0.5 } });
    const fused = await stepLosses(noisy, 'fused');
    const ops = await stepLosses(noisy, 'tfjs');
    const clean = await stepLosses(tinyConfig(), 'fused');
    expect(fused).toHaveLength(20);
    fused.forEach((loss, i) => expect(loss).toBeCloseTo(ops[i] ?? NaN, 3));
    // The band images are easy: clean labels drive the loss down, half of them wrong do not.
    expect(clean.at(-1)).toBeLessThan(0.5 * (fused.at(-1) ?? 0));
  });
});
