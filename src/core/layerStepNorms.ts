/**
 * Per-step layer health, measured by the training engines as a by-product of a step: for each
 * dense layer's kernel, the L2 norm of the gradient the optimizer used and the size of that
 * step's update relative to the weights. Only sampled steps are measured (the first step after
 * each batch report, ~10 a second), so the cost stays negligible. Pure: no DOM, no TF.js.
 */

/**
 * The sampled steps of one batch report, in step order. With `m` samples and `L` dense layers
 * (hidden layers then the output layer), the value arrays are `[m·L]`, row-major: sample `i`,
 * layer `l` at `i·L + l`.
 */
export interface LayerStepNorms {
  /** Dense layers per sample (L). */
  readonly layers: number;
  /** `[m]` global step (1-based) of each sample. */
  readonly steps: Uint32Array;
  /**
   * `[m·L]` ‖∂J/∂W_l‖₂ of the step's mini-batch gradient of its kernel: J is the batch-mean data
   * loss **plus** the L1/L2 penalty (the gradient the optimizer was given; AdamW's decoupled decay
   * is not part of it).
   */
  readonly gradientNorms: Float32Array;
  /**
   * `[m·L]` ‖W_after − W_before‖₂ / ‖W_before‖₂ of the step's kernel update (all of it: optimizer
   * step and AdamW decay); NaN where the weights were all zero.
   */
  readonly updateRatios: Float32Array;
}

/** One layer's value at one sampled step (a point of the per-step charts; `y` is the value). */
export interface StepValuePoint {
  readonly step: number;
  readonly value: number;
}

/**
 * Per layer (by position), the per-step series of both measures, oldest first. Points are real
 * samples, evenly thinned: every `stride`-th sample is kept, and when a layer's series reaches
 * {@link MAX_STEP_POINTS} every other point is dropped and `stride` doubles, so memory stays
 * bounded however long the run (a batch-1 run of 20,000 steps keeps at most that many per layer).
 */
export interface LayerStepSeries {
  /** Samples folded so far (kept or not). */
  readonly seen: number;
  /** Keep one sample in `stride` (a power of two). */
  readonly stride: number;
  readonly gradientNorms: readonly (readonly StepValuePoint[])[];
  readonly updateRatios: readonly (readonly StepValuePoint[])[];
}

/** The most points a layer's series keeps (see {@link LayerStepSeries}). */
export const MAX_STEP_POINTS = 400;

export const NO_LAYER_STEPS: LayerStepSeries = { seen: 0, stride: 1, gradientNorms: [], updateRatios: [] };

/**
 * ‖after − before‖₂ / ‖before‖₂ over `count` values from `afterStart` in `after` and
 * `beforeStart` in `before`; NaN when `before` is all zeros.
 */
export function relativeChange(
  before: Float32Array,
  beforeStart: number,
  after: Float32Array,
  afterStart: number,
  count: number,
): number {
  let change = 0;
  let size = 0;
  for (let i = 0; i < count; i++) {
    const b = before[beforeStart + i] ?? 0;
    const d = (after[afterStart + i] ?? 0) - b;
    change += d * d;
    size += b * b;
  }
  return size > 0 ? Math.sqrt(change / size) : Number.NaN;
}

/**
 * The per-step series after one report's samples: sample `i` of `norms` is kept when the count
 * of samples seen before it is a multiple of the stride; values that are not positive and finite
 * (a log axis cannot show them) are skipped.
 */
export function foldLayerStepNorms(series: LayerStepSeries, norms: LayerStepNorms): LayerStepSeries {
  const L = norms.layers;
  if (norms.steps.length === 0 || L === 0) return series;
  const grads = Array.from({ length: L }, (_, l) => [...(series.gradientNorms[l] ?? [])]);
  const ratios = Array.from({ length: L }, (_, l) => [...(series.updateRatios[l] ?? [])]);
  let { seen, stride } = series;
  norms.steps.forEach((step, i) => {
    const kept = seen % stride === 0;
    seen += 1;
    if (!kept) return;
    for (let l = 0; l < L; l++) {
      push(grads[l], step, norms.gradientNorms[i * L + l]);
      push(ratios[l], step, norms.updateRatios[i * L + l]);
    }
    if ([...grads, ...ratios].some((points) => points.length >= MAX_STEP_POINTS)) {
      stride *= 2;
      for (const points of [...grads, ...ratios]) thinInPlace(points);
    }
  });
  return { seen, stride, gradientNorms: grads, updateRatios: ratios };
}

function push(points: StepValuePoint[] | undefined, step: number, value: number | undefined): void {
  if (points !== undefined && value !== undefined && value > 0 && Number.isFinite(value))
    points.push({ step, value });
}

/** Drops every other point (the second of each pair), oldest kept. */
function thinInPlace(points: StepValuePoint[]): void {
  const kept = points.filter((_, i) => i % 2 === 0);
  points.length = 0;
  points.push(...kept);
}

/**
 * Gathers per-sample `[2L]` vectors (L gradient norms, then L update ratios, as the engines
 * return them) taken at `steps` into one report's {@link LayerStepNorms}.
 */
export function collectLayerStepNorms(
  steps: readonly number[],
  samples: readonly Float32Array[],
): LayerStepNorms {
  const layers = (samples[0]?.length ?? 0) / 2;
  const gradientNorms = new Float32Array(samples.length * layers);
  const updateRatios = new Float32Array(samples.length * layers);
  samples.forEach((sample, i) => {
    gradientNorms.set(sample.subarray(0, layers), i * layers);
    updateRatios.set(sample.subarray(layers, 2 * layers), i * layers);
  });
  return { layers, steps: Uint32Array.from(steps), gradientNorms, updateRatios };
}
