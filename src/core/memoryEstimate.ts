import { augmentationEnabled } from './augment.ts';
import type { BackendName } from './backends.ts';
import {
  configParameterCount,
  effectiveBatchSize,
  effectiveTrainingExamples,
  MNIST_TEST_COUNT,
  MNIST_TRAIN_COUNT,
  validationCount,
  type OptimizerKind,
  type TrainingConfig,
} from './config.ts';
import { chooseEngine, ENGINE_NAMES, type EngineChoice, type EnginePath } from './engines.ts';
import { formatCount } from './format.ts';
import { fusedLayout } from './fusedLayout.ts';
import { gpuLimitFailure, type GpuLimitFailure, type GpuLimits } from './gpuBufferLimits.ts';
import { gpuLayout } from './gpuLayout.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from './idx.ts';

/**
 * How much memory a run needs before it allocates anything, so a config that cannot fit is
 * refused with a message instead of crashing the tab (or the worker, or the CLI) halfway through
 * an allocation. Pure: the form checks it before Train, and `runTraining` checks it again with the
 * backend and engine actually in use (so compare runs and the CLI are covered too).
 *
 * The model, in bytes (f32 = 4 bytes; N = training examples, V = validation examples, B = the
 * largest batch, P = trainable parameters, S = P plus batch-norm running statistics):
 * - **dataset**: the MNIST files as bytes in JS (60,000 + 10,000 images and labels), the
 *   validation and test splits resident as f32 tensors `[V or 10,000, 784 + 10]`, and the
 *   training images on the engine's side: TF.js ops keep the split as a `[N, 794]` f32 tensor
 *   (unless augmenting, which builds batches from the bytes); the fused kernel copies the
 *   whole training file's bytes into its memory (or a `[B, 784]` byte staging area).
 * - **the fused kernel's memory**: exactly its layout (`fusedLayout.ts`), region by region.
 * - **the fused WebGPU engine's buffers**: exactly its plan (`gpuLayout.ts`), buffer by buffer.
 * - **parameters**: the model's TF.js variables (S), plus the fused kernel's own padded copy.
 * - **gradients**: one per parameter (padded in the kernel).
 * - **optimizer state**: per parameter, SGD 0, momentum 1, Adam/AdamW 2, RMSprop 2 in TF.js
 *   (mean squares and moments; 1 in the kernel), Adagrad 1.
 * - **weight copies**: the best epoch's weights and the two divergence checkpoints (3 × S).
 * - **activations** of one batch, forward and backward: the fused kernel's buffers (z, a,
 *   dropout output and mask, dA, dZ per layer, widths padded to 8, plus the input); for TF.js
 *   ops an estimate of the tensors one step holds at its peak (about four `[B, units]` per
 *   layer, more with dropout, batch norm or an activation TF.js cannot fuse into the matrix
 *   product).
 * - **scratch**: the kernel's statics, transposed weight buffer, label and row buffers,
 *   alignment and 64 KiB page rounding.
 * Per-epoch analysis (2,000 test images) and evaluation (chunks of 2,000) are small next to these.
 *
 * On the `webgpu` backend, where the device's limits are known, no single buffer may pass them
 * either (`gpuBufferLimits.ts`): a total under the budget can still hold one buffer too big to
 * make or bind.
 */

/** Where the memory goes, as a person names it. */
export type MemoryTermKind =
  'activations' | 'parameters' | 'gradients' | 'optimizer state' | 'weight copies' | 'dataset' | 'scratch';

export interface MemoryTerm {
  readonly kind: MemoryTermKind;
  readonly bytes: number;
}

/** Which backend and engine a run uses (the engine as {@link chooseEngine} says). */
export interface MemoryTarget {
  readonly backend: BackendName | string;
  readonly engine: EnginePath;
  /**
   * The `webgpu` device's caps on one buffer, where known (the worker's device; on the page, the
   * last `backend-ready`'s); without them only the total is checked.
   */
  readonly gpuLimits?: GpuLimits | null;
}

