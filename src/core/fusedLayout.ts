import { augmentationEnabled } from './augment.ts';
import {
  layerSizes,
  MNIST_TRAIN_COUNT,
  type Activation,
  type OptimizerKind,
  type TrainingConfig,
} from './config.ts';
import { MNIST_PIXELS } from './idx.ts';
import { KERNEL_HEAP_BASE } from './kernelBindings.ts';
import type { MemoryTermKind } from './memoryEstimate.ts';

/**
 * Where every buffer of the fused kernel lives in its WebAssembly memory: the one layout that
 * the engine (`src/ml/fused/fusedEngine.ts`) allocates from and the memory estimate
 * (`memoryEstimate.ts`) sums, so the estimate is the engine's real memory to the byte. Pure: it
 * depends only on the config, the largest batch and the kernel's heap base (from the kernel build).
 *
 * Regions are laid out in order from the heap base, each 64-byte aligned (SIMD loads never split
 * a cache line at the start of a row block); the engine asks for all of them up front, then the
 * memory grows once, so typed-array views stay valid for the whole run. Layer l's kernel is
 * `[inPad, outPad]` and bias `[outPad]` (widths padded to 8 with zeros that stay zero), followed
 * with batch norm by its γ and β `[outPad]`; all parameters sit in one flat region, so the
 * optimizer (and the threads' ranges of it) covers every trainable value the TF.js path trains.
 */

/** WebAssembly memory grows in pages of 64 KiB. */
export const WASM_PAGE_BYTES = 65536;
/** Every region starts on a 64-byte boundary. */
const REGION_ALIGN = 64;
/** Bytes of the thread pool's control block (see `src/ml/fused/threadControl.ts`). */
export const THREAD_CONTROL_BYTES = 128;

/** Widths padded to a multiple of 8 floats: the kernel's SIMD tiles need no column edge cases. */
export function paddedWidth(width: number): number {
  return Math.ceil(width / 8) * 8;
}

const aligned = (offset: number) => Math.ceil(offset / REGION_ALIGN) * REGION_ALIGN;

/** One span of the kernel memory; the regions of a layout tile it from 0 to its end. */
export interface FusedRegion {
  /** What it holds, in words (`layer 2 dropout mask`). */
  readonly name: string;
  /** The memory-estimate term it counts towards. */
  readonly kind: MemoryTermKind;
  /** Byte offset into the kernel memory. */
  readonly offset: number;
  /** Bytes it spans: what it holds, rounded up to the next region's 64-byte boundary. */
  readonly bytes: number;
}

/**
 * A hidden layer's batch norm (between its dense product and its activation; see
 * `kernels/batchNorm.ts`). Byte offsets of `[outPad]` f32 vectors unless said otherwise.
 */
export interface FusedBatchNormLayout {
  /** γ and β, in the parameter region right after the layer's bias; and their gradients. */
  readonly gamma: number;
  readonly beta: number;
  readonly gradGamma: number;
  readonly gradBeta: number;
  /** Running mean and (unbiased) variance: inference mode's statistics, synced into the model. */
  readonly runningMean: number;
  readonly runningVar: number;
  /** The last training batch's mean, and 1/√(σ² + ε) (saved for the backward pass), per column. */
  readonly mean: number;
  readonly invStd: number;
  /** `[B, outPad]` y = γ·x̂ + β: the activation's input. */
  readonly output: number;
}

/** One dense layer (hidden or output) of the kernel's network. */
export interface FusedLayerLayout {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly inPad: number;
  readonly outPad: number;
  /** `linear` for the output layer (its logits). */
  readonly activation: Activation;
  /** Inverted-dropout rate after the activation (0 for the output layer). */
  readonly dropout: number;
  /** Byte offsets of the kernel `[inPad, outPad]` and bias `[outPad]`, and of their gradients. */
  readonly w: number;
  readonly b: number;
  readonly gw: number;
  readonly gb: number;
  /**
   * Byte offsets of `[B, outPad]` f32 buffers: the dense output z = h·W + b (with batch norm,
   * overwritten by x̂ once the batch statistics are taken), activation a (the activation's input
   * itself when linear: z, or batch norm's output), output h after dropout (a itself without
   * dropout), the dropout mask (null without), and the gradients w.r.t. h and z (with batch norm,
   * dh is overwritten by the gradient w.r.t. batch norm's output).
   */
  readonly z: number;
  readonly a: number;
  readonly h: number;
  readonly mask: number | null;
  readonly dh: number;
  readonly dz: number;
  /**
   * Byte offset of the kernel transposed, `[outPad, inPad]`, for the backward pass `dz·Wᵀ`; null
   * for the first layer (no gradient flows into the input). Rewritten from the kernel after every
   * update, by the thread that updated those rows.
   */
  readonly wt: number | null;
  /** The layer's batch norm; null without (and for the output layer). */
  readonly batchNorm: FusedBatchNormLayout | null;
}

