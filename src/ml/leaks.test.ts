import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../core/config.ts';
import { normalizationStats } from '../core/normalization.ts';
import { runStreams } from '../core/runStreams.ts';
import { splitIndices } from './dataset.ts';
import { createStepEngine } from './engine.ts';
import { createMlp, disposeMlp } from './mlp.ts';
import { RunController } from './runControl.ts';
import { runTraining, type LoopHooks } from './trainingLoop.ts';
import { bandMnist, hiddenLayer, silentHooks, tinyConfig } from './testData.ts';

/**
 * Tensor hygiene over long and repeated use: `tf.memory().numTensors` must come back to its
 * baseline after every step, after runs stopped midway, and after many runs in one process
 * (the worker keeps one TF.js engine for its whole life). Each test prints what it saw; the
 * per-step counts the README quotes (6 tensors fused, 22 on TF.js ops) are asserted.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100);
/** Dropout, a second layer and Adam, whose moments TF.js creates on the first update. */
const config: TrainingConfig = tinyConfig({
  model: {
    ...tinyConfig().model,
    hiddenLayers: [hiddenLayer(32, { dropout: 0.2 }), hiddenLayer(16)],
  },
  training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1 },
});

const report = (line: string) => console.info(`[leaks] ${line}`);

/**
 * Tensors alive after each step of this config (784-32-16-10, Adam): the fused engine's are the
 * model's 6 variables; TF.js ops add Adam's state and the resident training split. README
 * ("Leaks") quotes these numbers.
 */
const TENSORS_PER_STEP = { fused: 6, tfjs: 22 } as const;

function hooks(engine: 'fused' | 'tfjs', extra: Partial<LoopHooks> = {}): LoopHooks {
  return silentHooks({ engine, reportEveryMs: 30, ...extra });
}

describe('tensor leaks', () => {
  it.each(['fused', 'tfjs'] as const)(
    '%s engine: the count returns to its baseline after each of 1,000 steps',
    (path) => {
      const streams = runStreams(config.seed);
      const indices = splitIndices(config);
      const model = createMlp(config.model, streams.init);
      const engine = createStepEngine(
        {
          config,
          model,
          images: data.train,
          trainIndices: indices.train,
          normalization: normalizationStats(config.data.normalization, data.train.pixels, indices.train),
          augmentRng: streams.augment,
          dropoutRng: streams.dropout,
          maxBatch: 16,
        },
        path,
      );
      const order = new Int32Array(16);
      const step = (s: number) => {
        for (let i = 0; i < 16; i++) order[i] = (s * 16 + i) % engine.count;
        const { loss, accuracy } = engine.step(order, 0.001);
        tf.dispose([loss, accuracy].filter((v): v is tf.Scalar => typeof v !== 'number'));
        if (s % 100 === 0) engine.syncModel();
      };
      // The first step creates Adam's moment variables (TF.js makes them lazily): that is the baseline.
      step(0);
      const baseline = tf.memory().numTensors;
      let max = baseline;
      let min = baseline;
      for (let s = 1; s <= 1000; s++) {
        step(s);
        const now = tf.memory().numTensors;
        max = Math.max(max, now);
        min = Math.min(min, now);
      }
      report(`${path}, 1,000 steps: baseline ${baseline} tensors, min ${min}, max ${max} after a step`);
      expect([min, max]).toEqual([baseline, baseline]);
      expect(baseline).toBe(TENSORS_PER_STEP[path]);
      engine.dispose();
      disposeMlp(model);
    },
    60_000,
  );

  it('10 runs stopped midway (Stop, and Stop while paused) free everything', async () => {
    const baseline = tf.memory().numTensors;
    let max = baseline;
    const after: number[] = [];
    for (let i = 0; i < 10; i++) {
      const control = new RunController();
      let reports = 0;
      await runTraining(
        { ...config, training: { ...config.training, epochs: 3 } },
        data,
        hooks(i % 2 === 0 ? 'fused' : 'tfjs', {
          control,
          onBatches: () => {
            max = Math.max(max, tf.memory().numTensors);
            reports += 1;
            if (reports < 2) return;
            if (i % 4 < 2) control.stop();
            else {
              control.pause();
              queueMicrotask(() => control.stop());
            }
          },
        }),
      );
      after.push(tf.memory().numTensors);
    }
    report(
      `10 stopped runs: baseline ${baseline} tensors, max during ${max}, after each run ${after.join(',')}`,
    );
    expect(after).toEqual(Array.from({ length: 10 }, () => baseline));
  });

  it('20 consecutive runs in one process (both engines, with analysis) free everything', async () => {
    const baseline = tf.memory().numTensors;
    let max = baseline;
    const after: number[] = [];
    for (let i = 0; i < 20; i++) {
      const result = await runTraining(
        config,
        data,
        hooks(i % 2 === 0 ? 'fused' : 'tfjs', {
          onBatches: () => {
            max = Math.max(max, tf.memory().numTensors);
          },
          ...(i % 5 === 0 ? { onAnalysis: () => {} } : {}),
        }),
      );
      expect(result.finalTest.accuracy).toBeGreaterThan(0.5);
      after.push(tf.memory().numTensors);
    }
    report(
      `20 runs: baseline ${baseline} tensors, max during ${max}, after each run ${[...new Set(after)].join(',')}`,
    );
    expect(after).toEqual(Array.from({ length: 20 }, () => baseline));
  });
});
