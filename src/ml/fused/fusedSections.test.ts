import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../../core/config.ts';
import { fusedLayout } from '../../core/fusedLayout.ts';
import { SeededRandom } from '../../core/random.ts';
import { createMlp, disposeMlp } from '../mlp.ts';
import { hiddenLayer, syntheticImages } from '../testData.ts';
import { stepSections } from './fusedSections.ts';
import { scheduleEngine, trainOnSchedule } from './trainingSchedule.ts';

/**
 * The step's sections: exactly two (rows, weights) without batch norm, so plain configs pay no
 * extra barrier; a columns section around each batch-norm pass; and the same bits for any split
 * of rows, columns and weights between threads (each thread's share run in turn on one thread).
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const withLayers = (
  hiddenLayers: TrainingConfig['model']['hiddenLayers'],
  optimizer: Partial<TrainingConfig['optimizer']> = {},
): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  model: { ...DEFAULT_CONFIG.model, inputDropout: 0.1, hiddenLayers },
  optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: 0.003, ...optimizer },
  loss: { ...DEFAULT_CONFIG.loss, l2: 1e-3 },
});

const splits = (config: TrainingConfig) => stepSections(fusedLayout(config, 8)).map((s) => s.split);

describe('stepSections', () => {
  it('is rows then weights without batch norm', () => {
    expect(splits(DEFAULT_CONFIG)).toEqual(['rows', 'weights']);
    expect(splits(withLayers([]))).toEqual(['rows', 'weights']);
  });

  it('puts a columns section around each batch-norm pass, forward and backward', () => {
    const both = withLayers([hiddenLayer(128, { batchNorm: true }), hiddenLayer(64, { batchNorm: true })]);
    expect(splits(both)).toEqual([
      'rows',
      'columns',
      'rows',
      'columns',
      'rows',
      'columns',
      'rows',
      'columns',
      'weights',
    ]);
    const second = withLayers([hiddenLayer(128), hiddenLayer(64, { batchNorm: true })]);
    expect(splits(second)).toEqual(['rows', 'columns', 'rows', 'columns', 'rows', 'weights']);
  });
});

const images = syntheticImages(160);

/** 24 steps at batch sizes 61, 2, 128 with each section split between `threads`; the results. */
function train(config: TrainingConfig, threads: number) {
  const model = createMlp(config.model, new SeededRandom(3));
  const engine = scheduleEngine(config, model, images, { sequentialSplit: threads });
  const losses = trainOnSchedule(engine, images.count, 24, [61, 2, 128]);
  engine.syncModel();
  const state = model.state.map((v) => Array.from(v.dataSync()));
  engine.dispose();
  disposeMlp(model);
  return { losses, state };
}

describe('splitting a step between threads', () => {
  it.each([
    [
      'batch norm on both layers, Adam, dropout, odd widths',
      withLayers(
        [
          hiddenLayer(45, { activation: 'gelu', dropout: 0.2, batchNorm: true }),
          hiddenLayer(19, { activation: 'sigmoid', batchNorm: true }),
        ],
        { kind: 'adam' },
      ),
    ],
    [
      'batch norm on the second layer, momentum',
      withLayers(
        [hiddenLayer(37, { dropout: 0.3 }), hiddenLayer(21, { activation: 'tanh', batchNorm: true })],
        {
          kind: 'momentum',
        },
      ),
    ],
  ])('%s: the same bits on 1, 2 and 3 threads', (_, config) => {
    const one = train(config, 1);
    expect(one.losses.every(Number.isFinite)).toBe(true);
    for (const threads of [2, 3]) {
      const many = train(config, threads);
      expect(many.losses).toEqual(one.losses);
      expect(many.state).toEqual(one.state);
    }
  });
});
