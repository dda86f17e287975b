import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, OPTIMIZERS, type TrainingConfig } from '../../core/config.ts';
import { SeededRandom } from '../../core/random.ts';
import { createMlp, disposeMlp } from '../mlp.ts';
import { bandMnist, hiddenLayer } from '../testData.ts';
import { scheduleEngine, trainOnSchedule } from './trainingSchedule.ts';

/**
 * No subnormal floats survive in what the optimizers keep between steps. Inputs scaled to [0, 1]
 * leave blank pixels' weights with exactly zero gradients (as do ReLU units inactive on every
 * example, whatever the inputs); a pixel that was lit a few times
 * (the band images' one random grey pixel) leaves Adam's first moment decaying by β1 = 0.9 a
 * step, into the subnormal range after ~800 steps, where x86 CPUs compute 60–90× slower. The
 * kernel flushes such values to zero.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MIN_NORMAL = 1.1754943508222875e-38;
const images = bandMnist(10, 5).train;

function subnormals(values: Float32Array | null): number {
  let count = 0;
  for (const v of values ?? []) if (v !== 0 && Math.abs(v) < MIN_NORMAL) count += 1;
  return count;
}

describe('optimizer state after 2,000 batch-1 steps', () => {
  it.each(OPTIMIZERS)('%s keeps no subnormal value', (kind) => {
    const config: TrainingConfig = {
      ...DEFAULT_CONFIG,
      model: { ...DEFAULT_CONFIG.model, hiddenLayers: [hiddenLayer(32)] },
      optimizer: {
        ...DEFAULT_CONFIG.optimizer,
        kind,
        learningRate: 0.001,
        epsilon: kind === 'adagrad' ? 0.1 : 1e-8,
      },
    };
    const model = createMlp(config.model, new SeededRandom(3));
    // Mean 0 and std 1: inputs x/255 in [0, 1], so blank pixels are exactly 0.
    const engine = scheduleEngine(config, model, images, { normalization: { mean: 0, std: 1 } });
    trainOnSchedule(engine, images.count, 2000, [1]);
    const { state1, state2 } = engine.optimizerState();
    expect(subnormals(state1)).toBe(0);
    expect(subnormals(state2)).toBe(0);
    engine.syncModel();
    for (const variable of model.variables) expect(subnormals(variable.dataSync() as Float32Array)).toBe(0);
    engine.dispose();
    disposeMlp(model);
  });
});
