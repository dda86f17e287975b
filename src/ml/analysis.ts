import * as tf from '@tensorflow/tfjs-core';
import type { EpochAnalysis, PcaLayerView } from '../core/analysisTypes.ts';
import type { Activation } from '../core/config.ts';
import { confusionMatrix } from '../core/confusion.ts';
import { MNIST_CLASSES } from '../core/idx.ts';
import { mostConfidentWrong } from '../core/misclassified.ts';
import { pca2, type Pca2 } from '../core/pca.ts';
import { firstPerClass } from '../core/sampling.ts';
import { allIndices, type TensorSplit } from './dataset.ts';
import { measureLayerHealth, spreadRows } from './layerHealthProbe.ts';
import { forward, type Mlp } from './mlp.ts';

/**
 * The error analysis of one epoch's weights over the test split: predictions, confusion matrix,
 * the most confidently wrong images, a PCA of every layer over a fixed class-balanced set of
 * rows, and the first layer's weights as images. Runs between epochs, on the model the engine
 * has just synced, in inference mode (no dropout, batch-norm running statistics).
 */

/** PCA rows per digit: 10 × 200 = 2,000 rows, enough for a readable scatter and a fast PCA. */
export const PCA_ROWS_PER_CLASS = 200;
/** Size of the "most confidently wrong" gallery. */
export const MISCLASSIFIED_SHOWN = 24;
/** First-layer units whose incoming weights are sent as 28×28 images. */
export const WEIGHT_UNITS_SHOWN = 64;

/** What one run's analyses carry from epoch to epoch; the training loop owns one per run. */
export interface AnalysisState {
  /** The fixed PCA rows of the test split, in file order (chosen on first use). */
  rows: Int32Array | null;
  /** The input-pixel PCA: the inputs never change during a run, so it is computed once. */
  input: PcaLayerView | null;
  /** Last epoch's components of each layer after the input (hidden…, logits), to keep signs stable. */
  readonly previous: (Pca2['components'] | null)[];
  /** Each dense kernel at the last analysed epoch, for the update-to-weight ratio. */
  readonly previousKernels: Float32Array[];
}

export function createAnalysisState(): AnalysisState {
  return { rows: null, input: null, previous: [], previousKernels: [] };
}

export interface AnalysisInputs {
  /** The epoch (1-based) whose weights these are. */
  readonly epoch: number;
  readonly model: Mlp;
  /** The test split resident on the backend, `xs [N, 784]` normalised as for training. */
  readonly test: TensorSplit;
  /** `[N]` the test split's labels, 0–9. */
  readonly labels: ArrayLike<number>;
  readonly state: AnalysisState;
  /** Clock in ms (`performance.now` in the worker), for the timings. */
  readonly now: () => number;
  /** Rows per forward pass, bounding memory (default 2,000). */
  readonly chunkSize?: number;
  /**
   * Measure the Layers view's layer health (default true). False leaves `layerHealth` empty: the
   * bench's other half, timing what layer health costs training.
   */
  readonly layerHealth?: boolean;
}

const ACTIVATION_WORDS: Record<Activation, string> = {
  relu: 'ReLU',
  leakyRelu: 'leaky ReLU',
  elu: 'ELU',
  gelu: 'GELU',
  selu: 'SELU',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  linear: 'linear',
};

/** "Hidden 1 (128 ReLU)": 1-based position, units and activation, for the PCA view's titles. */
export function hiddenLayerName(index: number, units: number, activation: Activation): string {
  return `Hidden ${index + 1} (${units} ${ACTIVATION_WORDS[activation]})`;
}

/** Reads `tensors` back together and disposes them, even when a read fails. */
async function readAndDispose(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return (await Promise.all(tensors.map((t) => t.data<'float32'>()))) as Float32Array[];
  } finally {
    tf.dispose([...tensors]);
  }
}

/** First position in the ascending `sorted` whose value is ≥ `value`. */
function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface ForwardReadBack {
  /** `[N, 10]` softmax probabilities of the whole split. */
  readonly probabilities: Float32Array;
  /** For the PCA rows: `[rows, 784]` inputs (only when asked), each hidden layer's output, logits. */
  readonly layers: Float32Array[];
}