/** Buffers of the first layer on the input's nonzero pixels (byte offsets). */
export interface SparseInputLayout {
  readonly indices: number;
  readonly values: number;
  readonly counts: number;
  readonly base: number;
}

/** Batches up to this many rows list their nonzero pixels (8 bytes per pixel per row: 6.4 MB at 1,024). */
export const SPARSE_INPUT_MAX_ROWS = 1024;

/** The fused kernel's memory for one run: byte offsets of every buffer, and the regions they tile. */
export interface FusedLayout {
  /** The largest batch the buffers hold (rows B). */
  readonly batch: number;
  /** f32 parameters, padded: Σ inPad·outPad + outPad over the layers, + 2·outPad with batch norm. */
  readonly paramFloats: number;
  /** Byte offsets of the `[paramFloats]` parameters, their gradients and the optimizer's state. */
  readonly params: number;
  readonly grads: number;
  /** Momentum, RMSprop's mean square or Adam's first moment (null for SGD and Adagrad). */
  readonly state1: number | null;
  /** Adagrad's accumulator or Adam's second moment (null otherwise). */
  readonly state2: number | null;
  readonly layers: readonly FusedLayerLayout[];
  /** `[B, 784]` normalised inputs, and their dropout mask (null without input dropout). */
  readonly input: number;
  readonly inputMask: number | null;
  /**
   * The first layer on the input's nonzero pixels (`kernels/sparseInput.ts`): per batch row the
   * `[784]` i32 pixel indices and f32 byte values of its nonzero pixels and `[B]` i32 counts, and
   * the first layer's `[outPad]` forward base offset·Σ_p W[p, :]. Null with input dropout (a
   * dropped pixel is not blank after normalisation), batches over {@link SPARSE_INPUT_MAX_ROWS},
   * or batch norm on the first layer: it divides z's deviations from the batch mean by their
   * spread, which magnifies the rounding of the split sum (base + scale·Σ) past the 1e-4 the
   * engines must agree within; the dense product keeps it there.
   */
  readonly sparseInput: SparseInputLayout | null;
  /** `[B]` i32 labels and training-file row indices of the batch. */
  readonly labels: number;
  readonly rows: number;
  /** `[B]` f64 per-row losses and `[B]` i32 per-row hits, summed in row order after the rows pass. */
  readonly rowLosses: number;
  readonly rowHits: number;
  /** The dropout stream's four u32 state words while the kernel draws the masks (`dropoutMask`). */
  readonly rngState: number;
  /** The thread pool's control block (`THREAD_CONTROL_BYTES`: generation, command, counters, step arguments). */
  readonly control: number;
  /** uint8 images: the whole training file (resident), or the augmented batch `[B, 784]` (staging). */
  readonly pixels: number;
  /** Every region in address order, from the kernel's statics at 0 to the page rounding at the end. */
  readonly regions: readonly FusedRegion[];
  /** The memory the kernel needs: whole 64 KiB pages, at least one. */
  readonly memoryBytes: number;
}

/** Which optimizer-state buffers the kernel's update for `kind` reads: `[state1, state2]`. */
export function stateBuffers(kind: OptimizerKind): readonly [boolean, boolean] {
  switch (kind) {
    case 'sgd':
      return [false, false];
    case 'momentum':
    case 'rmsprop':
      return [true, false];
    case 'adagrad':
      return [false, true];
    case 'adam':
    case 'adamw':
      return [true, true];
    default:
      return kind satisfies never;
  }
}

/**
 * The layout of a fused-kernel run of `config` at up to `batch` rows. `residentImages`: how many
 * images the resident training file holds (the full MNIST file unless a test passes fewer);
 * unused when augmenting, which stages only the batch. `heapBase`: where the kernel's statics end.
 */
