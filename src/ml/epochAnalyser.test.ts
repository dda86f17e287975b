import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochAnalysis } from '../core/analysisTypes.ts';
import type { TrainingConfig } from '../core/config.ts';
import { SeededRandom } from '../core/random.ts';
import { referenceAnalyses } from './analysisFixtures.ts';
import {
  inProcessAnalyser,
  NewestSnapshotAnalyser,
  takeSnapshot,
  type AnalysisSink,
  type EpochSnapshot,
} from './epochAnalyser.ts';
import { createMlp, disposeMlp, type Mlp } from './mlp.ts';
import { RunController } from './runControl.ts';
import { runTraining } from './trainingLoop.ts';
import { expectSameViews } from '../testing/analysisViews.ts';
import { bandMnist, hiddenLayer, recordingHooks, syntheticImages, tinyConfig } from './testData.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NORMALIZATION = { mean: 0.1, std: 0.3 };

/** A snapshot standing in for epoch `epoch` (the scheduler never looks inside). */
const snapshot = (epoch: number): EpochSnapshot => ({ epoch, parameters: [], normalization: NORMALIZATION });

/** A `compute` whose results the test hands out one by one, and a sink that records. */
function harness() {
  const started: number[] = [];
  const settle: { resolve(): void; reject(message: string): void }[] = [];
  const delivered: number[] = [];
  const failed: string[] = [];
  let released = 0;
  const sink: AnalysisSink = {
    deliver: (analysis) => delivered.push(analysis.epoch),
    fail: (epoch, message) => failed.push(`${epoch}: ${message}`),
  };
  const analyser = new NewestSnapshotAnalyser(
    (s) => {
      started.push(s.epoch);
      return new Promise<EpochAnalysis>((resolve, reject) =>
        settle.push({
          resolve: () => resolve({ epoch: s.epoch } as EpochAnalysis),
          reject: (message) => reject(new Error(message)),
        }),
      );
    },
    sink,
    () => (released += 1),
  );
  /** Settles the oldest running compute and lets its callbacks run. */
  const next = async (outcome: 'ok' | string = 'ok') => {
    const job = settle.shift();
    if (outcome === 'ok') job?.resolve();
    else job?.reject(outcome);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { analyser, started, delivered, failed, next, released: () => released };
}

describe('NewestSnapshotAnalyser', () => {
  it('runs one analysis at a time and, of the snapshots that wait, keeps only the newest', async () => {
    const h = harness();
    h.analyser.analyse(snapshot(1));
    h.analyser.analyse(snapshot(2));
    h.analyser.analyse(snapshot(3));
    h.analyser.analyse(snapshot(4));
    expect(h.started).toEqual([1]);
    await h.next();
    expect(h.delivered).toEqual([1]);
    expect(h.started).toEqual([1, 4]);
    expect(h.analyser.skipped).toEqual([2, 3]);
    await h.next();
    expect(h.delivered).toEqual([1, 4]);
    expect(h.released()).toBe(0);
  });

  it('finish delivers the running and the waiting analysis, then releases once', async () => {
    const h = harness();
    h.analyser.analyse(snapshot(1));
    h.analyser.analyse(snapshot(2));
    let finished = false;
    const done = h.analyser.finish().then(() => (finished = true));
    h.analyser.analyse(snapshot(3)); // after finish: ignored
    await h.next();
    expect(finished).toBe(false);
    await h.next();
    await done;
    expect(h.delivered).toEqual([1, 2]);
    expect(h.started).toEqual([1, 2]);
    expect(h.released()).toBe(1);
    h.analyser.dispose();
    await h.analyser.finish();
    expect(h.released()).toBe(1);
  });

  it('dispose drops what waits, delivers nothing more and releases once the running one settles', async () => {
    const h = harness();
    h.analyser.analyse(snapshot(1));
    h.analyser.analyse(snapshot(2));
    h.analyser.dispose();
    h.analyser.dispose();
    expect(h.released()).toBe(0);
    await h.next();
    expect(h.delivered).toEqual([]);
    expect(h.started).toEqual([1]);
    expect(h.analyser.skipped).toEqual([2]);
    expect(h.released()).toBe(1);
    h.analyser.analyse(snapshot(3));
    expect(h.started).toEqual([1]);
  });

  it('an idle analyser releases at once; a failure is reported and the next snapshot still runs', async () => {
    const idle = harness();
    idle.analyser.dispose();
    expect(idle.released()).toBe(1);

    const h = harness();
    h.analyser.analyse(snapshot(1));
    h.analyser.analyse(snapshot(2));
    await h.next('out of memory');
    expect(h.failed).toEqual(['1: out of memory']);
    await h.next();
    expect(h.delivered).toEqual([2]);
  });
});

/** 1,200 synthetic images; a 784-16-8-10 model whose second layer has batch norm with real statistics. */
const images = syntheticImages(1200, 3);
const architecture: TrainingConfig['model'] = {
  hiddenLayers: [hiddenLayer(16), hiddenLayer(8, { activation: 'tanh', batchNorm: true })],
  inputDropout: 0,
  init: 'he',
};

function trainedLooking(seed: number): Mlp {
  const model = createMlp(architecture, new SeededRandom(seed));
  const bn = model.hidden[1]?.batchNorm;
  tf.tidy(() => {
    bn?.runningMean.assign(tf.tensor1d(Array.from({ length: 8 }, (_, i) => 0.1 * i - 0.2 * seed)));
    bn?.runningVar.assign(tf.tensor1d(Array.from({ length: 8 }, (_, i) => 0.5 + 0.2 * i)));
    bn?.gamma.assign(tf.tensor1d(Array.from({ length: 8 }, (_, i) => 1 + 0.05 * i)));
  });
  return model;
}

describe('inProcessAnalyser', () => {
  it("gives today's views for the same weights, epoch after epoch, and frees everything", async () => {
    const models = [trainedLooking(1), trainedLooking(2)];
    const want = await referenceAnalyses(images, NORMALIZATION, models);
    const before = tf.memory().numTensors;
    const got: EpochAnalysis[] = [];
    const analyser = inProcessAnalyser(
      'run',
      architecture,
      images,
      { deliver: (a) => got.push(a), fail: (epoch, message) => expect.fail(`${epoch}: ${message}`) },
      () => 0,
    );
    // One epoch at a time, so none is skipped and the PCA signs carry over as in a run.
    for (const [i, model] of models.entries()) {
      analyser.analyse(await takeSnapshot(model, i + 1, NORMALIZATION));
      while (got.length < i + 1) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await analyser.finish();
    expect(got.map((a) => a.epoch)).toEqual([1, 2]);
    got.forEach((analysis, i) => expectSameViews(analysis, want[i]));
    expect(tf.memory().numTensors).toBe(before);
    models.forEach(disposeMlp);
  });
});

describe('the training loop and its analyser', () => {
  it('hands each epoch over as a snapshot of the synced weights and never waits for the analysis', async () => {
    const config = tinyConfig({ training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 3 } });
    const handed: EpochSnapshot[] = [];
    const never = {
      analyse: (s: EpochSnapshot) => handed.push(s),
      finish: () => new Promise<void>(() => {}),
      dispose: () => {},
    };
    const h = recordingHooks(new RunController(), { engine: 'fused', analyser: never });
    const result = await runTraining(config, bandMnist(100), h);
    expect(handed.map((s) => s.epoch)).toEqual([1, 2, 3]);
    expect(handed[0]?.normalization).toEqual(result.normalization);
    // The last snapshot holds the final weights (no step after the last epoch's end).
    const last = handed[2]?.parameters ?? [];
    expect(last.map((p) => p.name)).toEqual(result.finalModel.parameters.map((p) => p.name));
    last.forEach((p, i) => expect([...p.data]).toEqual([...(result.finalModel.parameters[i]?.data ?? [])]));
    // Its own arrays, so transferring them takes nothing from the run.
    expect(new Set(last.map((p) => p.data.buffer)).size).toBe(last.length);
    for (const epoch of h.log.epochs) {
      expect(epoch.endOfEpoch?.analysisMs).toBeGreaterThan(0);
      expect(epoch.endOfEpoch?.validationMs).toBeGreaterThan(0);
    }
  });

  it('without analysis, the report says the hand-over cost nothing', async () => {
    const h = recordingHooks(new RunController(), { engine: 'fused' });
    await runTraining(tinyConfig(), bandMnist(100), h);
    expect(h.log.epochs.map((e) => e.endOfEpoch?.analysisMs)).toEqual([0, 0]);
  });
});

describe('NewestSnapshotAnalyser with a rest between analyses', () => {
  it('waits restFactor × the last analysis before the next, but never for a finishing run’s last', async () => {
    const started: number[] = [];
    const settle: (() => void)[] = [];
    const analyser = new NewestSnapshotAnalyser(
      (s) => {
        started.push(s.epoch);
        return new Promise<EpochAnalysis>((resolve) =>
          settle.push(() => resolve({ epoch: s.epoch } as EpochAnalysis)),
        );
      },
      { deliver: () => {}, fail: () => {} },
      () => {},
      1e6,
    );
    analyser.analyse(snapshot(1));
    // The first analysis takes a measurable time, so the rest after it is long.
    await new Promise((resolve) => setTimeout(resolve, 5));
    settle.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    analyser.analyse(snapshot(2));
    analyser.analyse(snapshot(3));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([1]);
    expect(analyser.skipped).toEqual([2]);
    const finished = analyser.finish();
    expect(started).toEqual([1, 3]);
    settle.shift()?.();
    await finished;
  });
});
