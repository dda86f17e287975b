import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyVariant, COMPARE_PRESETS, presetVariants } from '../core/comparison.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineChoice } from '../core/engines.ts';
import { RunController } from './runControl.ts';
import { bandMnist, hiddenLayer, recordingHooks, tinyConfig } from './testData.ts';
import { runTraining } from './trainingLoop.ts';

/**
 * Same seed ⇒ same run, on the fused engine (the one a CPU or WASM backend trains with; batch
 * norm would force TF.js ops) and for a whole comparison: the curves, the fingerprints, the
 * evaluations and every final weight, bit for bit. Timings are left out: they measure the clock.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100);

/** Everything a run reported or returned that the seed decides (no timings). */
async function seededRun(config: TrainingConfig, engine: EngineChoice = 'auto') {
  const h = recordingHooks(new RunController(), { engine });
  const result = await runTraining(config, data, h);
  const [start] = h.log.start;
  return {
    engine: start?.engine.path,
    fingerprints: start?.fingerprints,
    curves: h.log.batches.map(
      ({ epoch, batchInEpoch, steps, examples, losses, accuracies, learningRate }) => ({
        epoch,
        batchInEpoch,
        steps,
        examples,
        losses,
        accuracies,
        learningRate,
      }),
    ),
    epochs: h.log.epochs.map(({ epochMs: _e, trainingMs: _t, ...seeded }) => seeded),
    outcome: {
      stopped: result.stopped,
      diverged: result.diverged,
      finalTest: result.finalTest,
      best: result.best,
    },
    weights: result.finalModel.parameters.map((p) => ({ name: p.name, data: p.data })),
  };
}

describe('same seed, same run', () => {
  it('the fused engine gives identical curves, fingerprints and final weights, with dropout and augmentation', async () => {
    const config = tinyConfig({
      model: { hiddenLayers: [hiddenLayer(24, { dropout: 0.2 })], inputDropout: 0.1, init: 'he' },
      data: { ...tinyConfig().data, rotationDegrees: 10, shiftPixels: 1, normalization: 'standardize' },
    });
    const first = await seededRun(config, 'auto');
    const second = await seededRun(config, 'auto');
    expect(first.engine).toBe('fused');
    expect(first.curves.flatMap((c) => [...c.steps])).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(first.weights.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    // The seed decides: another one trains differently.
    const other = await seededRun({ ...config, seed: config.seed + 1 }, 'auto');
    expect(other.fingerprints).not.toEqual(first.fingerprints);
    expect(other.weights).not.toEqual(first.weights);
  });

  it('a whole comparison (the optimizer race, run in parallel) gives identical results per variant', async () => {
    const preset = COMPARE_PRESETS.find((p) => p.id === 'optimizers');
    const base = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1 } });
    const configs = presetVariants(preset ?? { id: '', title: '', lesson: '', variants: [] }).map((v) => {
      const applied = applyVariant(base, v);
      if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
      return applied.config;
    });
    expect(configs.map((c) => c.optimizer.kind)).toEqual(['sgd', 'momentum', 'adam', 'rmsprop']);
    const race = () => Promise.all(configs.map((config) => seededRun(config)));
    const first = await race();
    const second = await race();
    expect(second).toEqual(first);
    // Each variant ran its own optimizer from the same start: different weights at the end.
    expect(new Set(first.map((run) => JSON.stringify(run.fingerprints))).size).toBe(1);
    expect(new Set(first.map((run) => run.weights[0]?.data.join())).size).toBe(configs.length);
  });
});
