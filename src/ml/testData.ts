import { DEFAULT_CONFIG, type TrainingConfig } from '../core/config.ts';
import type { LabelledImages } from '../core/idx.ts';
import { SeededRandom } from '../core/random.ts';
import { RunController } from './runControl.ts';
import type { BatchReport, EpochReport, LoopHooks, RunStartReport } from './runTypes.ts';

/**
 * Tiny synthetic MNIST stand-ins for unit tests: class c lights up rows 2c+2…2c+4 of a 28×28
 * image, plus seeded noise, so a small MLP learns them in a few steps.
 */
export function syntheticImages(count: number, seed = 1): LabelledImages {
  const rng = new SeededRandom(seed);
  const pixels = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 10;
    labels[i] = label;
    for (let p = 0; p < 784; p++) {
      const row = Math.floor(p / 28);
      const on = row >= 2 * label + 2 && row < 2 * label + 5;
      pixels[i * 784 + p] = on ? 200 + rng.nextInt(55) : rng.nextInt(30);
    }
  }
  return { count, pixels, labels };
}

/** A small config (784-16-10, batch 32) for fast tests; override fields as needed. */
export function tinyConfig(overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  return {
    ...DEFAULT_CONFIG,
    model: {
      ...DEFAULT_CONFIG.model,
      hiddenLayers: [{ units: 16, activation: 'relu', dropout: 0, batchNorm: false }],
    },
    optimizer: { ...DEFAULT_CONFIG.optimizer, learningRate: 0.01 },
    training: { gradientDescent: 'miniBatch', batchSize: 32, epochs: 2 },
    data: { ...DEFAULT_CONFIG.data, validationFraction: 0.001, trainingExamples: 320 },
    ...overrides,
  };
}

/** Fields of a config's parts to override in a test ({@link configOverriding}). */
export interface ConfigOverrides {
  readonly model?: Partial<TrainingConfig['model']>;
  readonly loss?: Partial<TrainingConfig['loss']>;
  readonly optimizer?: Partial<TrainingConfig['optimizer']>;
  readonly data?: Partial<TrainingConfig['data']>;
}

/** `base` with the fields `overrides` gives, part by part (model, loss, optimizer, data). */
export function configOverriding(base: TrainingConfig, overrides: ConfigOverrides): TrainingConfig {
  return {
    ...base,
    model: { ...base.model, ...overrides.model },
    loss: { ...base.loss, ...overrides.loss },
    optimizer: { ...base.optimizer, ...overrides.optimizer },
    data: { ...base.data, ...overrides.data },
  };
}

/** A hidden-layer spec for tests: ReLU, no dropout or batch norm unless `extra` says so. */
export function hiddenLayer(
  units: number,
  extra: Partial<TrainingConfig['model']['hiddenLayers'][number]> = {},
): TrainingConfig['model']['hiddenLayers'][number] {
  return { units, activation: 'relu', dropout: 0, batchNorm: false, ...extra };
}

/**
 * MNIST-sized stand-in (60,000 training images, as the split needs, and `testCount` test images):
 * digit c is a bright band on rows 2c+3…2c+4, plus (with `greyPixel`, the default) one grey pixel
 * at a random place. Quick to build.
 */
export function bandMnist(
  testCount = 200,
  seed = 5,
  greyPixel = true,
): { train: LabelledImages; test: LabelledImages } {
  const rng = new SeededRandom(seed);
  const make = (count: number): LabelledImages => {
    const pixels = new Uint8Array(count * 784);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const label = rng.nextInt(10);
      labels[i] = label;
      pixels.fill(255, i * 784 + (label * 2 + 3) * 28, i * 784 + (label * 2 + 5) * 28);
      if (greyPixel) pixels[i * 784 + rng.nextInt(784)] = 128;
    }
    return { count, pixels, labels };
  };
  return { train: make(60_000), test: make(testCount) };
}

/**
 * Loop hooks that report nothing, on a fake clock (10 ms a tick) unless `extra` says otherwise:
 * for tests that only care about what a run returns or leaves behind.
 */
export function silentHooks(extra: Partial<LoopHooks> = {}): LoopHooks {
  let clock = 0;
  return {
    control: new RunController(),
    now: () => (clock += 10),
    yieldToEventLoop: () => Promise.resolve(),
    onStart: () => {},
    onBatches: () => {},
    onEpoch: () => {},
    onEvaluating: () => {},
    onPaused: () => {},
    onResumed: () => {},
    ...extra,
  };
}

/** What {@link recordingHooks} saw, in order. */
export interface LoopLog {
  readonly start: RunStartReport[];
  readonly batches: BatchReport[];
  readonly epochs: EpochReport[];
  /** `evaluating`, `paused`, `resumed` and `step:<kind>`, as they happened. */
  readonly events: string[];
}

/**
 * Loop hooks that record every report and event into `log`, on a fake clock (10 ms a tick),
 * reporting every 50 ms of it; `extra` overrides any hook.
 */
export function recordingHooks(
  control: RunController,
  extra: Partial<LoopHooks> = {},
): LoopHooks & { readonly log: LoopLog } {
  const log: LoopLog = { start: [], batches: [], epochs: [], events: [] };
  return {
    ...silentHooks({
      control,
      onStart: (info) => log.start.push(info),
      onBatches: (report) => log.batches.push(report),
      onEpoch: (report) => log.epochs.push(report),
      onEvaluating: () => log.events.push('evaluating'),
      onPaused: () => log.events.push('paused'),
      onResumed: () => log.events.push('resumed'),
      onStepStarted: (kind) => log.events.push(`step:${kind}`),
      reportEveryMs: 50,
      ...extra,
    }),
    log,
  };
}

/** Every step number the run reported, in order. */
export const reportedSteps = (batches: readonly BatchReport[]) => batches.flatMap((b) => [...b.steps]);
/** Every batch loss the run reported, in order. */
export const reportedLosses = (batches: readonly BatchReport[]) => batches.flatMap((b) => [...b.losses]);
