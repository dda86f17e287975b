import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, DEFAULT_CONFIG, LOSSES, OPTIMIZERS, type TrainingConfig } from '../../core/config.ts';
import type { EngineChoice, KernelVariant } from '../../core/engines.ts';
import { SeededRandom } from '../../core/random.ts';
import { allIndices } from '../dataset.ts';
import { createStepEngine } from '../engine.ts';
import { compiledKernel } from './kernel.ts';
import { isDeferredScalar, type StepValue } from '../pending.ts';
import { createMlp, disposeMlp, forward } from '../mlp.ts';
import { configOverriding, hiddenLayer, syntheticImages, type ConfigOverrides } from '../testData.ts';

/**
 * The fused kernel must train exactly like the TF.js ops path: same seed and config ⇒ the same
 * losses, accuracies and weights after several steps, within 1e-4, for every activation, loss,
 * optimizer, dropout, penalty, augmentation, odd layer widths (padding) and odd batch sizes;
 * with batch norm also its running statistics and an evaluation in inference mode through the
 * synced TF.js model.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const images = syntheticImages(96);
const stats = { mean: 0.1307, std: 0.3081 };
/** 24 normalised images `[24, 784]`, evaluated in inference mode after training. */
const EVALUATED = 24;
const evaluationInputs = Float32Array.from(
  images.pixels.subarray(0, EVALUATED * 784),
  (p) => (p / 255 - stats.mean) / stats.std,
);

/** A step value read at once, and its tensor (TF.js ops) freed; these engines defer nothing. */
function readNow(value: StepValue): number {
  if (typeof value === 'number') return value;
  if (isDeferredScalar(value)) throw new Error('no engine in this test defers its values');
  const read = value.dataSync()[0] ?? Number.NaN;
  value.dispose();
  return read;
}

function configWith(overrides: ConfigOverrides): TrainingConfig {
  return configOverriding(
    configOverriding(DEFAULT_CONFIG, {
      model: { hiddenLayers: [hiddenLayer(13), hiddenLayer(9)] },
      optimizer: { learningRate: 0.01 },
    }),
    overrides,
  );
}

/** Trains `steps` batches (sizes cycling through `batchSizes`) on one engine; returns its trace. */
function trace(
  config: TrainingConfig,
  choice: EngineChoice,
  steps: number,
  batchSizes: number[],
  variant?: KernelVariant,
) {
  const model = createMlp(config.model, new SeededRandom(11));
  const engine = createStepEngine(
    {
      config,
      model,
      images,
      trainIndices: allIndices(images.count),
      normalization: stats,
      augmentRng: new SeededRandom(5),
      dropoutRng: new SeededRandom(6),
      maxBatch: Math.max(...batchSizes),
    },
    choice,
    variant,
  );
  const order = new SeededRandom(7).permutation(images.count);
  const losses: number[] = [];
  const accuracies: number[] = [];
  let start = 0;
  let tensorsAfterFirstStep = 0;
  for (let s = 0; s < steps; s++) {
    const size = batchSizes[s % batchSizes.length] ?? 1;
    const positions = order.subarray(start, start + size);
    start = (start + size) % (images.count - 32);
    const { loss, accuracy } = engine.step(positions, 0.01 * (1 + s / 10));
    losses.push(readNow(loss));
    accuracies.push(readNow(accuracy));
    // TF.js optimizers create their moment variables on the first step.
    if (s === 0) tensorsAfterFirstStep = tf.memory().numTensors;
  }
  // Zero tensors leaked per step, on either path.
  expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
  engine.syncModel();
  expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
  const weights = model.variables.map((v) => Array.from(v.dataSync()));
  // With batch norm: its running statistics (what follows the trainable variables in the model's
  // state) and logits in inference mode, which read them (without, they follow from the weights).
  const running = model.state.slice(model.variables.length).map((v) => Array.from(v.dataSync()));
  const evaluation =
    running.length === 0
      ? []
      : tf.tidy(() =>
          Array.from(forward(model, tf.tensor2d(evaluationInputs, [EVALUATED, 784]), null).logits.dataSync()),
        );
  engine.dispose();
  disposeMlp(model);
  return { path: engine.info.path, losses, accuracies, weights, inference: [...running, evaluation] };
}

/** Kernel builds this Node can run: plain SIMD always; relaxed SIMD with its V8 flag. */
const VARIANTS = (['simd', 'relaxed'] as const).filter((v) => compiledKernel(v) !== null);
let variant: KernelVariant = 'simd';

function expectSameTraining(config: TrainingConfig, steps = 6, batchSizes = [32, 7, 1]) {
  const fused = trace(config, 'fused', steps, batchSizes, variant);
  const ops = trace(config, 'tfjs', steps, batchSizes);
  expect(fused.path).toBe('fused');
  expect(ops.path).toBe('tfjs');
  // Relative for the loss (float32 sums of ~5 differ in the 6th digit); accuracies are k/B.
  fused.losses.forEach((loss, i) => {
    const expected = ops.losses[i] ?? Number.NaN;
    expect(Math.abs(loss - expected)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected)));
  });
  fused.accuracies.forEach((accuracy, i) => expect(accuracy).toBeCloseTo(ops.accuracies[i] ?? Number.NaN, 6));
  expect(fused.weights.map((w) => w.length)).toEqual(ops.weights.map((w) => w.length));
  expect(fused.inference.map((w) => w.length)).toEqual(ops.inference.map((w) => w.length));
  // Running variances reach ~40 and logits ~20: relative past 1, like the loss (a float32
  // variance over 784-term sums differs in the 6th digit between the two summation orders).
  fused.inference.forEach((values, i) =>
    values.forEach((v, j) => {
      const expected = ops.inference[i]?.[j] ?? Number.NaN;
      expect(Math.abs(v - expected)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected)));
    }),
  );
  let worst = 0;
  fused.weights.forEach((values, i) =>
    values.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (ops.weights[i]?.[j] ?? Number.NaN))))),
  );
  expect(worst).toBeLessThan(1e-4);
}

