import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunController } from './runControl.ts';
import { bandMnist, recordingHooks, reportedSteps, tinyConfig } from './testData.ts';
import { runTraining } from './trainingLoop.ts';

/** Pause, resume and single steps, as the loop's pause/step gate serves them. */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = bandMnist(100);
/** Two epochs of ten batches. */
const config = tinyConfig();

describe('the pause/step gate', () => {
  it('runs exactly one batch per step("batch"), the rest of the epoch per step("epoch")', async () => {
    const control = new RunController();
    control.pause();
    const seen: number[] = [];
    const actions = [
      () => control.step('batch'),
      () => control.step('batch'),
      () => control.step('epoch'),
      () => control.resume(),
    ];
    const h = recordingHooks(control);
    await runTraining(config, data, {
      ...h,
      onPaused: () => {
        seen.push(reportedSteps(h.log.batches).length);
        h.log.events.push(`paused@${h.log.epochs.length}`);
        actions.shift()?.();
      },
    });
    expect(seen).toEqual([0, 1, 2, 10]);
    expect(h.log.events).toEqual([
      'paused@0',
      'step:batch',
      'paused@0',
      'step:batch',
      'paused@0',
      'step:epoch',
      'paused@1',
      'resumed',
      'evaluating',
    ]);
    expect(reportedSteps(h.log.batches)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('says resumed when resumed during a step', async () => {
    const control = new RunController();
    control.pause();
    const h = recordingHooks(control, {});
    await runTraining(config, data, {
      ...h,
      onPaused: () => {
        h.log.events.push('paused');
        control.step('epoch');
      },
      onStepStarted: (kind) => {
        h.log.events.push(`step:${kind}`);
        control.resume();
      },
    });
    expect(h.log.events).toEqual(['paused', 'step:epoch', 'resumed', 'evaluating']);
    expect(h.log.epochs.length).toBe(2);
  });
});

describe('RunController', () => {
  it('ignores steps unless paused and rejects bad learning rates', async () => {
    const control = new RunController();
    control.step('batch');
    expect(control.takeStepRequest()).toBeNull();
    control.pause();
    control.step('epoch');
    await control.waitWhilePaused();
    expect(control.takeStepRequest()).toBe('epoch');
    expect(() => control.setLearningRate(-1)).toThrow(RangeError);
    control.setLearningRate(0.5);
    expect(control.learningRateOverride).toBe(0.5);
    control.setLearningRate(null);
    expect(control.learningRateOverride).toBeNull();
  });
});
