import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochAnalysis } from '../core/analysisTypes.ts';
import { configParameterCount, type TrainingConfig } from '../core/config.ts';
import { pixelStats } from '../core/normalization.ts';
import type { Predictor } from './predictor.ts';
import { RunController } from './runControl.ts';
import { runTraining, splitIndices, type MnistData } from './trainingLoop.ts';
import { bandMnist, recordingHooks, reportedLosses, reportedSteps, tinyConfig } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Stand-in for MNIST with the real counts: 60,000 train / 100 test, digit drawn as a bright row band. */
const fakeMnist = (): MnistData => bandMnist(100, 5, false);

const data = fakeMnist();
const config = tinyConfig();

/** Fraction of `data.test` that `predictor` classifies right (argmax of its probabilities). */
function accuracyOf(predictor: Predictor): number {
  let correct = 0;
  for (let i = 0; i < data.test.count; i++) {
    const p = predictor.predict(data.test.pixels.subarray(i * 784, (i + 1) * 784));
    correct += p.indexOf(Math.max(...p)) === data.test.labels[i] ? 1 : 0;
  }
  return correct / data.test.count;
}

describe('runTraining', () => {
  it.each(['fused', 'tfjs'] as const)(
    '%s engine: reports every batch once, learns, and frees every tensor',
    async (engine) => {
      const before = tf.memory().numTensors;
      const h = recordingHooks(new RunController(), { engine });
      const result = await runTraining(config, data, h);
      expect(h.log.start[0]?.engine.path).toBe(engine);
      expect(reportedSteps(h.log.batches)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(h.log.epochs.map((e) => e.epoch)).toEqual([1, 2]);
      expect(h.log.start[0]).toMatchObject({
        batchSize: 32,
        batchesPerEpoch: 10,
        parameterCount: configParameterCount(config),
      });
      expect(h.log.start[0]?.normalization).toEqual({ mean: 0, std: 1 });
      const epoch = h.log.epochs[1];
      expect(epoch?.learningRate).toBe(0.01);
      expect(epoch?.trainAccuracy).toBeGreaterThan(0.5);
      expect(Number.isFinite(epoch?.trainLoss)).toBe(true);
      expect(result.stopped).toBe(false);
      expect(result.finalTest.accuracy).toBeGreaterThan(0.8);
      expect(result.test).toBe(result.finalTest);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('analyses each epoch after its report when asked, on the fused engine too', async () => {
    const before = tf.memory().numTensors;
    const analyses: EpochAnalysis[] = [];
    const h = recordingHooks(new RunController(), { engine: 'fused' });
    await runTraining(config, data, {
      ...h,
      onAnalysis: (analysis) => {
        h.log.events.push(`analysis:${analysis.epoch}`);
        analyses.push(analysis);
      },
      onEpoch: (report) => h.log.events.push(`epoch:${report.epoch}`),
    });
    expect(h.log.events.filter((e) => e !== 'evaluating')).toEqual([
      'epoch:1',
      'analysis:1',
      'epoch:2',
      'analysis:2',
    ]);
    const last = analyses[1];
    expect(last?.confusion.reduce((a, b) => a + b, 0)).toBe(data.test.count);
    expect(last?.pca.layers.map((l) => l.name)).toEqual(['Input pixels', 'Hidden 1 (16 ReLU)', 'Logits']);
    // The synced weights of the trained model: mostly right on the test images.
    let correct = 0;
    last?.predicted.forEach((p, i) => (correct += p === data.test.labels[i] ? 1 : 0));
    expect(correct / data.test.count).toBeGreaterThan(0.8);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports each step with the examples seen and training time after it, short last batch included', async () => {
    const short: TrainingConfig = {
      ...config,
      data: { ...config.data, trainingExamples: 100 }, // batches of 32, 32, 32 and 4
    };
    const h = recordingHooks(new RunController(), { engine: 'fused' });
    const result = await runTraining(short, data, h);
    const points = h.log.batches.flatMap((b) => [...b.steps].map((step, i) => ({ step, b, i })));
    expect(points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(points.map((p) => p.b.examples[p.i])).toEqual([32, 64, 96, 100, 132, 164, 196, 200]);
    const times = points.map((p) => p.b.trainingMs[p.i] ?? Number.NaN);
    times.forEach((t, i) => expect(t).toBeGreaterThan(i === 0 ? 0 : (times[i - 1] ?? Infinity)));
    expect(times.at(-1)).toBeLessThanOrEqual(result.trainMs);
    for (const b of h.log.batches) {
      expect([b.examples.length, b.trainingMs.length, b.losses.length]).toEqual(
        Array(3).fill(b.steps.length),
      );
      expect(b.tensors).toBeGreaterThan(0);
    }
    expect(h.log.epochs.map((e) => [e.step, e.examples])).toEqual([
      [4, 100],
      [8, 200],
    ]);
    expect(h.log.epochs.at(-1)?.trainingMs).toBe(result.trainMs);
  });

  it('stops early when asked and still evaluates', async () => {
    const control = new RunController();
    const h = recordingHooks(control);
    const result = await runTraining(config, data, {
      ...h,
      onBatches: (r) => {
        h.log.batches.push(r);
        control.stop();
      },
    });
    expect(result.stopped).toBe(true);
    expect(reportedSteps(h.log.batches).length).toBeLessThan(20);
    expect(Number.isFinite(result.finalTest.accuracy)).toBe(true);
  });

  it('gives identical losses for the same seed, with dropout, batch norm and augmentation on', async () => {
    const noisy: TrainingConfig = {
      ...config,
      model: {
        hiddenLayers: [{ units: 16, activation: 'elu', dropout: 0.2, batchNorm: true }],
        inputDropout: 0.1,
        init: 'glorot',
      },
      data: {
        ...config.data,
        rotationDegrees: 10,
        cropPadding: 2,
        shiftPixels: 1,
        normalization: 'standardize',
      },
    };
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const h = recordingHooks(new RunController());
      const result = await runTraining(noisy, data, h);
      runs.push({ losses: reportedLosses(h.log.batches), test: result.finalTest });
    }
    expect(runs[0]?.losses).toEqual(runs[1]?.losses);
    expect(runs[0]?.test).toEqual(runs[1]?.test);
    expect(runs[0]?.losses.every(Number.isFinite)).toBe(true);
  });

  it('standardizes with statistics of the training split only', async () => {
    const first: TrainingConfig = {
      ...config,
      training: { ...config.training, epochs: 1 },
      data: { ...config.data, splitMethod: 'first', normalization: 'standardize', validationFraction: 0.01 },
    };
    const train = { ...data.train, pixels: data.train.pixels.slice() };
    train.pixels.fill(255, 59_400 * 784); // the validation rows: would shift the mean if used
    const h = recordingHooks(new RunController());
    const result = await runTraining(first, { train, test: data.test }, h);
    const expected = pixelStats(train.pixels, splitIndices(first).train);
    expect(h.log.start[0]?.normalization).toEqual(expected);
    expect(result.normalization).toEqual(expected);
    expect(expected.mean).toBeLessThan(0.2);
  });

  it('follows the schedule and a learning-rate override', async () => {
    const control = new RunController();
    const stepped: TrainingConfig = {
      ...config,
      training: { ...config.training, epochs: 3 },
      schedule: { kind: 'step', stepEpochs: 1, gamma: 0.5, minLearningRate: 0 },
    };
    const h = recordingHooks(control);
    await runTraining(stepped, data, {
      ...h,
      onEpoch: (r) => {
        h.log.epochs.push(r);
        if (r.epoch === 2) control.setLearningRate(0.123);
      },
    });
    expect(h.log.epochs.map((e) => e.learningRate)).toEqual([0.01, 0.005, 0.123]);
  });

  it('tracks the best epoch by validation accuracy and tests its weights', async () => {
    const control = new RunController();
    const sgd: TrainingConfig = {
      ...config,
      optimizer: { ...config.optimizer, kind: 'sgd', learningRate: 0.5 },
      training: { ...config.training, epochs: 2 },
      data: { ...config.data, validationFraction: 0.005 },
    };
    const h = recordingHooks(control);
    const result = await runTraining(sgd, data, {
      ...h,
      onEpoch: (r) => {
        h.log.epochs.push(r);
        // Wreck the weights after epoch 1 (at 50 the loss would explode and the run stop, diverged).
        if (r.epoch === 1) control.setLearningRate(10);
      },
    });
    expect(result.diverged).toBeNull();
    const accuracies = h.log.epochs.map((e) => e.validation?.accuracy ?? -1);
    const bestIndex = accuracies.indexOf(Math.max(...accuracies));
    expect(result.best?.epoch).toBe(bestIndex + 1);
    expect(result.best?.epoch).toBe(1);
    expect(result.best?.validationAccuracy).toBe(accuracies[0]);
    expect(result.best?.test.accuracy).toBeGreaterThan(0.8);
    expect(result.best?.test.accuracy).toBeGreaterThan(result.finalTest.accuracy);
    // The final model is the final weights, not the best epoch's evaluateBest loaded last.
    expect(accuracyOf(result.finalModel)).toBeCloseTo(result.finalTest.accuracy, 6);
  });

  it('hands out predictors of the latest step while paused, the same on both engines', async () => {
    const before = tf.memory().numTensors;
    const runs: { origins: string[]; probabilities: Float32Array[]; final: Predictor }[] = [];
    for (const engine of ['fused', 'tfjs'] as const) {
      const control = new RunController();
      control.pause();
      const actions = [() => control.step('batch'), () => control.step('batch'), () => control.resume()];
      const image = data.test.pixels.subarray(0, 784);
      let snapshot = null as (() => Promise<Predictor>) | null;
      const run = { origins: [] as string[], probabilities: [] as Float32Array[] };
      const pending: Promise<void>[] = [];
      const h = recordingHooks(control, { engine });
      const result = await runTraining(config, data, {
        ...h,
        onModel: (s) => (snapshot = s),
        onPaused: () => {
          const request = snapshot?.();
          expect(snapshot?.()).toBe(request); // reused until the next step
          pending.push(
            (request ?? Promise.reject(new Error('no snapshot'))).then((predictor) => {
              run.origins.push(`${predictor.origin.epoch}:${predictor.origin.step}`);
              run.probabilities.push(predictor.predict(image));
              actions.shift()?.();
            }),
          );
        },
        onEvaluating: () => {
          const request = snapshot?.();
          if (request)
            pending.push(request.then((predictor) => void run.origins.push(`${predictor.origin.step}`)));
        },
      });
      await Promise.all(pending);
      expect(run.origins).toEqual(['1:0', '1:1', '1:2', '20']);
      expect(result.finalModel.origin).toEqual({ epoch: 2, step: 20 });
      expect(await snapshot?.()).toBe(result.finalModel);
      expect(accuracyOf(result.finalModel)).toBeCloseTo(result.finalTest.accuracy, 6);
      runs.push({ ...run, final: result.finalModel });
    }
    const [fused, tfjs] = runs;
    fused?.probabilities.forEach((p, i) => {
      p.forEach((v, k) => expect(v).toBeCloseTo(tfjs?.probabilities[i]?.[k] ?? NaN, 4));
    });
    // Training moved the weights between the pauses.
    expect(fused?.probabilities[2]).not.toEqual(fused?.probabilities[0]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has no best epoch without a validation split', async () => {
    const none: TrainingConfig = {
      ...config,
      training: { ...config.training, epochs: 1 },
      data: { ...config.data, validationFraction: 0 },
    };
    const result = await runTraining(none, data, recordingHooks(new RunController()));
    expect(result.best).toBeNull();
  });

  it('runs stochastic gradient descent with batch 1', async () => {
    const sgd: TrainingConfig = {
      ...config,
      training: { gradientDescent: 'stochastic', batchSize: 128, epochs: 1 },
      data: { ...config.data, trainingExamples: 50 },
    };
    const h = recordingHooks(new RunController());
    await runTraining(sgd, data, h);
    expect(h.log.start[0]?.batchSize).toBe(1);
    expect(reportedSteps(h.log.batches).length).toBe(50);
  });
});
