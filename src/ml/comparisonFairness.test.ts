import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { applyVariant, COMPARE_PRESETS, presetVariants, type Variant } from '../core/comparison.ts';
import type { TrainingConfig } from '../core/config.ts';
import { Fingerprint } from '../core/fingerprint.ts';
import { runStreams } from '../core/runStreams.ts';
import type * as EngineModule from './engine.ts';
import { createMlp, disposeMlp } from './mlp.ts';
import { RunController } from './runControl.ts';
import { silentHooks, tinyConfig, syntheticImages } from './testData.ts';
import { runTraining, type MnistData, type RunStartReport } from './trainingLoop.ts';

/**
 * The comparison's promise, checked on real runs: variants of one base start from the same
 * weights (same architecture) and see the data in the same order (same seed). The data-order
 * fingerprint is checked against the batches the engine actually received, so it cannot merely
 * agree with itself.
 */

/** MNIST rows of every batch each engine built so far, in order (one entry per engine). */
const received = vi.hoisted(() => [] as number[][]);

// The real engines, watched: each step's positions are mapped to the MNIST rows they stand for.
vi.mock('./engine.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof EngineModule>();
  return {
    ...actual,
    createStepEngine: (...args: Parameters<typeof actual.createStepEngine>) => {
      const engine = actual.createStepEngine(...args);
      const rows: number[] = [];
      received.push(rows);
      const { trainIndices } = args[0];
      const step = engine.step.bind(engine);
      return Object.assign(engine, {
        step: (positions: Int32Array, learningRate: number) => {
          for (const position of positions) rows.push(trainIndices[position] ?? -1);
          return step(positions, learningRate);
        },
      });
    },
  };
});

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
async function startInfo(config: TrainingConfig): Promise<RunStartReport> {
  const control = new RunController();
  let info: RunStartReport | null = null;
  let steps = 0;
  await runTraining(
    config,
    data,
    silentHooks({
      control,
      now: () => 0,
      onStart: (i) => (info = i),
      onBatches: (r) => {
        steps += r.steps.length;
        if (steps >= 2) control.stop();
      },
      reportEveryMs: 0,
    }),
  );
  if (info === null) throw new Error('no start');
  return info;
}

/**
 * Trains `config`'s first epoch whole and returns the data-order fingerprint it reported with the
 * MNIST rows its engine's batches received, in order.
 */
async function firstEpoch(config: TrainingConfig): Promise<{ reported: string; rows: number[] }> {
  let reported = '';
  const engines = received.length;
  await runTraining(
    { ...config, training: { ...config.training, epochs: 1 } },
    data,
    silentHooks({ onStart: (info) => (reported = info.fingerprints.dataOrder) }),
  );
  expect(received.length).toBe(engines + 1);
  return { reported, rows: received[engines] ?? [] };
}

/** The hash the data-order fingerprint is defined as: FNV-1a over the rows as 32-bit integers. */
const hashOf = (rows: readonly number[]) => new Fingerprint().addArray(Int32Array.from(rows)).hex();

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

  it('the data-order fingerprint hashes the rows the engine trained on in epoch 1, for any batch size', async () => {
    const runs = [];
    for (const config of configsOf('batch-size')) runs.push(await firstEpoch(config));
    const [first] = runs;
    for (const { reported, rows } of runs) {
      expect(rows).toHaveLength(320); // the whole epoch
      expect(new Set(rows).size).toBe(rows.length); // each example once
      expect(reported).toBe(hashOf(rows));
      expect(rows).toEqual(first?.rows);
    }
    // Another seed trains on another order, and says so.
    const other = await firstEpoch({ ...base, seed: base.seed + 1 });
    expect(other.rows).not.toEqual(first?.rows);
    expect(other.reported).toBe(hashOf(other.rows));
    expect(other.reported).not.toBe(first?.reported);
  });

  it('leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    await startInfo(base);
    expect(tf.memory().numTensors).toBe(before);
  });
});
