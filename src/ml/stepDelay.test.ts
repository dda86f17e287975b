import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunController } from './runControl.ts';
import { silentHooks, syntheticImages, tinyConfig } from './testData.ts';
import { runTraining, type BatchReport, type MnistData } from './trainingLoop.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data: MnistData = { train: syntheticImages(60_000, 2), test: syntheticImages(20, 3) };
const config = tinyConfig({
  training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1 },
  data: { ...tinyConfig().data, trainingExamples: 96 },
});

function hooks(control: RunController, batches: BatchReport[]) {
  return silentHooks({
    control,
    now: () => performance.now(),
    onBatches: (r: BatchReport) => batches.push(r),
    // Long enough that, at full speed, the three steps would share one report.
    reportEveryMs: 60_000,
  });
}

describe('the Speed control (a delay after every step)', () => {
  it('reports every step on its own and waits between steps', async () => {
    const control = new RunController();
    control.setStepDelay(30);
    const batches: BatchReport[] = [];
    const started = performance.now();
    await runTraining(config, data, hooks(control, batches));
    expect(batches.map((b) => [...b.steps])).toEqual([[1], [2], [3]]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 30 - 5);
  });

  it('at full speed the same run reports its steps together', async () => {
    const batches: BatchReport[] = [];
    await runTraining(config, data, hooks(new RunController(), batches));
    expect(batches.map((b) => [...b.steps])).toEqual([[1, 2, 3]]);
  });

  it('Stop cuts a long wait short', async () => {
    const control = new RunController();
    control.setStepDelay(5000);
    const batches: BatchReport[] = [];
    const started = performance.now();
    const run = runTraining(config, data, {
      ...hooks(control, batches),
      onBatches: (r: BatchReport) => {
        batches.push(r);
        setTimeout(() => control.stop(), 10);
      },
    });
    const result = await run;
    expect(result.stopped).toBe(true);
    expect(batches).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('rejects a delay outside 0–5,000 ms', () => {
    const control = new RunController();
    expect(() => control.setStepDelay(-1)).toThrow(RangeError);
    expect(() => control.setStepDelay(6000)).toThrow(RangeError);
    expect(() => control.setStepDelay(Number.NaN)).toThrow(RangeError);
  });
});