/**
 * One inference pass over the split in chunks of `chunkSize`: the probabilities of every row,
 * and every layer's values at `rows` (ascending), gathered chunk by chunk so the PCA rows need no
 * second forward pass. Everything comes back in one read.
 */
async function forwardPass(
  model: Mlp,
  split: TensorSplit,
  rows: Int32Array,
  withInputs: boolean,
  chunkSize: number,
): Promise<ForwardReadBack> {
  const layerCount = (withInputs ? 1 : 0) + model.hidden.length + 1;
  const probabilities: tf.Tensor[] = [];
  const picked: tf.Tensor[][] = Array.from({ length: layerCount }, () => []);
  let merged: tf.Tensor[];
  try {
    for (let start = 0; start < split.count; start += chunkSize) {
      const size = Math.min(chunkSize, split.count - start);
      const local = rows
        .subarray(lowerBound(rows, start), lowerBound(rows, start + size))
        .map((r) => r - start);
      const [probs, ...values] = tf.tidy(() => {
        const x = tf.slice(split.xs, [start, 0], [size, -1]);
        const { hidden, logits } = forward(model, x, null);
        const at = tf.tensor1d(local, 'int32');
        const layers = local.length > 0 ? [...(withInputs ? [x] : []), ...hidden, logits] : [];
        return [tf.softmax(logits), ...layers.map((t) => tf.gather(t, at))];
      });
      probabilities.push(probs as tf.Tensor);
      values.forEach((t, k) => picked[k]?.push(t));
    }
    merged = tf.tidy(() =>
      [probabilities, ...picked].map((parts) => (parts.length > 0 ? tf.concat(parts) : tf.zeros([0]))),
    );
  } finally {
    tf.dispose([...probabilities, ...picked.flat()]);
  }
  const [all = new Float32Array(0), ...layers] = await readAndDispose(merged);
  return { probabilities: all, layers };
}

/**
 * The 2-D PCA of `values [rows, cols]` as a view, or null components when there is nothing to
 * analyse (under 2 rows). A single column is padded with a constant one, so it still gets a view.
 */
function layerPca(
  name: string,
  values: Float32Array,
  rows: number,
  cols: number,
  previous: Pca2['components'] | null,
): { view: PcaLayerView; components: Pca2['components'] | null } {
  if (rows < 2 || cols < 1) {
    return { view: { name, projection: new Float32Array(rows * 2), explained: [0, 0] }, components: null };
  }
  let data: Float32Array = values;
  let width = cols;
  if (cols === 1) {
    data = new Float32Array(rows * 2);
    values.forEach((v, r) => (data[2 * r] = v));
    width = 2;
  }
  const result = pca2(data, rows, width, previous);
  return {
    view: { name, projection: result.projection, explained: result.explained },
    components: result.components,
  };
}

/** Predicted class (first of ties) and its probability for each row of `probabilities [N, classes]`. */
export function argMaxRows(
  probabilities: Float32Array,
  classes = MNIST_CLASSES,
): { predicted: Uint8Array; confidence: Float32Array } {
  const rows = Math.floor(probabilities.length / classes);
  const predicted = new Uint8Array(rows);
  const confidence = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const offset = r * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if ((probabilities[offset + c] ?? 0) > (probabilities[offset + best] ?? 0)) best = c;
    }
    predicted[r] = best;
    confidence[r] = probabilities[offset + best] ?? 0;
  }
  return { predicted, confidence };
}

/**
 * Everything the error-analysis views need for the model's current weights. Reads back
 * `[N, 10]` probabilities, the PCA rows' activations of every layer and up to 64 × 784 weights;
 * leaves no tensors behind. The returned typed arrays are fresh (safe to transfer), including
 * the input-pixel projection copied from `state`.
 */
