import { augmentationEnabled } from './augment.ts';
import { effectiveTrainingExamples, layerSizes, type TrainingConfig } from './config.ts';
import type { EnginePath } from './engines.ts';
import { gpuLayout, type GpuBufferName } from './gpuLayout.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from './idx.ts';

/**
 * A WebGPU device caps every single buffer (`maxBufferSize`) and every buffer a shader binds
 * (`maxStorageBufferBindingSize`), well below its memory: 256 MiB and 128 MiB are all the spec
 * guarantees, and many laptops offer no more. A run whose largest buffer is over either fails at
 * allocation (or, in TF.js, mid-step). This lists the biggest buffers a run makes on the `webgpu`
 * backend, per engine, and finds the first the device refuses and the change that makes it fit,
 * so the memory guard (`memoryEstimate.ts`) refuses the run before anything is allocated. Pure.
 *
 * Per engine, on the `webgpu` backend (f32 = 4 bytes; N training examples, B the largest batch):
 * - **the fused WebGPU engine**: every buffer of its plan (`gpuLayout.ts`, not re-derived here);
 * - **TF.js ops**: the training images as one `[N, 794]` f32 tensor (none when augmenting: the
 *   batches are built from bytes), the largest kernel variable `[fanIn, fanOut]` (its gradient and
 *   optimizer slots are the same size), and the widest `[B, width]` activation;
 * - **the fused kernel** (WebAssembly, with the model's TF.js variables on the GPU): the largest
 *   kernel variable.
 * The validation and test splits (`[≤ 30,000 or 10,000, 794]` f32, ≤ 96 MB) stay under the
 * spec's guaranteed minimums, so they are not listed.
 */

/** The device's caps on one buffer, in bytes (`GPUSupportedLimits`). */
export interface GpuLimits {
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
}

/** What makes a buffer smaller: the batch, the model's widths, the training examples, or nothing. */
export type GpuBufferGrowth = 'batch' | 'model' | 'examples' | 'fixed';

/** One buffer a run makes on the GPU, in words, with what it grows with. */
export interface GpuBufferNeed {
  /** "the activations buffer", "the training images ([54,000, 794] f32)". */
  readonly what: string;
  readonly bytes: number;
  /** Bound whole by a shader: `maxStorageBufferBindingSize` applies too. */
  readonly bound: boolean;
  readonly grows: GpuBufferGrowth;
}

/** The first buffer the device refuses, which limit, and the change that makes it fit. */
export interface GpuLimitFailure {
  readonly need: GpuBufferNeed;
  readonly limit: keyof GpuLimits;
  readonly limitBytes: number;
  /** What to change and to what: the largest batch or example count that fits, or fewer units. */
  readonly fix:
    | { readonly field: 'training.batchSize'; readonly batch: number }
    | { readonly field: 'data.trainingExamples'; readonly examples: number }
    | { readonly field: 'model.hiddenLayers' }
    | { readonly field: null };
}

const ROW_BYTES = (MNIST_PIXELS + MNIST_CLASSES) * 4;

function growthOf(name: GpuBufferName, augmenting: boolean): GpuBufferGrowth {
  switch (name) {
    case 'activations':
    case 'batch rows':
      return 'batch';
    case 'pixels':
      // The whole training file as bytes (47 MB), or the augmented batch's bytes.
      return augmenting ? 'batch' : 'fixed';
    case 'params':
    case 'grads':
    case 'optimizer state 1':
    case 'optimizer state 2':
    case 'batch-norm statistics':
    case 'sync copies':
      return 'model';
    case 'step uniforms':
    case 'optimizer uniforms':
    case 'stats':
    case 'stats staging':
      return 'fixed';
    default:
      return name satisfies never;
  }
}

/** `[60,000, 794]` */
const shape = (...dims: number[]) => `[${dims.map((d) => d.toLocaleString('en-US')).join(', ')}]`;

