import { DEFAULT_CONFIG, MNIST_TRAIN_COUNT, validateConfig, type TrainingConfig } from '../core/config.ts';

/**
 * The bench workloads of `npm run bench`, as validated configs. Pure: the bench script (Node),
 * the bench page and the PyTorch reference (`bench/reference.py`, same table by hand) agree on
 * these shapes. W1/W2 train one epoch on all 60,000 training images (validation split 0, so no
 * validation pass muddies the timing); W3 is W1 at batch 1 for 2,000 steps; W1BN is W1 with batch
 * norm on both hidden layers (its rate is compared with W1's, not with PyTorch); WIDE is the wide
 * model of issue 16's GPU figures (784-1024-1024-10 at batch 512), benched only where a real GPU
 * adapter exists (and when asked for by name).
 */

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W1BN' | 'WIDE';
export const WORKLOAD_IDS: readonly WorkloadId[] = ['W1', 'W2', 'W3', 'W1BN', 'WIDE'];
/** The workloads a CPU backend benches by default (WIDE belongs to the GPU figures). */
export const CPU_WORKLOAD_IDS: readonly WorkloadId[] = ['W1', 'W2', 'W3', 'W1BN'];
/** The workloads `bench/reference.py` trains in PyTorch (it has no batch-norm workload). */
export const TORCH_WORKLOAD_IDS: readonly WorkloadId[] = ['W1', 'W2', 'W3'];

export interface Workload {
  readonly id: WorkloadId;
  /** Human label for tables, e.g. "784-128-64-10, Adam 1e-3, batch 128, 1 epoch". */
  readonly label: string;
  readonly hidden: readonly number[];
  /** Batch norm after every hidden layer (before its activation), as the config's `batchNorm`. */
  readonly batchNorm: boolean;
  readonly batchSize: number;
  /** Examples trained in one run (steps × batch size). */
  readonly examples: number;
}

export const WORKLOADS: Record<WorkloadId, Workload> = {
  W1: {
    id: 'W1',
    label: '784-128-64-10, Adam 1e-3, batch 128, 1 epoch of 60,000',
    hidden: [128, 64],
    batchNorm: false,
    batchSize: 128,
    examples: MNIST_TRAIN_COUNT,
  },
  W2: {
    id: 'W2',
    label: '784-250-100-10, Adam 1e-3, batch 64, 1 epoch of 60,000',
    hidden: [250, 100],
    batchNorm: false,
    batchSize: 64,
    examples: MNIST_TRAIN_COUNT,
  },
  W3: {
    id: 'W3',
    label: '784-128-64-10, Adam 1e-3, batch 1, 2,000 steps',
    hidden: [128, 64],
    batchNorm: false,
    batchSize: 1,
    examples: 2_000,
  },
  W1BN: {
    id: 'W1BN',
    label: 'W1 with batch norm on both hidden layers',
    hidden: [128, 64],
    batchNorm: true,
    batchSize: 128,
    examples: MNIST_TRAIN_COUNT,
  },
  WIDE: {
    id: 'WIDE',
    label: '784-1024-1024-10, Adam 1e-3, batch 512, 1 epoch of 60,000',
    hidden: [1024, 1024],
    batchNorm: false,
    batchSize: 512,
    examples: MNIST_TRAIN_COUNT,
  },
};

export function isWorkloadId(value: string): value is WorkloadId {
  return (WORKLOAD_IDS as readonly string[]).includes(value);
}

/** Fixed seed for every bench run, so runs differ only in timing. */
export const BENCH_SEED = 1234;

/**
 * The config of a workload; `examples` overrides how many examples it trains (a short warm-up).
 * Throws if the schema refuses it, so a schema change breaks the bench loudly.
 */
export function workloadConfig(id: WorkloadId, examples?: number): TrainingConfig {
  const workload = WORKLOADS[id];
  const count = Math.min(examples ?? workload.examples, workload.examples);
  const candidate: TrainingConfig = {
    ...DEFAULT_CONFIG,
    name: `bench ${id}`,
    seed: BENCH_SEED,
    model: {
      ...DEFAULT_CONFIG.model,
      hiddenLayers: workload.hidden.map((units) => ({
        units,
        activation: 'relu',
        dropout: 0,
        batchNorm: workload.batchNorm,
      })),
    },
    optimizer: { ...DEFAULT_CONFIG.optimizer, kind: 'adam', learningRate: 1e-3 },
    schedule: { ...DEFAULT_CONFIG.schedule, kind: 'constant' },
    training: { gradientDescent: 'miniBatch', batchSize: workload.batchSize, epochs: 1 },
    data: {
      ...DEFAULT_CONFIG.data,
      normalization: 'standardize',
      rotationDegrees: 0,
      cropPadding: 0,
      shiftPixels: 0,
      validationFraction: 0,
      splitMethod: 'first',
      trainingExamples: count === MNIST_TRAIN_COUNT ? null : count,
    },
  };
  const validation = validateConfig(candidate);
  if (!validation.ok) {
    throw new Error(`Bench config ${id} is invalid: ${JSON.stringify(validation.errors)}`);
  }
  return validation.config;
}

/** Milliseconds for a full 60,000-example epoch at the measured rate. */
export function msPerEpoch(examplesPerSecond: number): number {
  return (MNIST_TRAIN_COUNT / examplesPerSecond) * 1000;
}

/** Epochs of the end-to-end run ({@link endToEndConfig}). */
export const END_TO_END_EPOCHS = 5;

/**
 * W1 as a person runs it on the app page: {@link END_TO_END_EPOCHS} epochs on the default
 * training split (54,000 examples, 6,000 held out for validation after every epoch), so the
 * timed span holds start-up, validation, the per-epoch analysis and the test evaluation.
 */
export function endToEndConfig(): TrainingConfig {
  const w1 = workloadConfig('W1');
  const validation = validateConfig({
    ...w1,
    name: `bench W1, ${END_TO_END_EPOCHS} epochs end to end`,
    training: { ...w1.training, epochs: END_TO_END_EPOCHS },
    data: { ...w1.data, validationFraction: DEFAULT_CONFIG.data.validationFraction },
  });
  if (!validation.ok)
    throw new Error(`Bench end-to-end config is invalid: ${JSON.stringify(validation.errors)}`);
  return validation.config;
}
