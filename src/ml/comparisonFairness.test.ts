import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyVariant, COMPARE_PRESETS, presetVariants, type Variant } from '../core/comparison.ts';
import type { TrainingConfig } from '../core/config.ts';
import { runStreams } from '../core/runStreams.ts';
import { createMlp, disposeMlp } from './mlp.ts';
import { RunController } from './runControl.ts';
import { tinyConfig, syntheticImages } from './testData.ts';
import { runTraining, type MnistData, type RunStartInfo } from './trainingLoop.ts';

/**
 * The comparison's promise, checked on real runs: variants of one base start from the same
 * weights (same architecture) and see the data in the same order (same seed).
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data: MnistData = { train: syntheticImages(60_000, 3), test: syntheticImages(50, 4) };
const base = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1 } });

function configsOf(presetId: string): TrainingConfig[] {
  const preset = COMPARE_PRESETS.find((p) => p.id === presetId);
  if (!preset) throw new Error(presetId);
  return presetVariants(preset).map((variant) => {
    const result = applyVariant(base, variant);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.config;
  });
}

/** The initial kernels of `config`'s network, as plain arrays. */
function initialKernels(config: TrainingConfig): Float32Array[] {
  const model = createMlp(config.model, runStreams(config.seed).init);
  const kernels = model.kernels.map((k) => k.dataSync() as Float32Array);
  disposeMlp(model);
  return kernels;
}

/** Trains `config` for a few steps and returns what the run reported at its start. */
async function startInfo(config: TrainingConfig): Promise<RunStartInfo> {
  const control = new RunController();
  let info: RunStartInfo | null = null;
  let steps = 0;
  await runTraining(config, data, {
    control,
    now: () => 0,
    yieldToEventLoop: () => Promise.resolve(),
    onStart: (i) => (info = i),
    onBatches: (r) => {
      steps += r.steps.length;
      if (steps >= 2) control.stop();
    },
    onEpoch: () => {},
    onEvaluating: () => {},
    onPaused: () => {},
    onResumed: () => {},
    reportEveryMs: 0,
  });
  if (info === null) throw new Error('no start');
  return info;
}

describe('fair comparisons', () => {
  it.each(['optimizers', 'dropout', 'batch-norm', 'loss', 'batch-size'])(
    'the %s preset starts every variant from identical weights',
    (presetId) => {
      const [first, ...others] = configsOf(presetId).map(initialKernels);
      for (const kernels of others) expect(kernels).toEqual(first);
    },
  );

  it('runs report equal fingerprints for same-architecture variants, and say when they differ', async () => {
    const [sgd, momentum] = configsOf('optimizers');
    const [noDropout, dropout] = configsOf('dropout');
    const wider: Variant = { key: 'w', overrides: [{ field: 'hiddenLayers', value: '24' }] };
    const widerConfig = applyVariant(base, wider);
    if (!widerConfig.ok) throw new Error('invalid');
    const infos = await Promise.all(
      [sgd, momentum, noDropout, dropout, widerConfig.config].map((c) => startInfo(c!)),
    );
    const weights = infos.map((i) => i.fingerprints.initialWeights);
    const orders = infos.map((i) => i.fingerprints.dataOrder);
    expect(new Set(weights.slice(0, 4)).size).toBe(1);
    expect(weights[4]).not.toBe(weights[0]); // a different shape cannot share weights…
    expect(new Set(orders).size).toBe(1); // …but still sees the same data order
    expect(weights[0]).toMatch(/^[0-9a-f]{8}$/);
  });

  it('a different batch size changes the steps, not the order of examples', async () => {
    const [one, sixtyFour, full] = configsOf('batch-size');
    const infos = await Promise.all([one, sixtyFour, full].map((c) => startInfo(c!)));
    expect(new Set(infos.map((i) => i.fingerprints.dataOrder)).size).toBe(1);
    expect(infos.map((i) => i.batchSize)).toEqual([1, 64, 320]);
  });

  it('different seeds give different weights and data order', async () => {
    const infos = await Promise.all(configsOf('seeds').map((c) => startInfo(c)));
    expect(new Set(infos.map((i) => i.fingerprints.initialWeights)).size).toBe(3);
    expect(new Set(infos.map((i) => i.fingerprints.dataOrder)).size).toBe(3);
  });

  it('leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    await startInfo(base);
    expect(tf.memory().numTensors).toBe(before);
  });
});
