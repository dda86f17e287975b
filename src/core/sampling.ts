import { MNIST_CLASSES } from './idx.ts';

/**
 * Class-balanced subsets chosen without randomness, so every run (and every epoch) looks at the
 * same images: the PCA view's rows and the per-digit augmentation preview.
 */

/**
 * The first `perClass` rows of each class among `candidates` (rows of `labels`; default all of
 * them in order), grouped by class: those of class 0, then of class 1, …, each group in candidate
 * order. A class with fewer rows contributes what it has. O(candidates) until every class is full.
 */
export function firstPerClass(
  labels: ArrayLike<number>,
  perClass: number,
  candidates: ArrayLike<number> | null = null,
  classes = MNIST_CLASSES,
): Int32Array {
  const quota = Math.max(0, Math.floor(perClass));
  const groups: number[][] = Array.from({ length: classes }, () => []);
  const count = candidates === null ? labels.length : candidates.length;
  let missing = quota * classes;
  for (let i = 0; i < count && missing > 0; i++) {
    const row = candidates === null ? i : (candidates[i] ?? 0);
    const group = groups[labels[row] ?? -1];
    if (group !== undefined && group.length < quota) {
      group.push(row);
      missing--;
    }
  }
  return Int32Array.from(groups.flat());
}