export interface MemoryEstimate {
  readonly target: MemoryTarget;
  /** Largest batch a step uses. */
  readonly batch: number;
  readonly terms: readonly MemoryTerm[];
  readonly totalBytes: number;
  /** The fused kernel's WebAssembly memory alone (0 for the other engines). */
  readonly arenaBytes: number;
  /** The fused WebGPU engine's own GPU buffers alone (0 for the other engines). */
  readonly gpuBytes: number;
  readonly budgetBytes: number;
}

export type MemoryCheck =
  | { readonly ok: true; readonly estimate: MemoryEstimate }
  | {
      readonly ok: false;
      readonly estimate: MemoryEstimate;
      /** One paragraph: what is too big, by how much, its biggest term and what to change. */
      readonly message: string;
      /** The form field to change first; null when no field helps (another backend does). */
      readonly field: 'training.batchSize' | 'model.hiddenLayers' | 'data.trainingExamples' | null;
    };

const GB = 1e9;
/**
 * CPU backends (wasm, cpu): everything lives in the worker's memory; WebAssembly memory stops at
 * 4 GB (the fused kernel's and TF.js WASM's heaps alike) and a tab rarely gets much more than
 * that in all, so 1.5 GB leaves room for the page, the browser and a comparison's second run.
 */
export const CPU_BUDGET_BYTES = 1.5 * GB;
/** GPU backends (webgl, webgpu): tensors live in GPU memory, which browsers cap per tab and share with the screen. */
export const GPU_BUDGET_BYTES = 1 * GB;
const GPU_BACKENDS = new Set(['webgl', 'webgpu']);

export function memoryBudget(backend: string): number {
  return GPU_BACKENDS.has(backend) ? GPU_BUDGET_BYTES : CPU_BUDGET_BYTES;
}

/**
 * The engine a run will most likely use: {@link chooseEngine}'s path, assuming WebAssembly SIMD
 * (which every browser this app supports has).
 */
export function expectedEngine(config: TrainingConfig, choice: EngineChoice, backend: string): EnginePath {
  return chooseEngine(config, choice, backend).path;
}

/** Optimizer state per parameter in the TF.js optimizers (the fused kernel's is in its layout). */
function tfjsOptimizerSlots(kind: OptimizerKind): number {
  switch (kind) {
    case 'sgd':
      return 0;
    case 'momentum':
    case 'adagrad':
      return 1;
    case 'rmsprop':
    case 'adam':
    case 'adamw':
      return 2;
    default:
      return kind satisfies never;
  }
}

/** The fused kernel's memory by term: its layout's regions, summed by kind. */
function fusedArena(config: TrainingConfig, batch: number): { terms: MemoryTerm[]; bytes: number } {
  const layout = fusedLayout(config, batch);
  const byKind = new Map<MemoryTermKind, number>();
  for (const region of layout.regions) byKind.set(region.kind, (byKind.get(region.kind) ?? 0) + region.bytes);
  return { terms: [...byKind].map(([kind, bytes]) => ({ kind, bytes })), bytes: layout.memoryBytes };
}

/** The fused WebGPU engine's buffers by term: its plan's buffers, summed by kind. */
function gpuBuffers(config: TrainingConfig, batch: number): { terms: MemoryTerm[]; bytes: number } {
  const layout = gpuLayout(config, batch);
  return {
    terms: layout.buffers.map((b) => ({ kind: b.kind, bytes: b.totalBytes })),
    bytes: layout.totalBytes,
  };
}

/** Tensors one TF.js-ops step holds at its peak, forward and backward (an estimate). */
function tfjsActivations(config: TrainingConfig, batch: number): number {
  const fusable = new Set(['relu', 'linear', 'elu', 'leakyRelu', 'sigmoid']);
  let floats = batch * (MNIST_PIXELS + MNIST_CLASSES) * (config.model.inputDropout > 0 ? 3 : 1);
  for (const layer of config.model.hiddenLayers) {
    let perUnit = 4;
    if (layer.dropout > 0) perUnit += 2;
    if (layer.batchNorm) perUnit += 4;
    if (layer.batchNorm || !fusable.has(layer.activation)) perUnit += 1;
    floats += batch * layer.units * perUnit;
  }
  floats += batch * MNIST_CLASSES * 6; // logits, softmax, loss terms and their gradients
  return floats * 4;
}