describe.each(VARIANTS)('fused kernel (%s build) vs TF.js ops', (build) => {
  beforeAll(() => {
    variant = build;
  });

  // SGD here: Adam turns float-rounding noise in near-zero gradients into ±lr steps
  // (g/(|g| + ε)), which would test rounding, not the activation. Adam has its own cases.
  it.each(ACTIVATIONS)('%s hidden layers', (activation) => {
    expectSameTraining(
      configWith({
        optimizer: { kind: 'sgd' },
        model: {
          hiddenLayers: [
            { units: 13, activation, dropout: 0, batchNorm: false },
            { units: 9, activation, dropout: 0, batchNorm: false },
          ],
        },
      }),
    );
  });

  it.each(OPTIMIZERS)('%s optimizer', (kind) => {
    expectSameTraining(
      configWith({ optimizer: { kind, weightDecay: 0.05, epsilon: kind === 'adagrad' ? 0.1 : 1e-8 } }),
    );
  });

  it('Nesterov momentum', () => {
    expectSameTraining(configWith({ optimizer: { kind: 'momentum', nesterov: true } }));
  });

  it.each(LOSSES)('%s loss with label smoothing', (kind) => {
    expectSameTraining(configWith({ loss: { kind, labelSmoothing: 0.1 } }));
  });

  it('L1 and L2 penalties', () => {
    expectSameTraining(configWith({ loss: { l1: 1e-3, l2: 1e-2 } }));
  });

  it('dropout on the input and hidden layers draws the same masks', () => {
    expectSameTraining(
      configWith({
        model: {
          inputDropout: 0.2,
          hiddenLayers: [
            { units: 13, activation: 'tanh', dropout: 0.5, batchNorm: false },
            { units: 9, activation: 'relu', dropout: 0.3, batchNorm: false },
          ],
        },
      }),
    );
  });

  it('augmented batches', () => {
    expectSameTraining(configWith({ data: { rotationDegrees: 15, cropPadding: 2, shiftPixels: 1 } }));
  });

  // SGD with batch norm: see 'with Adam, dropout on every layer…' below for why not Adam.
  it('PyTorch init: the nonzero initial biases, with and without batch norm', () => {
    expectSameTraining(configWith({ model: { init: 'pytorch' } }));
    expectSameTraining(
      configWith({
        optimizer: { kind: 'sgd' },
        model: { init: 'pytorch', hiddenLayers: [hiddenLayer(13, { batchNorm: true }), hiddenLayer(9)] },
      }),
    );
  });

  it('softmax regression (no hidden layer) and a wide layer', () => {
    expectSameTraining(configWith({ model: { hiddenLayers: [] } }));
    expectSameTraining(
      configWith({
        model: { hiddenLayers: [{ units: 70, activation: 'sigmoid', dropout: 0, batchNorm: false }] },
      }),
      4,
      [64, 5],
    );
  });

  describe('batch norm', () => {
    const normalised = (activation: (typeof ACTIVATIONS)[number], units = [13, 9]) =>
      units.map((n) => hiddenLayer(n, { activation, batchNorm: true }));

    it.each(ACTIVATIONS)('on both hidden layers, %s', (activation) => {
      expectSameTraining(
        configWith({ optimizer: { kind: 'sgd' }, model: { hiddenLayers: normalised(activation) } }),
        6,
        [32, 7, 3],
      );
    });

    it('on one hidden layer of two, either one, with dropout and odd widths and batches', () => {
      for (const first of [true, false]) {
        expectSameTraining(
          configWith({
            optimizer: { kind: 'momentum' },
            model: {
              inputDropout: 0.1,
              hiddenLayers: [
                hiddenLayer(21, { activation: 'tanh', dropout: 0.3, batchNorm: first }),
                hiddenLayer(11, { activation: 'elu', dropout: 0.2, batchNorm: !first }),
              ],
            },
          }),
          6,
          [33, 5, 2],
        );
      }
    });

    // ε = 1e-3: a batch-norm layer's bias has a gradient of exactly 0 in exact arithmetic, so
    // both paths see only rounding noise there, which Adam at ε = 1e-8 turns into ±lr steps.
    it('with Adam, dropout on every layer and a linear layer', () => {
      expectSameTraining(
        configWith({
          optimizer: { kind: 'adam', epsilon: 1e-3 },
          model: {
            hiddenLayers: [
              hiddenLayer(30, { activation: 'relu', dropout: 0.2, batchNorm: true }),
              hiddenLayer(6, { activation: 'linear', dropout: 0.4, batchNorm: true }),
            ],
          },
        }),
        6,
        [19, 8],
      );
    });
  });
});
