import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-batch scalars collected on the backend and read back in one transfer, so the loop never
 * waits on the device after each step.
 */
export class PendingPoints {
  private steps: number[] = [];
  private sizes: number[] = [];
  private losses: tf.Scalar[] = [];
  private accuracies: tf.Scalar[] = [];

  /** Takes ownership of `loss` and `accuracy`; `size` is the batch's example count. */
  push(step: number, size: number, loss: tf.Scalar, accuracy: tf.Scalar): void {
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
    const steps = Uint32Array.from(this.steps);
    const sizes = this.sizes;
    const stacked = tf.tidy(() => tf.stack([tf.stack(this.losses), tf.stack(this.accuracies)]));
    this.dispose();
    const values = (await stacked.data()) as Float32Array;
    stacked.dispose();
    const n = steps.length;
    return { steps, sizes, losses: values.slice(0, n), accuracies: values.slice(n, 2 * n) };
  }

  dispose(): void {
    tf.dispose([...this.losses, ...this.accuracies]);
    this.steps = [];
    this.sizes = [];
    this.losses = [];
    this.accuracies = [];
  }
}
