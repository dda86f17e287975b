import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../core/config.ts';
import { explosionLimit, formatLoss } from '../core/divergence.ts';
import { WeightCheckpoints } from './checkpoints.ts';
import { createMlp, disposeMlp } from './mlp.ts';
import { SeededRandom } from '../core/random.ts';
import { RunController } from './runControl.ts';
import { runTraining, type BatchReport, type LoopHooks } from './trainingLoop.ts';
import { bandMnist, tinyConfig } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(200);

/** SGD at learning rate 50 on 784-128-64-10: blows up within a few steps. */
const diverging: TrainingConfig = tinyConfig({
  model: DEFAULT_CONFIG.model,
  optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'sgd', learningRate: 50 },
  training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 3 },
  data: { ...DEFAULT_CONFIG.data, validationFraction: 0.01, trainingExamples: 640 },
});

function hooks(engine: 'fused' | 'tfjs', batches: BatchReport[]): LoopHooks {
  let clock = 0;
  return {
    control: new RunController(),
    engine,
    now: () => (clock += 10),
    yieldToEventLoop: () => Promise.resolve(),
    onStart: () => {},
    onBatches: (report) => batches.push(report),
    onEpoch: () => {},
    onEvaluating: () => {},
    onPaused: () => {},
    onResumed: () => {},
    reportEveryMs: 50,
  };
}

