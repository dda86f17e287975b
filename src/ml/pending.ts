import * as tf from '@tensorflow/tfjs-core';

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
  /** Batch data loss and accuracy: backend scalars (owned from now on) or plain numbers. */
  readonly loss: tf.Scalar | number;
  readonly accuracy: tf.Scalar | number;
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
}

/**
 * Per-batch points collected until the next report. The TF.js path leaves loss and accuracy on
 * the backend as scalars, read back in one transfer so the loop never waits on the device after
 * each step; the fused engine has them as plain numbers already.
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
    const tensors = all.filter((v): v is tf.Scalar => typeof v !== 'number');
    const read = tensors.length > 0 ? await readScalars(tensors) : new Float32Array(0);
    const values = new Float32Array(2 * n);
    let next = 0;
    all.forEach((v, i) => (values[i] = typeof v === 'number' ? v : (read[next++] ?? Number.NaN)));
    this.dispose();
    return {
      steps: Uint32Array.from(points, (p) => p.step),
      examples: Float64Array.from(points, (p) => p.examples),
      trainingMs: Float64Array.from(points, (p) => p.trainingMs),
      sizes: points.map((p) => p.size),
      losses: values.slice(0, n),
      accuracies: values.slice(n, 2 * n),
    };
  }

  /** Frees the tensors of the points not drained yet, and forgets them. */
  dispose(): void {
    const values = this.points.flatMap((p) => [p.loss, p.accuracy]);
    tf.dispose(values.filter((v): v is tf.Scalar => typeof v !== 'number'));
    this.points = [];
  }
}

/** One stacked read of many scalars. */
async function readScalars(scalars: tf.Scalar[]): Promise<Float32Array> {
  const stacked = tf.stack(scalars);
  const values = (await stacked.data()) as Float32Array;
  stacked.dispose();
  return values;
}
