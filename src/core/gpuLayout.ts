import { augmentationEnabled } from './augment.ts';
import { layerSizes, MNIST_TRAIN_COUNT, type Activation, type TrainingConfig } from './config.ts';
import { stateBuffers } from './fusedLayout.ts';
import { gemmPartialFloats, gemmPlan, type GemmPlan } from './gpuProducts.ts';
import { MNIST_PIXELS } from './idx.ts';
import type { MemoryTermKind } from './memoryEstimate.ts';

/**
 * Every GPU buffer the fused WebGPU engine (`src/ml/gpu/gpuEngine.ts`) makes for a run, and where
 * each value sits inside them: the one plan the engine allocates from and the memory estimate
 * (`memoryEstimate.ts`) sums, so the estimate is the engine's GPU memory (less a few small uniform
 * blocks of the batch-norm passes), and the
 * memory guard can check each buffer against the device's `maxBufferSize` and (for buffers a
 * shader binds whole) `maxStorageBufferBindingSize` before anything is allocated. Pure: it
 * depends only on the config, the largest batch and how many images stay resident.
 *
 * - **params** (and **grads**, optimizer **state 1/2** with the same layout): one flat f32 array,
 *   unpadded — every dense kernel first (`[fanIn, fanOut]` row-major, as TF.js stores it), so the
 *   penalties and AdamW's decay act on floats `[0, decayFloats)` only; then every bias; then γ, β
 *   of each batch-norm layer.
 * - **activations**: one f32 buffer holding all `[B, width]` matrices of a step (z, batch norm's
 *   output y, the layer output h, the dropout mask, dz) and its scratch (the split-K products'
 *   partial sums, `gpuProducts.ts`; the loss workgroups' sums), each region starting at a
 *   multiple of {@link GPU_REGION_ALIGN} bytes so a pass may bind it by range.
 * - **pixels**: the training file's bytes (u32-packed, 784 bytes an image), resident for the run,
 *   or the augmented batch's bytes `[B, 784]` when augmenting.
 * - **batch rows**: `[B]` i32 training-file rows, then `[B]` i32 labels, uploaded per step.
 * - **step uniforms**, **stats** (each step's loss and accuracy, a span of
 *   {@link GPU_STATS_SPAN_STEPS} steps) and the **stats staging** buffers they are read back
 *   through, **batch-norm statistics** (per batch-norm layer: batch mean, 1/σ, running mean and
 *   variance), and the **sync copies** the model's variables are written from.
 */

/** Every region inside a buffer starts on this many bytes (WebGPU's `minStorageBufferOffsetAlignment` default). */
export const GPU_REGION_ALIGN = 256;
/** Steps whose loss and accuracy one stats span holds before it rolls over. */
export const GPU_STATS_SPAN_STEPS = 256;
/** Staging buffers the stats are read back through (counted; more are made only while reads lag). */
export const GPU_STATS_STAGING_BUFFERS = 2;
/** Bytes of the engine's per-step uniform block (batch size, stats slot, …). */
export const GPU_STEP_UNIFORM_BYTES = 16;
/** Bytes of the optimizer pass's uniform block (`src/ml/gpu/optimizerPass.ts`). */
export const GPU_OPTIMIZER_UNIFORM_BYTES = 64;
/** Batch rows one workgroup of the loss pass takes (one an invocation). */
export const GPU_LOSS_ROWS_PER_WORKGROUP = 64;
/** Floats per unit of a batch-norm layer's statistics: batch mean, 1/σ, running mean, running variance. */
export const GPU_BATCH_NORM_STATISTICS = 4;

/** What a GPU buffer is for (its label on the device, too). */
export type GpuBufferName =
  | 'params'
  | 'grads'
  | 'optimizer state 1'
  | 'optimizer state 2'
  | 'activations'
  | 'pixels'
  | 'batch rows'
  | 'step uniforms'
  | 'optimizer uniforms'
  | 'stats'
  | 'stats staging'
  | 'batch-norm statistics'
  | 'sync copies';