export async function analyseEpoch(inputs: AnalysisInputs): Promise<EpochAnalysis> {
  const { epoch, model, test, labels, state, now } = inputs;
  const chunkSize = inputs.chunkSize ?? 2000;
  if (labels.length !== test.count) {
    throw new Error(`analyseEpoch: ${labels.length} labels for ${test.count} test images`);
  }
  state.rows ??= firstPerClass(labels, PCA_ROWS_PER_CLASS).sort();
  const rows = state.rows;

  // Forward: probabilities of the whole split and every layer's activations on the PCA rows.
  let start = now();
  const withInputs = state.input === null;
  const { probabilities, layers: activations } = await forwardPass(model, test, rows, withInputs, chunkSize);
  const inputPixels = withInputs ? activations.shift() : undefined;
  const { predicted, confidence } = argMaxRows(probabilities);
  const forwardMs = now() - start;

  start = now();
  const confusion = confusionMatrix(labels, predicted).counts;
  const confusionMs = now() - start;

  start = now();
  const misclassified = mostConfidentWrong(probabilities, labels, MISCLASSIFIED_SHOWN);
  const misclassifiedMs = now() - start;

  start = now();
  if (state.input === null && inputPixels !== undefined) {
    const cols = test.xs.shape[1];
    state.input = layerPca('Input pixels', inputPixels, rows.length, cols, null).view;
  }
  const names = [...hiddenLayerNames(model), 'Logits'];
  const layers: PcaLayerView[] = [];
  if (state.input !== null) layers.push({ ...state.input, projection: state.input.projection.slice() });
  activations.forEach((values, i) => {
    const cols = rows.length > 0 ? values.length / rows.length : 0;
    const { view, components } = layerPca(
      names[i] ?? `Layer ${i + 1}`,
      values,
      rows.length,
      cols,
      state.previous[i] ?? null,
    );
    state.previous[i] = components;
    layers.push(view);
  });
  const pcaMs = now() - start;

  start = now();
  const weights = await firstLayerWeights(model);
  const weightsMs = now() - start;

  start = now();
  const measured = rows.length > 0 && inputs.layerHealth !== false;
  const layerHealth = measured ? await probeLayerHealth(model, test, rows, labels, activations, state) : [];
  const layerHealthMs = now() - start;

  return {
    epoch,
    predicted,
    confidence,
    confusion,
    misclassified,
    pca: { rows: rows.slice(), layers },
    layerHealth,
    weights,
    timings: {
      forward: forwardMs,
      confusion: confusionMs,
      misclassified: misclassifiedMs,
      pca: pcaMs,
      weights: weightsMs,
      layerHealth: layerHealthMs,
    },
  };
}

/** The first hidden layer's incoming weights of its first (up to) 64 units, `[units, 784]`. */
async function firstLayerWeights(model: Mlp): Promise<EpochAnalysis['weights']> {
  const first = model.hidden[0];
  if (first === undefined) return null;
  const units = Math.min(WEIGHT_UNITS_SHOWN, first.dense.kernel.shape[1]);
  const transposed = tf.tidy(() => tf.transpose(tf.slice(first.dense.kernel, [0, 0], [-1, units])));
  const [values] = await readAndDispose([transposed]);
  return { units, values: values ?? new Float32Array(0) };
}

function hiddenLayerNames(model: Mlp): string[] {
  return model.hidden.map((layer, i) => hiddenLayerName(i, layer.dense.kernel.shape[1], layer.activation));
}

/** The Layers view's measurements on the probe batch: the PCA rows, whose activations are read already. */
async function probeLayerHealth(
  model: Mlp,
  test: TensorSplit,
  rows: Int32Array,
  labels: ArrayLike<number>,
  activations: readonly Float32Array[],
  state: AnalysisState,
): Promise<EpochAnalysis['layerHealth']> {
  // Only the rows the gradients are taken on leave the test split: the activations of all the
  // probe rows are read already.
  const gradientSource = Int32Array.from(spreadRows(rows.length), (i) => rows[i] ?? 0);
  const probe = tf.tidy(() => tf.gather(test.xs, tf.tensor1d(gradientSource, 'int32')));
  try {
    return await measureLayerHealth({
      model,
      probe,
      probeLabels: gradientSource.map((r) => labels[r] ?? 0),
      gradientRows: allIndices(gradientSource.length),
      activations,
      names: [...hiddenLayerNames(model), 'Output'],
      previousKernels: state.previousKernels,
    });
  } finally {
    probe.dispose();
  }
}
