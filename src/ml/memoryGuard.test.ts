import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  effectiveBatchSize,
  effectiveTrainingExamples,
  type TrainingConfig,
} from '../core/config.ts';
import { estimateMemory } from '../core/memoryEstimate.ts';
import { normalizationStats } from '../core/normalization.ts';
import { SeededRandom } from '../core/random.ts';
import { splitIndices } from './dataset.ts';
import { FusedEngine } from './fused/fusedEngine.ts';
import { compiledKernel } from './fused/kernel.ts';
import { MemoryBudgetError, checkRunMemory } from './memoryGuard.ts';
import { createMlp, disposeMlp } from './mlp.ts';
import { runTraining } from './trainingLoop.ts';
import { bandMnist, hiddenLayer, silentHooks } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100);

const config = (changes: Partial<TrainingConfig>): TrainingConfig => ({ ...DEFAULT_CONFIG, ...changes });
const model = (hidden: TrainingConfig['model']['hiddenLayers'], inputDropout = 0) => ({
  ...DEFAULT_CONFIG.model,
  hiddenLayers: hidden,
  inputDropout,
});
const optimizer = (kind: TrainingConfig['optimizer']['kind']) => ({ ...DEFAULT_CONFIG.optimizer, kind });

const CASES: [string, TrainingConfig][] = [
  ['default (Adam, batch 128)', DEFAULT_CONFIG],
  ['SGD, no optimizer state', config({ optimizer: optimizer('sgd') })],
  ['momentum', config({ optimizer: optimizer('momentum') })],
  ['RMSprop', config({ optimizer: optimizer('rmsprop') })],
  ['Adagrad', config({ optimizer: optimizer('adagrad') })],
  [
    'odd widths, dropout, input dropout, sigmoid and linear layers',
    config({
      model: model(
        [
          hiddenLayer(100, { dropout: 0.3 }),
          hiddenLayer(37, { activation: 'sigmoid' }),
          hiddenLayer(5, { activation: 'linear' }),
        ],
        0.2,
      ),
    }),
  ],
  ['softmax regression', config({ model: model([]) })],
  [
    'batch norm on both hidden layers (γ, β in the parameters; running statistics)',
    config({
      model: model([
        hiddenLayer(128, { batchNorm: true }),
        hiddenLayer(37, { batchNorm: true, dropout: 0.2 }),
      ]),
    }),
  ],
  [
    'augmented (batch staging instead of the resident file)',
    config({ data: { ...DEFAULT_CONFIG.data, rotationDegrees: 10 } }),
  ],
  [
    'full batch of 3,000',
    config({
      training: { ...DEFAULT_CONFIG.training, gradientDescent: 'fullBatch' },
      data: { ...DEFAULT_CONFIG.data, trainingExamples: 3000 },
    }),
  ],
];

describe('the fused kernel arena estimate', () => {
  it.each(CASES)('%s: matches the engine’s real WebAssembly memory to the byte', (_, c) => {
    const kernel = compiledKernel('simd');
    if (kernel === null) throw new Error('no SIMD');
    const indices = splitIndices(c);
    const mlp = createMlp(c.model, new SeededRandom(1));
    const maxBatch = Math.max(1, Math.min(effectiveBatchSize(c), effectiveTrainingExamples(c)));
    const engine = new FusedEngine(kernel, {
      config: c,
      model: mlp,
      images: data.train,
      trainIndices: indices.train,
      normalization: normalizationStats(c.data.normalization, data.train.pixels, indices.train),
      augmentRng: new SeededRandom(2),
      dropoutRng: new SeededRandom(3),
      maxBatch,
    });
    const estimate = estimateMemory(c, { backend: 'wasm', engine: 'fused' });
    expect(estimate.arenaBytes).toBe(engine.memoryBytes);
    disposeMlp(mlp);
  });
});

describe('the worker-side guard in runTraining', () => {
  const huge = config({
    model: model(Array.from({ length: 8 }, () => hiddenLayer(4096))),
    training: { ...DEFAULT_CONFIG.training, gradientDescent: 'fullBatch' },
  });

  it('refuses a config past the budget before allocating anything', async () => {
    const before = tf.memory().numTensors;
    const started = performance.now();
    const run = runTraining(huge, data, silentHooks({ engine: 'tfjs', now: () => performance.now() }));
    await expect(run).rejects.toThrow(MemoryBudgetError);
    await expect(run).rejects.toThrow(
      /^784-4096×8-10 at full batch \(54,000 examples\) needs about .* on the cpu backend with TF\.js ops/,
    );
    // No 120-million-weight draw happened first.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checks the backend in use and the engine the choice resolves to', () => {
    const fused = checkRunMemory(DEFAULT_CONFIG, 'auto');
    expect(fused.ok).toBe(true);
    expect(fused.estimate.target).toEqual({ backend: 'cpu', engine: 'fused' });
    expect(checkRunMemory(DEFAULT_CONFIG, 'tfjs').estimate.target.engine).toBe('tfjs');
  });
});
