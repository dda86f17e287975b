import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../core/config.ts';
import { allIndices } from '../ml/dataset.ts';
import { SeededRandom } from '../core/random.ts';
import { scheduleEngine, trainOnSchedule } from '../ml/fused/trainingSchedule.ts';
import { createMlp, disposeMlp } from '../ml/mlp.ts';
import { syntheticImages } from '../ml/testData.ts';
import { nodeKernelThreadHost } from './kernelThreads.ts';

/**
 * The fused kernel's threads change the speed, never the result: the same seed trains to
 * bit-identical weights and losses on 1, 2 and 3 threads (real worker threads sharing the
 * kernel's memory), because every output element is computed by one thread in one fixed order.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const images = syntheticImages(200);

function config(
  overrides: Partial<TrainingConfig['model']>,
  optimizer: Partial<TrainingConfig['optimizer']>,
  data: Partial<TrainingConfig['data']> = {},
): TrainingConfig {
  return {
    ...DEFAULT_CONFIG,
    model: { ...DEFAULT_CONFIG.model, ...overrides },
    optimizer: { ...DEFAULT_CONFIG.optimizer, ...optimizer },
    loss: { ...DEFAULT_CONFIG.loss, l2: 1e-3, labelSmoothing: 0.1 },
    data: { ...DEFAULT_CONFIG.data, ...data },
  };
}

const CASES: [string, TrainingConfig][] = [
  [
    'Adam, dropout, odd widths',
    config(
      {
        inputDropout: 0.1,
        hiddenLayers: [
          { units: 45, activation: 'relu', dropout: 0.2, batchNorm: false },
          { units: 19, activation: 'tanh', dropout: 0, batchNorm: false },
        ],
      },
      { kind: 'adam', learningRate: 0.003 },
    ),
  ],
  [
    'AdamW with augmentation',
    config(
      { hiddenLayers: [{ units: 30, activation: 'gelu', dropout: 0, batchNorm: false }] },
      { kind: 'adamw', learningRate: 0.003, weightDecay: 0.01 },
      { rotationDegrees: 10, cropPadding: 2 },
    ),
  ],
];

/** 200 steps at batch sizes cycling through 61, 1 and 128; the weights, losses and threaded steps. */
async function train(c: TrainingConfig, threads: number) {
  const model = createMlp(c.model, new SeededRandom(3));
  const engine = scheduleEngine(c, model, images, {
    threading: { host: threads > 1 ? nodeKernelThreadHost(threads) : null, request: threads },
  });
  expect(await engine.whenThreadsReady()).toBe(true);
  const losses = trainOnSchedule(engine, images.count, 200, [61, 1, 128]);
  const evaluation = engine.evaluateRows(allIndices(images.count));
  engine.syncModel();
  const weights = model.variables.map((v) => Array.from(v.dataSync()));
  const threaded = engine.threadedSteps;
  engine.dispose();
  disposeMlp(model);
  return { weights, losses, threaded, evaluation };
}

describe('fused kernel threads', () => {
  it.each(CASES)(
    '%s: bit-identical weights (and evaluation) after 200 steps on 1, 2 and 3 threads',
    async (_, c) => {
      const one = await train(c, 1);
      expect(one.threaded).toBe(0);
      for (const threads of [2, 3]) {
        const many = await train(c, threads);
        expect(many.threaded).toBe(200);
        expect(many.losses).toEqual(one.losses);
        expect(many.weights).toEqual(one.weights);
        expect(many.evaluation).toEqual(one.evaluation);
      }
    },
    60_000,
  );
});