/** The biggest buffers a run of `config` with `engine` makes on the `webgpu` backend, at `batch` rows. */
export function gpuBufferNeeds(config: TrainingConfig, engine: EnginePath, batch: number): GpuBufferNeed[] {
  const augmenting = augmentationEnabled(config.data);
  if (engine === 'webgpu') {
    return gpuLayout(config, batch).buffers.map((buffer) => ({
      what: `the ${buffer.name} buffer`,
      bytes: buffer.bytes,
      bound: buffer.bound,
      grows: growthOf(buffer.name, augmenting),
    }));
  }
  const sizes = layerSizes(config);
  let widest = { fanIn: 0, fanOut: 0 };
  for (let i = 1; i < sizes.length; i++) {
    const fanIn = sizes[i - 1] ?? 0;
    const fanOut = sizes[i] ?? 0;
    if (fanIn * fanOut > widest.fanIn * widest.fanOut) widest = { fanIn, fanOut };
  }
  const kernel: GpuBufferNeed = {
    what: `the largest weight matrix (${shape(widest.fanIn, widest.fanOut)} f32)`,
    bytes: widest.fanIn * widest.fanOut * 4,
    bound: true,
    grows: 'model',
  };
  if (engine === 'fused') return [kernel];
  const examples = effectiveTrainingExamples(config);
  const width = Math.max(...sizes);
  return [
    ...(augmenting
      ? []
      : [
          {
            what: `the training images (${shape(examples, MNIST_PIXELS + MNIST_CLASSES)} f32, labels included)`,
            bytes: examples * ROW_BYTES,
            bound: true,
            grows: 'examples' as const,
          },
        ]),
    kernel,
    {
      what: `the widest activation (${shape(batch, width)} f32)`,
      bytes: batch * width * 4,
      bound: true,
      grows: 'batch',
    },
  ];
}

/** Which limit `need` passes, if any. */
function limitPassed(need: GpuBufferNeed, limits: GpuLimits): keyof GpuLimits | null {
  if (need.bytes > limits.maxBufferSize) return 'maxBufferSize';
  if (need.bound && need.bytes > limits.maxStorageBufferBindingSize) return 'maxStorageBufferBindingSize';
  return null;
}

const allFit = (needs: readonly GpuBufferNeed[], limits: GpuLimits) =>
  needs.every((need) => limitPassed(need, limits) === null);

/** The cap a buffer must stay under: both limits if bound, else `maxBufferSize`. */
const capOf = (need: GpuBufferNeed, limits: GpuLimits) =>
  need.bound ? Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize) : limits.maxBufferSize;

/** The order a refusal names buffers in: what only another backend fixes first, the batch last. */
const FIX_ORDER: readonly GpuBufferGrowth[] = ['fixed', 'model', 'examples', 'batch'];

/**
 * A buffer of a run of `config` with `engine` at `batch` rows that `limits` refuse, with the
 * change that makes it fit: the largest power-of-two batch with which every buffer fits, the
 * most training examples (rounded down to a thousand), fewer or narrower layers, or none (another
 * backend). Of several, the one the others' fixes would not cure is named; null when all fit.
 */
export function gpuLimitFailure(
  config: TrainingConfig,
  engine: EnginePath,
  batch: number,
  limits: GpuLimits,
): GpuLimitFailure | null {
  const needs = gpuBufferNeeds(config, engine, batch);
  const over = needs.filter((need) => limitPassed(need, limits) !== null);
  const need = FIX_ORDER.map((grows) => over.find((n) => n.grows === grows)).find((n) => n !== undefined);
  if (need === undefined) return null;
  const limit = limitPassed(need, limits) ?? 'maxBufferSize';
  const failure = { need, limit, limitBytes: limits[limit] };
  switch (need.grows) {
    case 'batch': {
      for (let smaller = 2 ** Math.floor(Math.log2(Math.max(1, batch - 1))); smaller >= 1; smaller /= 2) {
        if (smaller < batch && allFit(gpuBufferNeeds(config, engine, smaller), limits))
          return { ...failure, fix: { field: 'training.batchSize', batch: smaller } };
      }
      return { ...failure, fix: { field: 'model.hiddenLayers' } };
    }
    case 'examples': {
      const examples = Math.floor(capOf(need, limits) / ROW_BYTES / 1000) * 1000;
      return {
        ...failure,
        fix: examples > 0 ? { field: 'data.trainingExamples', examples } : { field: null },
      };
    }
    case 'model':
      return { ...failure, fix: { field: 'model.hiddenLayers' } };
    case 'fixed':
      return { ...failure, fix: { field: null } };
    default:
      return need.grows satisfies never;
  }
}
