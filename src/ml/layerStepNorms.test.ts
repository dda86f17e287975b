import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../core/config.ts';
import type { EngineChoice } from '../core/engines.ts';
import { SeededRandom } from '../core/random.ts';
import { allIndices } from './dataset.ts';
import { createStepEngine } from './engine.ts';
import { dataLoss, weightPenalty } from './losses.ts';
import { createMlp, disposeMlp, forward, type Mlp } from './mlp.ts';
import { RunController } from './runControl.ts';
import {
  bandMnist,
  configOverriding,
  hiddenLayer,
  recordingHooks,
  reportedLosses,
  syntheticImages,
  tinyConfig,
} from './testData.ts';
import { runTraining } from './trainingLoop.ts';

/**
 * Per-step layer norms (`core/layerStepNorms.ts`) as the engines measure them on a sampled step:
 * the fused kernel's gradient norms against tf.variableGrads of the same batch's mean loss plus
 * the L2 penalty, its update ratios against the weights' difference across the step, and the
 * fused kernel and TF.js ops agreeing on every sampled step of a run within 1e-3 relative.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const images = syntheticImages(64);
const stats = { mean: 0.1307, std: 0.3081 };
const BATCH = 16;

/** The data every engine here trains on: all 64 images, in file order. */
const DATA = { images, trainIndices: allIndices(images.count), normalization: stats, maxBatch: BATCH };

function engineFor(config: TrainingConfig, model: Mlp, choice: EngineChoice, sequentialSplit?: number) {
  const streams = { augmentRng: new SeededRandom(5), dropoutRng: new SeededRandom(6) };
  const split = sequentialSplit === undefined ? {} : { sequentialSplit };
  return createStepEngine({ ...DATA, ...streams, ...split, config, model }, choice);
}

/** ‖∂J/∂W_l‖₂ per kernel by tf.variableGrads: J = mean data loss of rows 0…B−1 + penalty. */
function directGradientNorms(config: TrainingConfig, model: Mlp): number[] {
  return tf.tidy(() => {
    const pixels = Float32Array.from(
      images.pixels.subarray(0, BATCH * 784),
      (p) => (p / 255 - stats.mean) / stats.std,
    );
    const inputs = tf.tensor2d(pixels, [BATCH, 784]);
    const labels = tf.tensor1d(Array.from(images.labels.subarray(0, BATCH)), 'int32');
    const targets = tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D;
    const { grads } = tf.variableGrads(
      () => {
        const { logits } = forward(model, inputs, null);
        const data = dataLoss(logits, targets, config.loss);
        const penalty = weightPenalty(model.kernels, config.loss);
        return penalty === null ? data : tf.add(data, penalty);
      },
      model.kernels as unknown as tf.Variable[],
    );
    return model.kernels.map((k) => tf.norm(grads[k.name] ?? tf.scalar(0)).dataSync()[0] ?? NaN);
  });
}

const config = configOverriding(DEFAULT_CONFIG, {
  model: { hiddenLayers: [hiddenLayer(13), hiddenLayer(9)] },
  loss: { l2: 1e-3 },
  optimizer: { kind: 'momentum', learningRate: 0.05 },
});

