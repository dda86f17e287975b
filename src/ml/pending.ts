import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-batch loss and accuracy collected until the next report. The TF.js path leaves them on the
 * backend as scalars, read back in one transfer so the loop never waits on the device after each
 * step; the fused engine has them as plain numbers already.
 */
export class PendingPoints {
  private steps: number[] = [];
  private sizes: number[] = [];
  private losses: (tf.Scalar | number)[] = [];
  private accuracies: (tf.Scalar | number)[] = [];

  /** Takes ownership of `loss` and `accuracy` tensors; `size` is the batch's example count. */
  push(step: number, size: number, loss: tf.Scalar | number, accuracy: tf.Scalar | number): void {
    this.steps.push(step);
    this.sizes.push(size);
    this.losses.push(loss);
    this.accuracies.push(accuracy);
  }

  get size(): number {
    return this.steps.length;
  }

  /** Reads and frees everything pushed so far: `steps`, `sizes`, `losses`, `accuracies`, each `[n]`. */
  async drain(): Promise<{
    steps: Uint32Array;
    sizes: number[];
    losses: Float32Array;
    accuracies: Float32Array;
  }> {
    const n = this.steps.length;
    const steps = Uint32Array.from(this.steps);
    const sizes = this.sizes;
    const values = new Float32Array(2 * n);
    const all = [...this.losses, ...this.accuracies];
    const tensors = all.filter((v): v is tf.Scalar => typeof v !== 'number');
    const read = tensors.length > 0 ? await readScalars(tensors) : new Float32Array(0);
    let next = 0;
    all.forEach((v, i) => (values[i] = typeof v === 'number' ? v : (read[next++] ?? Number.NaN)));
    this.dispose();
    return { steps, sizes, losses: values.slice(0, n), accuracies: values.slice(n, 2 * n) };
  }

  dispose(): void {
    tf.dispose([...this.losses, ...this.accuracies].filter((v): v is tf.Scalar => typeof v !== 'number'));
    this.steps = [];
    this.sizes = [];
    this.losses = [];
    this.accuracies = [];
  }
}

/** One stacked read of many scalars. */
async function readScalars(scalars: tf.Scalar[]): Promise<Float32Array> {
  const stacked = tf.stack(scalars);
  const values = (await stacked.data()) as Float32Array;
  stacked.dispose();
  return values;
}
