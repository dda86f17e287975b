import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../../core/config.ts';
import { fusedLayout } from '../../core/fusedLayout.ts';
import { SeededRandom } from '../../core/random.ts';
import { allIndices } from '../dataset.ts';
import { createMlp, disposeMlp } from '../mlp.ts';
import { hiddenLayer, syntheticImages } from '../testData.ts';
import { FusedEngine } from './fusedEngine.ts';
import { stepSections } from './fusedSections.ts';
import { compiledKernel } from './kernel.ts';

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
  const kernel = compiledKernel('simd');
  if (kernel === null) throw new Error('no WebAssembly SIMD');
  const model = createMlp(config.model, new SeededRandom(3));
  const engine = new FusedEngine(kernel, {
    config,
    model,
    images,
    trainIndices: allIndices(images.count),
    normalization: { mean: 0.13, std: 0.31 },
    augmentRng: new SeededRandom(4),
    dropoutRng: new SeededRandom(5),
    maxBatch: 128,
    sequentialSplit: threads,
  });
  const order = new SeededRandom(6).permutation(images.count);
  const losses: number[] = [];
  const sizes = [61, 2, 128];
  for (let step = 0; step < 24; step++) {
    const size = sizes[step % sizes.length] ?? 2;
    const start = (step * 37) % (images.count - size);
    losses.push(engine.trainStep(order.subarray(start, start + size), 0.003).loss);
  }
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