/** One buffer (or a group of alike buffers) of the plan. */
export interface GpuBufferPlan {
  readonly name: GpuBufferName;
  /** The memory-estimate term it counts towards. */
  readonly kind: MemoryTermKind;
  /** Bytes of the largest single buffer of the group (what `maxBufferSize` must allow). */
  readonly bytes: number;
  /** How many such buffers (sync copies: one per model variable, sized each; here the sum). */
  readonly count: number;
  /** Bytes of the whole group. */
  readonly totalBytes: number;
  /** Bound whole as a storage buffer: must fit the device's `maxStorageBufferBindingSize`. */
  readonly bound: boolean;
}

/** One dense layer (hidden or output). Param offsets are in floats; activation offsets in bytes. */
export interface GpuLayerLayout {
  readonly fanIn: number;
  readonly fanOut: number;
  /** `linear` for the output layer. */
  readonly activation: Activation;
  /** Inverted-dropout rate after the activation (0 for the output layer). */
  readonly dropout: number;
  /** Float offsets into params/grads/state of the kernel `[fanIn, fanOut]` and the bias `[fanOut]`. */
  readonly kernel: number;
  readonly bias: number;
  /** Float offsets of batch norm's γ and β `[fanOut]`, null without batch norm. */
  readonly gamma: number | null;
  readonly beta: number | null;
  /**
   * Byte offsets into `activations` of `[B, fanOut]` f32 regions: z = h·W + b (batch norm
   * overwrites it with x̂); batch norm's output y (null without); the layer's output h =
   * act(y or z)·mask (null for the output layer, whose z are the logits); the dropout mask
   * (null without dropout); dz, the gradient w.r.t. z (with batch norm, first the gradient
   * w.r.t. y, turned into dz in place).
   */
  readonly z: number;
  readonly y: number | null;
  readonly h: number | null;
  readonly mask: number | null;
  readonly dz: number;
  /** How the forward product h·W `[B, fanOut]` is cut (`gpuProducts.ts`). */
  readonly forward: GemmPlan;
  /** How the backward product dz·Wᵀ `[B, fanIn]` into the layer below is cut; null for the first layer. */
  readonly backward: GemmPlan | null;
  /** How the weight-gradient product [hᵀ; 1]·dz `[fanIn + 1, fanOut]` is cut. */
  readonly weights: GemmPlan;
  /**
   * Byte offset into `activations` of this layer's weight-gradient partial sums (all layers'
   * weight gradients run in one dispatch, so each has its own); meaningful only when split.
   */
  readonly weightPartials: number;
}

export interface GpuLayout {
  /** The largest batch the buffers hold (rows B). */
  readonly batch: number;
  /** Every trainable float: Σ fanIn·fanOut + fanOut, + 2·units per batch-norm layer. */
  readonly paramFloats: number;
  /** The leading floats (the dense kernels) that L1/L2 and AdamW's decay act on. */
  readonly decayFloats: number;
  readonly layers: readonly GpuLayerLayout[];
  /** Byte offset into `activations` of the `[B, 784]` input dropout mask; null without. */
  readonly inputMask: number | null;
  /**
   * Byte offset into `activations` of the split-K partial sums (`gpuProducts.ts`): a forward or
   * backward product uses it from its start (one runs at a time); the weight gradients at each
   * layer's `weightPartials`. Null when no product is split.
   */
  readonly partials: number | null;
  /**
   * Byte offset into `activations` of the loss pass's per-workgroup sums: `[⌈B / 64⌉, 2]` f32,
   * each workgroup's summed row losses and hits, added in order into the step's stats later.
   */
  readonly lossSums: number;
  /** Bytes of the activations buffer. */
  readonly activationBytes: number;
  /** Bytes of the pixels buffer; images resident (0 when augmenting). */
  readonly pixelBytes: number;
  readonly residentImages: number;
  /** Every buffer the engine (and its passes) make, by name. */
  readonly buffers: readonly GpuBufferPlan[];
  /** Σ of every buffer's bytes. */
  readonly totalBytes: number;
}