/** The memory a run of `config` needs on `target`, by term; `batch` overrides the config's. */
export function estimateMemory(config: TrainingConfig, target: MemoryTarget, batch?: number): MemoryEstimate {
  const trainCount = effectiveTrainingExamples(config);
  const maxBatch = batch ?? Math.max(1, Math.min(effectiveBatchSize(config), trainCount));
  const validation = validationCount(config.data.validationFraction);
  const parameters = configParameterCount(config);
  const state =
    parameters + config.model.hiddenLayers.reduce((sum, l) => sum + (l.batchNorm ? 2 * l.units : 0), 0);
  const rowBytes = (MNIST_PIXELS + MNIST_CLASSES) * 4;
  const terms = new Map<MemoryTermKind, number>();
  const add = (kind: MemoryTermKind, bytes: number) => terms.set(kind, (terms.get(kind) ?? 0) + bytes);

  add('dataset', (MNIST_TRAIN_COUNT + MNIST_TEST_COUNT) * (MNIST_PIXELS + 1));
  add('dataset', (validation + MNIST_TEST_COUNT) * rowBytes);
  add('parameters', state * 4);
  add('weight copies', 3 * state * 4);
  let arenaBytes = 0;
  let gpuBytes = 0;
  switch (target.engine) {
    case 'fused': {
      const arena = fusedArena(config, maxBatch);
      arenaBytes = arena.bytes;
      for (const term of arena.terms) add(term.kind, term.bytes);
      break;
    }
    case 'webgpu': {
      const gpu = gpuBuffers(config, maxBatch);
      gpuBytes = gpu.bytes;
      for (const term of gpu.terms) add(term.kind, term.bytes);
      break;
    }
    case 'tfjs':
      if (!augmentationEnabled(config.data)) add('dataset', trainCount * rowBytes);
      add('gradients', parameters * 4);
      add('optimizer state', tfjsOptimizerSlots(config.optimizer.kind) * parameters * 4);
      add('activations', tfjsActivations(config, maxBatch));
      break;
    default:
      return target.engine satisfies never;
  }
  const list = [...terms]
    .map(([kind, bytes]) => ({ kind, bytes }))
    .filter((t) => t.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return {
    target,
    batch: maxBatch,
    terms: list,
    totalBytes: list.reduce((sum, t) => sum + t.bytes, 0),
    arenaBytes,
    gpuBytes,
    budgetBytes: memoryBudget(target.backend),
  };
}

/** 9.8e9 → "9.8 GB", 3.2e8 → "320 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(1)} GB`;
  return `${formatCount(bytes / 1e6)} MB`;
}

/** 784-4096×8-10, 784-128-64-10: equal neighbouring hidden widths are grouped. */
export function describeArchitecture(config: TrainingConfig): string {
  const parts: string[] = [];
  let previous = -1;
  let repeat = 0;
  const flush = () => {
    if (repeat > 0) parts.push(repeat > 1 ? `${previous}×${repeat}` : String(previous));
  };
  for (const layer of config.model.hiddenLayers) {
    if (layer.units === previous) {
      repeat += 1;
      continue;
    }
    flush();
    previous = layer.units;
    repeat = 1;
  }
  flush();
  return [String(MNIST_PIXELS), ...parts, String(MNIST_CLASSES)].join('-');
}

function describeBatch(config: TrainingConfig, batch: number): string {
  if (config.training.gradientDescent === 'fullBatch') return `full batch (${formatCount(batch)} examples)`;
  return `batch ${formatCount(batch)}`;
}

/** Largest power of two ≤ n (n ≥ 1). */
const powerOfTwoBelow = (n: number) => 2 ** Math.floor(Math.log2(n));

/**
 * Whether `config` fits the budget of `target`; if not, a message naming the total, its biggest
 * term and what to change: the largest batch that fits when the batch is what overflows, else
 * fewer or narrower layers (and SGD when the optimizer's state is a big part of it).
 */
export function checkMemory(config: TrainingConfig, target: MemoryTarget): MemoryCheck {
  const estimate = estimateMemory(config, target);
  const { totalBytes, budgetBytes, batch } = estimate;
  if (totalBytes <= budgetBytes) return checkGpuLimits(config, target, estimate) ?? { ok: true, estimate };
  const [biggest = { kind: 'activations', bytes: 0 }] = estimate.terms;
  const head =
    `${describeArchitecture(config)} at ${describeBatch(config, batch)} needs about ${formatBytes(totalBytes)} ` +
    `on the ${target.backend} backend with ${ENGINE_NAMES[target.engine]}, ` +
    `${formatBytes(biggest.bytes)} of it for ${biggest.kind}; the budget there is ${formatBytes(budgetBytes)}.`;
  const atOne = estimateMemory(config, target, 1).totalBytes;
  if (batch > 1 && atOne <= budgetBytes) {
    const perExample = (totalBytes - atOne) / (batch - 1);
    let fits = powerOfTwoBelow(Math.max(1, Math.floor((budgetBytes - atOne) / perExample) + 1));
    while (fits > 1 && estimateMemory(config, target, fits).totalBytes > budgetBytes) fits /= 2;
    return {
      ok: false,
      estimate,
      field: 'training.batchSize',
      message: `${head} Use a batch of ${formatCount(fits)} or fewer examples, or fewer or narrower layers.`,
    };
  }
  const withSgd = { ...config, optimizer: { ...config.optimizer, kind: 'sgd' as const } };
  const sgdFits =
    config.optimizer.kind !== 'sgd' && estimateMemory(withSgd, target, 1).totalBytes <= budgetBytes;
  const sgd = sgdFits ? ', or SGD, which keeps no optimizer state' : '';
  return {
    ok: false,
    estimate,
    field: 'model.hiddenLayers',
    message:
      `${head} Even one example at a time would need ${formatBytes(atOne)}: ` +
      `the ${formatCount(configParameterCount(config))} parameters are too many. Use fewer or narrower layers${sgd}.`,
  };
}

/**
 * The refusal of a run one of whose buffers the `webgpu` device cannot make or bind (its limits
 * known in `target`), naming the buffer, the limit and what to change; null when all fit.
 */
function checkGpuLimits(
  config: TrainingConfig,
  target: MemoryTarget,
  estimate: MemoryEstimate,
): MemoryCheck | null {
  const limits = target.gpuLimits ?? null;
  if (target.backend !== 'webgpu' || limits === null) return null;
  const failure = gpuLimitFailure(config, target.engine, estimate.batch, limits);
  if (failure === null) return null;
  const { need, limit, limitBytes, fix } = failure;
  const cap =
    limit === 'maxBufferSize'
      ? 'the largest buffer this GPU can make'
      : 'the largest buffer a shader may bind on this GPU';
  const head =
    `${describeArchitecture(config)} at ${describeBatch(config, estimate.batch)} needs ${need.what} of ` +
    `${formatBytes(need.bytes)} on the webgpu backend with ${ENGINE_NAMES[target.engine]}, more than ${cap} ` +
    `(${limit}: ${formatBytes(limitBytes)}).`;
  return { ok: false, estimate, field: fix.field, message: `${head} ${gpuLimitFix(fix)}` };
}

/** What to change so every buffer fits, in a sentence. */
function gpuLimitFix(fix: GpuLimitFailure['fix']): string {
  switch (fix.field) {
    case 'training.batchSize':
      return `Use a batch of ${formatCount(fix.batch)} or fewer examples, or fewer or narrower layers.`;
    case 'data.trainingExamples':
      return (
        `Train on a subset of ${formatCount(fix.examples)} or fewer examples, ` +
        'or pick the fused WebGPU engine, which keeps the images as bytes.'
      );
    case 'model.hiddenLayers':
      return 'Use fewer or narrower layers.';
    case null:
      return 'Pick the WASM backend, which has no such limit.';
    default:
      return fix satisfies never;
  }
}