describe('a diverging run', () => {
  it.each(['fused', 'tfjs'] as const)(
    '%s engine: stops at the first exploded/NaN loss within epoch 1, says why, keeps finite weights, leaks nothing',
    async (engine) => {
      const before = tf.memory().numTensors;
      const batches: BatchReport[] = [];
      const result = await runTraining(diverging, data, hooks(engine, batches));
      const diverged = result.diverged;
      expect(diverged).not.toBeNull();
      if (diverged === null) return;
      // Within one epoch (20 batches), at the first bad loss it read.
      expect(diverged.epoch).toBe(1);
      expect(diverged.step).toBeLessThanOrEqual(20);
      const losses = batches.flatMap((b) => [...b.losses]);
      const steps = batches.flatMap((b) => [...b.steps]);
      expect(losses.length, 'losses reported').toBeGreaterThan(0);
      expect(steps).toHaveLength(losses.length);
      const limit = explosionLimit(losses[0] ?? Number.NaN);
      const first = losses.findIndex((l) => !Number.isFinite(l) || l > limit);
      expect(first, 'a reported loss past the limit').toBeGreaterThanOrEqual(0);
      expect(steps[first]).toBe(diverged.step);
      expect(diverged.value).toBe(losses[first]);
      expect(diverged.firstLoss).toBe(losses[0]);
      // On these bands, as on MNIST: about 2.5, then thousands, then 10⁹ or so — past 10⁴ × 2.5.
      expect(diverged.loss).toBe('exploded');
      // The fused engine reads its loss at once, so it takes no step after the bad one.
      if (engine === 'fused') expect(Math.max(...steps)).toBe(diverged.step);
      expect(diverged.message).toContain(
        `The loss exploded to ${formatLoss(diverged.value)} at step ${diverged.step} (epoch 1), from ${formatLoss(diverged.firstLoss)} at the start: training diverged.`,
      );
      expect(diverged.message).toContain(
        'The learning rate 50 is probably too high for SGD — try 0.1, or Adam at 0.001.',
      );
      expect(diverged.restoredStep).toBeLessThanOrEqual(diverged.step - 2);
      expect(diverged.message).toContain(diverged.restored);
      expect(result.stopped).toBe(false);
      // The kept weights are finite: evaluated, and usable for drawings.
      expect(Number.isFinite(result.finalTest.loss)).toBe(true);
      expect(result.finalTest.accuracy).toBeGreaterThanOrEqual(0);
      const probabilities = result.finalModel.predict(data.test.pixels.subarray(0, 784));
      expect([...probabilities].every(Number.isFinite)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('both engines stop at the same step and keep the same weights', async () => {
    const fused = await runTraining(diverging, data, hooks('fused', []));
    const tfjs = await runTraining(diverging, data, hooks('tfjs', []));
    expect(fused.diverged, 'the fused run diverged').not.toBeNull();
    expect(tfjs.diverged, 'the TF.js run diverged').not.toBeNull();
    expect(fused.diverged?.step).toBeGreaterThan(0);
    expect(fused.diverged?.step).toBe(tfjs.diverged?.step);
    expect(fused.diverged?.restored).toEqual(expect.any(String));
    expect(fused.diverged?.restored).toBe(tfjs.diverged?.restored);
    expect(fused.finalTest.accuracy).toBeCloseTo(tfjs.finalTest.accuracy, 3);
  });

  it('a pause that reads the bad loss ends the run instead of waiting', async () => {
    const control = new RunController();
    let yields = 0;
    const paused: string[] = [];
    const result = await runTraining(diverging, data, {
      ...hooks('tfjs', []),
      control,
      // No timed reports: only the pause reads the losses back, after 8 steps.
      reportEveryMs: 1e9,
      yieldEveryMs: 0,
      yieldToEventLoop: () => {
        if (++yields === 8) control.pause();
        return Promise.resolve();
      },
      onPaused: () => paused.push('paused'),
    });
    expect(yields, 'the pause was requested').toBeGreaterThanOrEqual(8);
    expect(result.diverged, 'the run diverged').not.toBeNull();
    expect(result.diverged?.epoch).toBe(1);
    expect(paused).toEqual([]);
  });

  it('a healthy run reports no divergence', async () => {
    const result = await runTraining(tinyConfig(), data, hooks('fused', []));
    expect(result.diverged).toBeNull();
  });
});

describe('WeightCheckpoints', () => {
  /** A model whose first kernel is all `value`, tidily (the variable keeps the data). */
  function setup() {
    const mlp = createMlp(tinyConfig().model, new SeededRandom(3));
    const kernel = mlp.state[0] as tf.Variable;
    const set = (value: number) => tf.tidy(() => kernel.assign(tf.fill(kernel.shape, value)));
    const read = () => kernel.dataSync()[0];
    return { mlp, set, read };
  }

  it('restores the initial weights when the loss right after a candidate is bad', () => {
    const before = tf.memory().numTensors;
    const { mlp, set, read } = setup();
    const initial = read();
    expect(initial).toEqual(expect.any(Number));
    const checkpoints = new WeightCheckpoints(mlp, () => {}, 2);
    set(1);
    checkpoints.afterStep(1, 1); // not due yet (every 2 steps)
    set(2);
    checkpoints.afterStep(2, 1); // candidate: the weights after step 2
    // Step 2's loss was computed before its update, so it says nothing of the candidate.
    expect(checkpoints.check([1, 2], [2.3, 2.1])).toBeNull();
    set(3);
    checkpoints.afterStep(3, 1); // a candidate is waiting: none taken
    expect(checkpoints.check([3], [Number.POSITIVE_INFINITY])).toEqual({ step: 3, value: Infinity });
    expect(checkpoints.restore()).toEqual({ step: 0, epoch: 1 });
    expect(read()).toBe(initial);
    checkpoints.dispose();
    disposeMlp(mlp);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('restores the newest candidate a later finite loss confirmed, holding at most two copies', () => {
    const before = tf.memory().numTensors;
    const { mlp, set, read } = setup();
    const stateTensors = mlp.state.length;
    const checkpoints = new WeightCheckpoints(mlp, () => {}, 2);
    for (let step = 1; step <= 40; step++) {
      set(step);
      checkpoints.afterStep(step, 1 + Math.floor(step / 10));
      if (step % 3 === 0) checkpoints.check([step - 2, step - 1, step], [1, 1, 1]);
      expect(tf.memory().numTensors - before).toBeLessThanOrEqual(3 * stateTensors);
    }
    // Candidates at 2, 4, 7, …, 37 (confirmed by step 39's loss), then 40, which step 41's finite
    // loss confirms before step 42 goes bad.
    set(41);
    expect(checkpoints.check([40, 41, 42], [1, 1, Number.NaN])).toEqual({ step: 42, value: NaN });
    expect(checkpoints.restore()).toEqual({ step: 40, epoch: 5 });
    expect(read()).toBe(40);
    checkpoints.dispose();
    disposeMlp(mlp);
    expect(tf.memory().numTensors).toBe(before);
  });
});