describe('layer norms on a sampled step', () => {
  it.each<EngineChoice>(['fused', 'tfjs'])(
    '%s: gradient norms and update ratios match a direct computation',
    (choice) => {
      const model = createMlp(config.model, new SeededRandom(11));
      const expectedGradients = directGradientNorms(config, model);
      const before = model.kernels.map((k) => k.dataSync().slice());
      const engine = engineFor(config, model, choice);
      const result = engine.step(
        Int32Array.from({ length: BATCH }, (_, i) => i),
        0.05,
        true,
      );
      const norms = result.norms instanceof tf.Tensor ? result.norms.dataSync() : result.norms;
      tf.dispose(
        [result.loss, result.accuracy, ...(result.norms instanceof tf.Tensor ? [result.norms] : [])].filter(
          (v) => v instanceof tf.Tensor,
        ),
      );
      engine.syncModel();
      expect(norms).toBeInstanceOf(Float32Array);
      const L = model.kernels.length;
      expect(norms?.length).toBe(2 * L);
      model.kernels.forEach((k, l) => {
        const after = k.dataSync();
        const w0 = before[l] as Float32Array;
        let change = 0;
        let size = 0;
        w0.forEach((w, i) => {
          change += ((after[i] ?? 0) - w) ** 2;
          size += w * w;
        });
        expect(norms?.[l]).toBeCloseTo(expectedGradients[l] ?? NaN, 4);
        expect((norms?.[l] ?? 0) / (expectedGradients[l] ?? 1)).toBeCloseTo(1, 4);
        expect((norms?.[L + l] ?? 0) / Math.sqrt(change / size)).toBeCloseTo(1, 3);
      });
      engine.dispose();
      disposeMlp(model);
    },
  );

  it('fused: every thread split of the step gives the same norms', () => {
    const norms = [1, 3].map((split) => {
      const model = createMlp(config.model, new SeededRandom(11));
      const engine = engineFor(config, model, 'fused', split);
      const positions = Int32Array.from({ length: BATCH }, (_, i) => i);
      engine.step(positions, 0.05);
      const measured = engine.step(positions, 0.05, true).norms;
      engine.dispose();
      disposeMlp(model);
      return measured instanceof Float32Array ? [...measured] : [];
    });
    expect(norms[0]).toHaveLength(6);
    expect(norms[1]).toEqual(norms[0]);
  });

  it('is only measured when asked', () => {
    const model = createMlp(config.model, new SeededRandom(11));
    const engine = engineFor(config, model, 'fused');
    const result = engine.step(
      Int32Array.from({ length: BATCH }, (_, i) => i),
      0.05,
    );
    expect(result.norms).toBeUndefined();
    engine.dispose();
    disposeMlp(model);
  });
});

describe('engine parity of the sampled layer norms', () => {
  const data = bandMnist(100);

  async function sampled(run: TrainingConfig, engine: EngineChoice, layerNorms?: false) {
    const hooks = recordingHooks(new RunController(), {
      engine,
      ...(layerNorms === false ? { layerNorms } : {}),
    });
    await runTraining(run, data, hooks);
    expect(hooks.log.start[0]?.engine.path).toBe(engine);
    return hooks.log.batches.map((report) => report.layerNorms);
  }

  it('fused and TF.js ops sample the same steps and agree within 1e-3 relative', async () => {
    const run = tinyConfig({
      model: { ...tinyConfig().model, hiddenLayers: [hiddenLayer(16), hiddenLayer(12)] },
    });
    const fused = await sampled(run, 'fused');
    const ops = await sampled(run, 'tfjs');
    expect(fused.length).toBeGreaterThan(2);
    expect(ops).toHaveLength(fused.length);
    fused.forEach((norms, i) => {
      const other = ops[i];
      expect(norms).toBeTruthy();
      expect(other).toBeTruthy();
      if (!norms || !other) return;
      expect(norms.layers).toBe(3);
      expect([...norms.steps]).toEqual([...other.steps]);
      const pairs = [...norms.gradientNorms, ...norms.updateRatios].map((v, j) => [
        v,
        [...other.gradientNorms, ...other.updateRatios][j] ?? NaN,
      ]);
      for (const [a = NaN, b = NaN] of pairs) {
        expect(a).toBeGreaterThan(0);
        expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-3);
      }
    });
  });

  it("a run with layer norms off (the bench's comparison) samples none, on either engine", async () => {
    for (const engine of ['fused', 'tfjs'] as const) {
      const reports = await sampled(tinyConfig(), engine, false);
      expect(reports.length).toBeGreaterThan(2);
      expect(reports.every((norms) => norms === undefined)).toBe(true);
    }
  });

  it('sampling never changes training: the same losses and test result with it on and off', async () => {
    const run = tinyConfig({
      model: { ...tinyConfig().model, hiddenLayers: [hiddenLayer(16), hiddenLayer(12)] },
    });
    for (const engine of ['fused', 'tfjs'] as const) {
      // Reports every 10 ms of the fake clock: a sample every step or two.
      const on = recordingHooks(new RunController(), { engine, reportEveryMs: 10 });
      const off = recordingHooks(new RunController(), { engine, reportEveryMs: 10, layerNorms: false });
      const withSamples = await runTraining(run, data, on);
      const without = await runTraining(run, data, off);
      expect(on.log.batches.filter((report) => report.layerNorms).length).toBeGreaterThan(10);
      expect(reportedLosses(on.log.batches)).toEqual(reportedLosses(off.log.batches));
      expect(withSamples.finalTest).toEqual(without.finalTest);
    }
  });
});
