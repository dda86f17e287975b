import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bandMnist, hiddenLayer, silentHooks, tinyConfig } from '../ml/testData.ts';
import { runTraining, type MnistData, type RunResult } from '../ml/trainingLoop.ts';
import { checkInitialWeights, exportModel, loadModel, type WorkerModel } from './modelCommands.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data: MnistData = bandMnist();
const plain = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1 } });

let trained: Promise<RunResult> | null = null;
/** One short run shared by the tests. */
function trainOnce(): Promise<RunResult> {
  trained ??= runTraining(plain, data, silentHooks());
  return trained;
}

describe('worker model commands', () => {
  it('exports copies of the weights, or says there is no model', async () => {
    expect((await exportModel('r', 1, null)).error).toContain('There is no model to save yet');
    const result = await trainOnce();
    const model: WorkerModel = {
      predictor: result.finalModel,
      config: plain,
      testAccuracy: 0.5,
      source: 'finished',
    };
    const event = await exportModel('r', 2, async () => model);
    expect(event).toMatchObject({ requestId: 2, error: null, model: { testAccuracy: 0.5, config: plain } });
    const exported = event.model?.parameters ?? [];
    const original = result.finalModel.parameters;
    expect(exported.length, 'every parameter is exported').toBe(original.length);
    expect(exported.length).toBeGreaterThan(0);
    exported.forEach((parameter, i) => {
      expect(parameter.data).toEqual(original[i]?.data);
      expect(parameter.data).not.toBe(original[i]?.data);
    });
    // Copies: zeroing the export leaves the model's weights as they were.
    const [first] = exported;
    first?.data.fill(0);
    expect(first?.data.every((v) => v === 0)).toBe(true);
    expect(original[0]?.data.some((v) => v !== 0)).toBe(true);
  });

  it('loads a model: evaluates it, or says what is wrong and installs nothing', async () => {
    const result = await trainOnce();
    const weights = {
      config: plain,
      normalization: result.normalization,
      origin: { epoch: 1, step: 10 },
      parameters: result.finalModel.parameters,
    };
    const before = tf.memory().numTensors;
    const ok = await loadModel(
      { type: 'load-model', runId: 'r', requestId: 3, name: 'm', model: weights },
      data.test,
      () => 0,
    );
    expect(ok.event).toMatchObject({ requestId: 3, error: null, test: result.finalTest });
    expect(ok.model?.source).toBe('loaded');
    const wrong = {
      ...weights,
      parameters: weights.parameters.map((p, i) => (i === 0 ? { ...p, shape: [784, 15] } : p)),
    };
    const bad = await loadModel(
      { type: 'load-model', runId: 'r', requestId: 4, name: 'm', model: wrong },
      data.test,
      () => 0,
    );
    expect(bad).toEqual({
      event: expect.objectContaining({
        test: null,
        error: 'm could not be loaded: dense0.kernel should be 784×16 but is 784×15.',
      }),
      model: null,
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('checkInitialWeights', () => {
  it('accepts weights that fit the config and names the first misfit otherwise', async () => {
    const result = await trainOnce();
    const initial = { parameters: result.finalModel.parameters, normalization: { mean: 0, std: 1 } };
    expect(checkInitialWeights(plain, initial)).toBeNull();
    const wider = tinyConfig({ model: { ...plain.model, hiddenLayers: [hiddenLayer(32)] } });
    expect(checkInitialWeights(wider, initial)).toBe(
      "Cannot continue training from these weights with this config: dense0.kernel should be 784×32 but is 784×16. Keep the loaded model's layers.",
    );
    expect(checkInitialWeights(plain, { ...initial, normalization: { mean: 0, std: 0 } })).toContain(
      'normalisation is invalid',
    );
  });
});