export function fusedLayout(
  config: TrainingConfig,
  batch: number,
  residentImages: number = MNIST_TRAIN_COUNT,
  heapBase: number = KERNEL_HEAP_BASE,
): FusedLayout {
  const regions: FusedRegion[] = [];
  let next = aligned(heapBase);
  regions.push({ name: 'kernel statics', kind: 'scratch', offset: 0, bytes: next });
  const reserve = (name: string, kind: MemoryTermKind, bytes: number): number => {
    const offset = next;
    next = aligned(offset + bytes);
    regions.push({ name, kind, offset, bytes: next - offset });
    return offset;
  };

  const sizes = layerSizes(config);
  const hidden = config.model.hiddenLayers;
  const shapes = sizes.slice(1).map((fanOut, i) => {
    const fanIn = sizes[i] ?? 0;
    const layer = hidden[i];
    return {
      fanIn,
      fanOut,
      inPad: paddedWidth(fanIn),
      outPad: paddedWidth(fanOut),
      activation: layer?.activation ?? 'linear',
      dropout: layer?.dropout ?? 0,
      normalised: layer?.batchNorm ?? false,
    };
  });
  const layerParams = (s: { inPad: number; outPad: number; normalised: boolean }) =>
    s.inPad * s.outPad + s.outPad * (s.normalised ? 3 : 1);
  const paramFloats = shapes.reduce((sum, s) => sum + layerParams(s), 0);
  const params = reserve('parameters', 'parameters', paramFloats * 4);
  const grads = reserve('gradients', 'gradients', paramFloats * 4);
  const [hasState1, hasState2] = stateBuffers(config.optimizer.kind);
  const state1 = hasState1 ? reserve('optimizer state 1', 'optimizer state', paramFloats * 4) : null;
  const state2 = hasState2 ? reserve('optimizer state 2', 'optimizer state', paramFloats * 4) : null;

  let paramOffset = 0;
  const layers = shapes.map(({ normalised, ...s }, i): FusedLayerLayout => {
    const w = paramOffset * 4;
    const b = w + s.inPad * s.outPad * 4;
    paramOffset += layerParams({ ...s, normalised });
    const rows = (what: string) => reserve(`layer ${i + 1} ${what}`, 'activations', batch * s.outPad * 4);
    const vector = (what: string, kind: MemoryTermKind) =>
      reserve(`layer ${i + 1} batch-norm ${what}`, kind, s.outPad * 4);
    const z = rows(normalised ? 'dense output' : 'pre-activation');
    const batchNorm: FusedBatchNormLayout | null = normalised
      ? {
          gamma: params + b + s.outPad * 4,
          beta: params + b + s.outPad * 8,
          gradGamma: grads + b + s.outPad * 4,
          gradBeta: grads + b + s.outPad * 8,
          runningMean: vector('running mean', 'parameters'),
          runningVar: vector('running variance', 'parameters'),
          mean: vector('batch mean', 'scratch'),
          invStd: vector('inverse standard deviation', 'scratch'),
          output: rows('batch-norm output'),
        }
      : null;
    const activationInput = batchNorm?.output ?? z;
    const a = s.activation === 'linear' ? activationInput : rows('activation');
    const mask = s.dropout > 0 ? rows('dropout mask') : null;
    const h = s.dropout > 0 ? rows('dropout output') : a;
    const dh = rows('output gradient');
    const dz = rows('pre-activation gradient');
    const wt =
      i === 0 ? null : reserve(`layer ${i + 1} transposed kernel`, 'scratch', s.inPad * s.outPad * 4);
    return {
      ...s,
      w: params + w,
      b: params + b,
      gw: grads + w,
      gb: grads + b,
      z,
      a,
      h,
      mask,
      dh,
      dz,
      wt,
      batchNorm,
    };
  });

  const input = reserve('input', 'activations', batch * MNIST_PIXELS * 4);
  const inputMask =
    config.model.inputDropout > 0
      ? reserve('input dropout mask', 'activations', batch * MNIST_PIXELS * 4)
      : null;
  const firstWidth = layers[0]?.outPad ?? 0;
  const sparseInput =
    config.model.inputDropout === 0 &&
    !config.model.hiddenLayers[0]?.batchNorm &&
    batch <= SPARSE_INPUT_MAX_ROWS
      ? {
          indices: reserve('nonzero input indices', 'activations', batch * MNIST_PIXELS * 4),
          values: reserve('nonzero input values', 'activations', batch * MNIST_PIXELS * 4),
          counts: reserve('nonzero input counts', 'scratch', batch * 4),
          base: reserve('first layer forward base', 'scratch', firstWidth * 4),
        }
      : null;
  const labels = reserve('labels', 'scratch', batch * 4);
  const rows = reserve('row indices', 'scratch', batch * 4);
  const rowLosses = reserve('row losses', 'scratch', batch * 8);
  const rowHits = reserve('row hits', 'scratch', batch * 4);
  const control = reserve('thread control', 'scratch', THREAD_CONTROL_BYTES);
  const rngState = reserve('dropout stream state', 'scratch', 16);
  const pixels = augmentationEnabled(config.data)
    ? reserve('augmented batch bytes', 'activations', batch * MNIST_PIXELS)
    : reserve('training images', 'dataset', residentImages * MNIST_PIXELS);

  const memoryBytes = Math.max(WASM_PAGE_BYTES, Math.ceil(next / WASM_PAGE_BYTES) * WASM_PAGE_BYTES);
  regions.push({ name: 'page rounding', kind: 'scratch', offset: next, bytes: memoryBytes - next });
  return {
    batch,
    paramFloats,
    params,
    grads,
    state1,
    state2,
    layers,
    input,
    inputMask,
    sparseInput,
    labels,
    rows,
    rowLosses,
    rowHits,
    control,
    rngState,
    pixels,
    regions,
    memoryBytes,
  };
}