const aligned = (bytes: number) => Math.ceil(bytes / GPU_REGION_ALIGN) * GPU_REGION_ALIGN;

/**
 * The GPU plan of a fused-WebGPU run of `config` at up to `batch` rows, with `residentImages`
 * training images on the GPU (the full file unless a test passes fewer; unused when augmenting).
 */
export function gpuLayout(
  config: TrainingConfig,
  batch: number,
  residentImages: number = MNIST_TRAIN_COUNT,
): GpuLayout {
  if (!Number.isInteger(batch) || batch < 1)
    throw new Error(`gpuLayout: batch must be a positive integer, not ${batch}`);
  const sizes = layerSizes(config);
  const hidden = config.model.hiddenLayers;
  const shapes = sizes.slice(1).map((fanOut, i) => ({
    fanIn: sizes[i] ?? 0,
    fanOut,
    activation: hidden[i]?.activation ?? ('linear' as const),
    dropout: hidden[i]?.dropout ?? 0,
    normalised: hidden[i]?.batchNorm ?? false,
    output: i === hidden.length,
    products: {
      forward: gemmPlan(batch, fanOut, sizes[i] ?? 0),
      backward: i === 0 ? null : gemmPlan(batch, sizes[i] ?? 0, fanOut),
      weights: gemmPlan((sizes[i] ?? 0) + 1, fanOut, batch),
    },
  }));

  let floats = 0;
  const kernels = shapes.map((s) => {
    const at = floats;
    floats += s.fanIn * s.fanOut;
    return at;
  });
  const decayFloats = floats;
  const biases = shapes.map((s) => {
    const at = floats;
    floats += s.fanOut;
    return at;
  });
  const norms = shapes.map((s) => {
    if (!s.normalised) return null;
    const gamma = floats;
    floats += 2 * s.fanOut;
    return { gamma, beta: gamma + s.fanOut };
  });
  const paramFloats = floats;

  let next = 0;
  const region = (width: number) => {
    const at = next;
    next += aligned(batch * width * 4);
    return at;
  };
  const inputMask = config.model.inputDropout > 0 ? region(MNIST_PIXELS) : null;
  // Forward and backward products run one at a time and share the partials from the start; the
  // weight gradients of every layer run together, each in its own span.
  const passFloats = shapes.map(({ products: { forward, backward }, fanIn, fanOut }) =>
    Math.max(
      gemmPartialFloats(forward, batch, fanOut),
      backward === null ? 0 : gemmPartialFloats(backward, batch, fanIn),
    ),
  );
  const weightBytes = shapes.map((s) =>
    aligned(gemmPartialFloats(s.products.weights, s.fanIn + 1, s.fanOut) * 4),
  );
  const partialBytes = Math.max(
    aligned(Math.max(0, ...passFloats) * 4),
    weightBytes.reduce((sum, b) => sum + b, 0),
  );
  const partials = partialBytes > 0 ? next : null;
  next += partialBytes;
  const lossSums = next;
  next += aligned(Math.ceil(batch / GPU_LOSS_ROWS_PER_WORKGROUP) * 2 * 4);
  let weightPartials = partials ?? 0;
  const layers = shapes.map((s, i): GpuLayerLayout => {
    const z = region(s.fanOut);
    const y = s.normalised ? region(s.fanOut) : null;
    const h = s.output ? null : region(s.fanOut);
    const mask = s.dropout > 0 ? region(s.fanOut) : null;
    const dz = region(s.fanOut);
    const weightsAt = weightPartials;
    weightPartials += weightBytes[i] ?? 0;
    return {
      ...s.products,
      weightPartials: weightsAt,
      fanIn: s.fanIn,
      fanOut: s.fanOut,
      activation: s.activation,
      dropout: s.dropout,
      kernel: kernels[i] ?? 0,
      bias: biases[i] ?? 0,
      gamma: norms[i]?.gamma ?? null,
      beta: norms[i]?.beta ?? null,
      z,
      y,
      h,
      mask,
      dz,
    };
  });
  const activationBytes = next;

  const augmenting = augmentationEnabled(config.data);
  const pixelBytes = augmenting ? batch * MNIST_PIXELS : residentImages * MNIST_PIXELS;
  const [hasState1, hasState2] = stateBuffers(config.optimizer.kind);
  const normalisedUnits = shapes.reduce((sum, s) => sum + (s.normalised ? s.fanOut : 0), 0);
  const stateFloats = paramFloats + 2 * normalisedUnits;
  const largestVariable = Math.max(...shapes.map((s) => s.fanIn * s.fanOut));
  const plan = (
    name: GpuBufferName,
    kind: MemoryTermKind,
    bytes: number,
    bound: boolean,
    count = 1,
    totalBytes = bytes * count,
  ): GpuBufferPlan => ({ name, kind, bytes, count, totalBytes, bound });
  const buffers = [
    plan('params', 'parameters', paramFloats * 4, true),
    plan('grads', 'gradients', paramFloats * 4, true),
    ...(hasState1 ? [plan('optimizer state 1', 'optimizer state', paramFloats * 4, true)] : []),
    ...(hasState2 ? [plan('optimizer state 2', 'optimizer state', paramFloats * 4, true)] : []),
    plan('activations', 'activations', activationBytes, true),
    plan('pixels', augmenting ? 'activations' : 'dataset', Math.max(4, pixelBytes), true),
    plan('batch rows', 'scratch', batch * 8, true),
    plan('step uniforms', 'scratch', GPU_STEP_UNIFORM_BYTES, false),
    plan('optimizer uniforms', 'scratch', GPU_OPTIMIZER_UNIFORM_BYTES, false),
    plan('stats', 'scratch', GPU_STATS_SPAN_STEPS * 8, true),
    plan('stats staging', 'scratch', GPU_STATS_SPAN_STEPS * 8, false, GPU_STATS_STAGING_BUFFERS),
    ...(normalisedUnits > 0
      ? [
          plan(
            'batch-norm statistics',
            'parameters',
            Math.max(...shapes.map((s) => (s.normalised ? s.fanOut : 0))) * GPU_BATCH_NORM_STATISTICS * 4,
            true,
            shapes.filter((s) => s.normalised).length,
            normalisedUnits * GPU_BATCH_NORM_STATISTICS * 4,
          ),
        ]
      : []),
    plan('sync copies', 'weight copies', largestVariable * 4, false, 1, stateFloats * 4),
  ];
  return {
    batch,
    paramFloats,
    decayFloats,
    layers,
    inputMask,
    partials,
    lossSums,
    activationBytes,
    pixelBytes,
    residentImages: augmenting ? 0 : residentImages,
    buffers,
    totalBytes: buffers.reduce((sum, b) => sum + b.totalBytes, 0),
  };
}

/**
 * The first buffer of `layout` the device cannot make or bind, in a sentence; null when all fit.
 * The engine throws it before allocating; the memory guard refuses the run with it.
 */
export function gpuLimitProblem(
  layout: GpuLayout,
  limits: { readonly maxBufferSize: number; readonly maxStorageBufferBindingSize: number },
): string | null {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  for (const buffer of layout.buffers) {
    if (buffer.bytes > limits.maxBufferSize) {
      return `The GPU's ${buffer.name} buffer would need ${mb(buffer.bytes)}, more than this device's largest buffer (${mb(limits.maxBufferSize)}): use a smaller batch or narrower layers.`;
    }
    if (buffer.bound && buffer.bytes > limits.maxStorageBufferBindingSize) {
      return `The GPU's ${buffer.name} buffer would need ${mb(buffer.bytes)}, more than a shader may bind on this device (${mb(limits.maxStorageBufferBindingSize)}): use a smaller batch or narrower layers.`;
    }
  }
  return null;
}
