import { MNIST_CLASSES } from './idx.ts';
import type { SeededRandom } from './random.ts';

/**
 * Label noise: a chosen share of the training labels replaced by a different class drawn at
 * random, so a network with room enough can be watched memorising noise (training accuracy
 * climbs, validation accuracy falls). Applied once, to a copy of the training file's labels,
 * before any engine exists, so the fused kernel, TF.js ops and WebGPU all train on the very same
 * noisy labels; validation and test rows keep their true labels. Pure, and simple enough that the
 * PyTorch script ports it line for line (`export/pytorchScriptParts.ts`).
 */

/** How many of `trainingCount` labels a share replaces: round(share · N), halves up (as Python's port). */
export function noisyLabelCount(share: number, trainingCount: number): number {
  return Math.floor(share * trainingCount + 0.5);
}

/**
 * A copy of `labels` (`[rows]` class indices 0–9 of the whole training file) in which exactly
 * {@link noisyLabelCount} of the rows in `trainRows` carry another class than before. The rows are
 * a partial Fisher–Yates draw over positions in `trainRows` (each chosen once), the new class is
 * `(old + 1 + k) mod 10` with k uniform in 0–8, both from `rng` (the run's `labelNoise` stream);
 * rows outside `trainRows` are untouched. `labels` itself is never changed.
 */
export function withLabelNoise(
  labels: Uint8Array,
  trainRows: Int32Array,
  share: number,
  rng: SeededRandom,
): Uint8Array {
  const noisy = labels.slice();
  const n = trainRows.length;
  const count = Math.min(n, noisyLabelCount(share, n));
  if (count === 0) return noisy;
  const positions = new Int32Array(n);
  for (let i = 0; i < n; i++) positions[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + rng.nextInt(n - i);
    const chosen = positions[j] as number;
    positions[j] = positions[i] as number;
    positions[i] = chosen;
    const row = trainRows[chosen] as number;
    const shift = 1 + rng.nextInt(MNIST_CLASSES - 1);
    noisy[row] = ((labels[row] ?? 0) + shift) % MNIST_CLASSES;
  }
  return noisy;
}
