import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../../core/config.ts';
import { SeededRandom } from '../../core/random.ts';
import { allIndices, disposeSplit, toTensorSplit } from '../dataset.ts';
import { createMlp, disposeMlp } from '../mlp.ts';
import { evaluate } from '../step.ts';
import { hiddenLayer, syntheticImages } from '../testData.ts';
import { scheduleEngine, trainOnSchedule } from './trainingSchedule.ts';

/**
 * The fused engine evaluates the validation split on its own forward pass (inference mode: no
 * dropout); it must give the TF.js model's loss and accuracy on the same weights, for every loss,
 * with dropout, input dropout (the dense first layer), augmentation (images copied in) and odd
 * split sizes. Batch norm is left to the TF.js model (null).
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const images = syntheticImages(300);
const stats = { mean: 0.13, std: 0.31 };

function config(
  overrides: Partial<TrainingConfig['model']>,
  loss: Partial<TrainingConfig['loss']> = {},
  data: Partial<TrainingConfig['data']> = {},
): TrainingConfig {
  return {
    ...DEFAULT_CONFIG,
    model: {
      ...DEFAULT_CONFIG.model,
      hiddenLayers: [hiddenLayer(37, { dropout: 0.3 }), hiddenLayer(11, { activation: 'tanh' })],
      ...overrides,
    },
    loss: { ...DEFAULT_CONFIG.loss, ...loss },
    data: { ...DEFAULT_CONFIG.data, ...data },
  };
}

const CASES: [string, TrainingConfig][] = [
  ['cross-entropy with label smoothing, dropout', config({}, { labelSmoothing: 0.1 })],
  ['MSE', config({}, { kind: 'mse' })],
  ['hinge', config({}, { kind: 'hinge' })],
  ['input dropout (dense first layer)', config({ inputDropout: 0.2 })],
  ['augmentation (images copied in)', config({}, {}, { rotationDegrees: 10, cropPadding: 2 })],
];

describe('fused evaluation of the validation rows', () => {
  it.each(CASES)('%s: equals the TF.js model’s', async (_, c) => {
    const model = createMlp(c.model, new SeededRandom(3));
    const engine = scheduleEngine(c, model, images, { normalization: stats });
    trainOnSchedule(engine, images.count, 30, [64, 7]);
    const rows = new SeededRandom(8).permutation(images.count).subarray(0, 211);
    const fused = engine.evaluateRows(rows);
    engine.syncModel();
    const split = toTensorSplit(images, rows, stats);
    const ops = await evaluate(model, split, c.loss);
    disposeSplit(split);
    expect(fused).not.toBeNull();
    expect(Math.abs((fused?.loss ?? NaN) - ops.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ops.loss)));
    expect(Math.abs((fused?.accuracy ?? NaN) - ops.accuracy)).toBeLessThanOrEqual(1 / rows.length);
    engine.dispose();
    disposeMlp(model);
  });

  it('leaves batch norm to the TF.js model', () => {
    const c = config({ hiddenLayers: [hiddenLayer(16, { batchNorm: true })] });
    const model = createMlp(c.model, new SeededRandom(3));
    const engine = scheduleEngine(c, model, images, {});
    expect(engine.evaluateRows(allIndices(10))).toBeNull();
    engine.dispose();
    disposeMlp(model);
  });
});
