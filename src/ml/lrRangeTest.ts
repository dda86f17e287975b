import type { TrainingConfig } from '../core/config.ts';
import {
  RANGE_TEST,
  rangeTestSteps,
  RangeTestTracker,
  suggestRate,
  type RangeTestResult,
  type RangeTestSettings,
  type RangeTestStop,
} from '../core/lrFinder.ts';
import { ENGINE_NAMES } from '../core/engines.ts';
import { normalizationStats } from '../core/normalization.ts';
import { runStreams } from '../core/runStreams.ts';
import { EpochOrders } from './dataOrder.ts';
import { splitIndices } from './dataset.ts';
import { createStepEngine, type StepEngine } from './engine.ts';
import { createMlp, disposeMlp } from './mlp.ts';
import { PendingPoints } from './pending.ts';
import { runShape, trainingImages } from './runResources.ts';
import type { MnistData } from './runTypes.ts';

/**
 * The learning-rate range test, its training part: a **fresh** model drawn from the config's seed
 * (the init stream, as a run of that config starts), trained step by step on the config's
 * training split (label noise included), batch size, optimizer, loss and data options, with
 * the rate growing exponentially from 1e-7 (`core/lrFinder.ts` holds the schedule, the
 * smoothing, the stop rule and the suggestion). Every tensor it makes is freed at the end; the model and weights of a
 * finished, loaded or paused run are never touched (the test has its own model, optimizer and
 * engine), so nothing needs restoring.
 *
 * The steps run on the engine `chooseEngine` guesses for the backend in use, without measuring:
 * the fused kernel (one thread) on the CPU backends, TF.js ops on WebGL, the fused WebGPU engine
 * on webgpu. All three are proven to agree with TF.js ops (`ml/fused/fusedEngine.test.ts`), and
 * it is the engine a Train press would most likely use, so the curve is the run's.
 */

/** What the test needs from where it runs. */
export interface RangeTestHost {
  /** The clock, in ms. */
  now(): number;
  /** A turn of the event loop, so a cancel (a Train press) gets in. */
  yieldToEventLoop(): Promise<void>;
  /** True once the test should end early (it then rejects with {@link RangeTestCancelled}). */
  cancelled(): boolean;
  /** After every step: steps done, the sweep's length, and the rate of the last step. */
  onProgress(done: number, steps: number, rate: number): void;
}

/** Thrown when {@link RangeTestHost.cancelled} turned true during the test. */
export class RangeTestCancelled extends Error {
  constructor() {
    super('The learning-rate range test was cancelled: training started.');
    this.name = 'RangeTestCancelled';
  }
}

/** Steps between turns of the event loop. */
const YIELD_EVERY = 8;

/** Runs the range test for `config` on `data` (see the module comment). */
export async function runRangeTest(
  config: TrainingConfig,
  data: MnistData,
  host: RangeTestHost,
  settings: RangeTestSettings = RANGE_TEST,
): Promise<RangeTestResult> {
  const started = host.now();
  const streams = runStreams(config.seed);
  const indices = splitIndices(config, data.receivedShards);
  if (indices.train.length === 0) throw new Error('There are no training examples to run the range test on.');
  const { batchSize } = runShape(config, indices.train.length);
  const steps = rangeTestSteps(batchSize);
  const normalization = normalizationStats(config.data.normalization, data.train.pixels, indices.train);
  const model = createMlp(config.model, streams.init);
  const pending = new PendingPoints();
  let engine: StepEngine;
  try {
    engine = createStepEngine({
      config,
      model,
      // The labels a run of this config trains on (its label noise, if any).
      images: trainingImages(config, data.train, streams.labelNoise),
      trainIndices: indices.train,
      normalization,
      augmentRng: streams.augment,
      dropoutRng: streams.dropout,
      maxBatch: batchSize,
    });
  } catch (error) {
    disposeMlp(model);
    throw error;
  }
  try {
    await engine.ready();
    const orders = new EpochOrders(streams.shuffle, indices.train);
    const tracker = new RangeTestTracker(steps, settings);
    let order = orders.next();
    let at = 0;
    let stop: RangeTestStop | null = null;
    while (stop === null) {
      if (at + batchSize > order.length) {
        order = orders.next();
        at = 0;
      }
      const rate = tracker.nextRate;
      const { loss, accuracy } = engine.step(order.subarray(at, at + batchSize), rate);
      at += batchSize;
      pending.push({ step: 0, examples: 0, trainingMs: 0, size: batchSize, loss, accuracy });
      const { losses } = await pending.drain();
      stop = tracker.push(losses[0] ?? Number.NaN);
      host.onProgress(tracker.points.length, steps, rate);
      if (tracker.points.length % YIELD_EVERY === 0) await host.yieldToEventLoop();
      if (host.cancelled()) throw new RangeTestCancelled();
    }
    return {
      points: tracker.points,
      stop,
      suggestion: suggestRate(tracker.points, settings),
      batchSize,
      engine: ENGINE_NAMES[engine.info.path],
      ms: host.now() - started,
    };
  } finally {
    pending.dispose();
    engine.dispose();
    disposeMlp(model);
  }
}
