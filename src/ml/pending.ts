import * as tf from '@tensorflow/tfjs-core';
import { collectLayerStepNorms, type LayerStepNorms } from '../core/layerStepNorms.ts';

/**
 * A step's value still on a device, read in one transfer with its neighbours: the fused WebGPU
 * engine writes each step's loss and accuracy into a GPU buffer and reads a whole span of steps
 * back at once (one `mapAsync`), never per step. `values.read()` resolves that span; `index` is
 * this value's place in it. Several deferred scalars share one `values` object.
 */
export interface DeferredScalar {
  readonly values: DeferredValues;
  readonly index: number;
}

/** A span of per-step values on a device; `read` is idempotent (every caller gets the same array). */
export interface DeferredValues {
  read(): Promise<Float32Array>;
}

/** What a step engine returns for a batch's loss or accuracy. */
export type StepValue = tf.Scalar | number | DeferredScalar;

/**
 * A sampled step's layer norms as an engine returns them: `[2L]` (L kernel gradient norms, then
 * L update ratios; see `core/layerStepNorms.ts`) as numbers (fused WebAssembly) or a tensor left
 * on the backend (TF.js ops, read with the losses); null where the engine does not measure them.
 */
export type StepNorms = Float32Array | tf.Tensor1D | null;

export function isDeferredScalar(value: StepValue): value is DeferredScalar {
  return typeof value === 'object' && 'values' in value && 'index' in value;
}

/** One step as the loop saw it, before its loss and accuracy are read back. */
export interface PendingPoint {
  /** Global step (1-based). */
  readonly step: number;
  /** Training examples seen once this step was done. */
  readonly examples: number;
  /** Training time (ms) once this step was done. */
  readonly trainingMs: number;
  /** The batch's example count. */
  readonly size: number;
  /** Batch data loss and accuracy: backend scalars (owned from now on), numbers or deferred. */
  readonly loss: StepValue;
  readonly accuracy: StepValue;
  /** Set on a sampled step: its layer norms (a tensor is owned from now on). */
  readonly norms?: StepNorms;
}

/** What {@link PendingPoints.drain} reads: parallel `[n]` arrays, one entry per step. */
export interface DrainedPoints {
  readonly steps: Uint32Array;
  readonly examples: Float64Array;
  readonly trainingMs: Float64Array;
  /** Each step's batch size, for example-weighted epoch means. */
  readonly sizes: readonly number[];
  readonly losses: Float32Array;
  readonly accuracies: Float32Array;
  /** The sampled steps' layer norms; null where the engine does not measure them; absent without samples. */
  readonly layerNorms?: LayerStepNorms | null;
}

/**
 * Per-batch points collected until the next report. The TF.js path leaves loss and accuracy on
 * the backend as scalars, read back in one transfer so the loop never waits on the device after
 * each step; the fused engine has them as plain numbers already; the fused WebGPU engine's are
 * {@link DeferredScalar}s, one read per span of steps.
 */
export class PendingPoints {
  private points: PendingPoint[] = [];

  /** Takes ownership of the point's `loss` and `accuracy` tensors. */
  push(point: PendingPoint): void {
    this.points.push(point);
  }

  get size(): number {
    return this.points.length;
  }

  /** Reads and frees everything pushed so far. */
  async drain(): Promise<DrainedPoints> {
    const points = this.points;
    const n = points.length;
    const all = [...points.map((p) => p.loss), ...points.map((p) => p.accuracy)];
    const tensors = all.filter(isTensor);
    const spans = [...new Set(all.filter(isDeferredScalar).map((v) => v.values))];
    const sampled = points.filter((p) => p.norms !== undefined);
    const vectors = sampled.flatMap((p) => (p.norms instanceof tf.Tensor ? [p.norms] : []));
    const [read, ...spanValues] = await Promise.all([
      readTogether(tensors, vectors),
      ...spans.map((span) => span.read()),
    ]);
    const normsRead = layerNormsOf(sampled, read.subarray(tensors.length));
    const spanArrays = new Map(spans.map((span, i) => [span, spanValues[i]]));
    const values = new Float32Array(2 * n);
    let next = 0;
    all.forEach((v, i) => {
      if (typeof v === 'number') values[i] = v;
      else if (isDeferredScalar(v)) values[i] = spanArrays.get(v.values)?.[v.index] ?? Number.NaN;
      else values[i] = read?.[next++] ?? Number.NaN;
    });
    this.dispose();
    return {
      steps: Uint32Array.from(points, (p) => p.step),
      examples: Float64Array.from(points, (p) => p.examples),
      trainingMs: Float64Array.from(points, (p) => p.trainingMs),
      sizes: points.map((p) => p.size),
      losses: values.slice(0, n),
      accuracies: values.slice(n, 2 * n),
      ...(normsRead === undefined ? {} : { layerNorms: normsRead }),
    };
  }

  /** Frees the tensors of the points not drained yet, and forgets them. */
  dispose(): void {
    const values = this.points.flatMap((p) => [p.loss, p.accuracy]);
    tf.dispose(values.filter(isTensor));
    tf.dispose(this.points.flatMap((p) => (p.norms instanceof tf.Tensor ? [p.norms] : [])));
    this.points = [];
  }
}

function isTensor(value: StepValue): value is tf.Scalar {
  return typeof value !== 'number' && !isDeferredScalar(value);
}

/** One read of many scalars and then every value of `vectors`, in that order (empty for none). */
async function readTogether(scalars: tf.Scalar[], vectors: tf.Tensor1D[]): Promise<Float32Array> {
  if (scalars.length === 0 && vectors.length === 0) return new Float32Array(0);
  const joined = tf.tidy(() => tf.concat([...(scalars.length > 0 ? [tf.stack(scalars)] : []), ...vectors]));
  const values = (await joined.data()) as Float32Array;
  joined.dispose();
  return values;
}

/**
 * The sampled points' layer norms as one report's {@link LayerStepNorms}, the tensors' values
 * taken in order from `vectorValues` (read with the losses, one transfer); null when the engine
 * measures none; undefined without samples.
 */
function layerNormsOf(
  sampled: readonly PendingPoint[],
  vectorValues: Float32Array,
): LayerStepNorms | null | undefined {
  if (sampled.length === 0) return undefined;
  if (sampled.some((p) => p.norms === null || p.norms === undefined)) return null;
  let next = 0;
  const samples = sampled.map((p) => {
    const v = p.norms as Float32Array | tf.Tensor1D;
    if (!(v instanceof tf.Tensor)) return v;
    next += v.size;
    return vectorValues.subarray(next - v.size, next);
  });
  return collectLayerStepNorms(
    sampled.map((p) => p.step),
    samples,
  );
}
