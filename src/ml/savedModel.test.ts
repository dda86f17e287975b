import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../core/config.ts';
import { encodeModelFile, parseModelFile } from '../core/modelFile.ts';
import { parameterLayout, parametersFingerprint, type ParameterTensor } from '../core/modelParameters.ts';
import { SeededRandom } from '../core/random.ts';
import { assignParameters, createMlp, disposeMlp, mlpLayout } from './mlp.ts';
import { Predictor } from './predictor.ts';
import { RunController } from './runControl.ts';
import { loadSavedModel } from './savedModel.ts';
import { bandMnist, hiddenLayer, silentHooks, tinyConfig } from './testData.ts';
import { runTraining, type LoopHooks, type MnistData, type RunResult } from './trainingLoop.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data: MnistData = bandMnist();
const withBatchNorm = tinyConfig({
  model: {
    hiddenLayers: [hiddenLayer(16, { batchNorm: true }), hiddenLayer(8)],
    inputDropout: 0,
    init: 'he',
  },
  training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1 },
});
const plain = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 1 } });

const hooks = silentHooks;

/** A learning rate of 0 from the first step on, which `setLearningRate` refuses (positive only). */
class FrozenRate extends RunController {
  override get learningRateOverride(): number {
    return 0;
  }
}

const train = (config: TrainingConfig, extra: Partial<LoopHooks> = {}): Promise<RunResult> =>
  runTraining(config, data, hooks(extra));

const bits = (p: ParameterTensor) => [...new Uint32Array(p.data.buffer, p.data.byteOffset, p.data.length)];

describe('saved model layout', () => {
  it.each([
    ['plain', plain],
    ['batch norm', withBatchNorm],
  ])('%s: parameterLayout names Mlp.state in order, with its shapes', (_, config) => {
    const model = createMlp(config.model, new SeededRandom(1));
    expect(parameterLayout(mlpLayout(model)).map((p) => p.shape)).toEqual(model.state.map((v) => v.shape));
    expect(parameterLayout(config.model)).toEqual(parameterLayout(mlpLayout(model)));
    disposeMlp(model);
  });

  it('assigns saved weights and reads them back bit for bit, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const source = createMlp(withBatchNorm.model, new SeededRandom(1));
    const saved = (await Predictor.fromMlp(source, { mean: 0, std: 1 }, { epoch: 1, step: 0 })).parameters;
    const target = createMlp(withBatchNorm.model, new SeededRandom(2));
    assignParameters(target, saved);
    const read = (await Predictor.fromMlp(target, { mean: 0, std: 1 }, { epoch: 1, step: 0 })).parameters;
    expect(read.map(bits)).toEqual(saved.map(bits));
    expect(() => assignParameters(target, saved.slice(1))).toThrow('Tensor 1 should be dense0.kernel');
    disposeMlp(source);
    disposeMlp(target);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('loading a saved model', () => {
  it.each([
    ['plain', plain],
    ['batch norm', withBatchNorm],
  ])('%s: a model saved after a run evaluates to the run’s exact test result', async (_, config) => {
    const result = await train(config);
    // Through the file format and back, as the page does.
    const file = encodeModelFile({
      name: 'm',
      savedAt: 0,
      config,
      normalization: result.normalization,
      origin: result.finalModel.origin,
      testAccuracy: result.finalTest.accuracy,
      parameters: result.finalModel.parameters,
    });
    const parsed = parseModelFile(file);
    if (!parsed.ok) throw new Error(parsed.error);
    const before = tf.memory().numTensors;
    const loaded = await loadSavedModel(parsed.model, data.test);
    expect(tf.memory().numTensors).toBe(before);
    expect(loaded.test).toEqual(result.finalTest);
    const pixels = data.test.pixels.subarray(0, 784);
    expect(loaded.predictor.predict(pixels)).toEqual(result.finalModel.predict(pixels));
  });

  it('continues training from saved weights on both engines: the engine starts from them', async () => {
    const first = await train(plain);
    const initialWeights = {
      parameters: first.finalModel.parameters,
      normalization: { mean: 0.5, std: 0.5 },
    };
    const saved = first.finalModel.parameters.map(bits);
    for (const engine of ['fused', 'tfjs'] as const) {
      const before = tf.memory().numTensors;
      let fingerprint = '';
      let normalization = { mean: 0, std: 0 };
      // At a learning rate of 0 every step leaves the weights as the engine started them.
      const frozen = await train(plain, {
        engine,
        initialWeights,
        control: new FrozenRate(),
        onStart: (info) => {
          expect(info.engine.path).toBe(engine);
          fingerprint = info.fingerprints.initialWeights;
          normalization = info.normalization;
        },
      });
      expect(frozen.finalModel.parameters.map(bits)).toEqual(saved);
      expect(fingerprint).toBe(parametersFingerprint(first.finalModel.parameters));
      expect(normalization).toEqual({ mean: 0.5, std: 0.5 });
      const trained = await train(plain, { engine, initialWeights });
      expect(trained.finalModel.parameters.map(bits)).not.toEqual(saved);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('refuses initial weights of another shape before training, leaking nothing', async () => {
    const first = await train(plain);
    const before = tf.memory().numTensors;
    const initialWeights = { parameters: first.finalModel.parameters, normalization: { mean: 0, std: 1 } };
    await expect(train(withBatchNorm, { initialWeights })).rejects.toThrow(
      'dense1.kernel should be 16×8 but is 16×10',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
