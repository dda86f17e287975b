import { MNIST_CLASSES } from './idx.ts';

/**
 * Confusion matrices and the per-class rates read from them, for the error-analysis views.
 * Pure, so the worker computes them and the page (and tests) can reason about them the same way.
 */

/** Row-major `[true][predicted]` counts, `classes × classes`. */
export interface ConfusionMatrix {
  readonly classes: number;
  readonly counts: Uint32Array;
}

/** Counts (true, predicted) pairs; labels outside `0…classes−1` are a caller error and throw. */
export function confusionMatrix(
  trueLabels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes = MNIST_CLASSES,
): ConfusionMatrix {
  if (trueLabels.length !== predicted.length) {
    throw new Error(`confusionMatrix: ${trueLabels.length} labels but ${predicted.length} predictions`);
  }
  const counts = new Uint32Array(classes * classes);
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i] ?? -1;
    const p = predicted[i] ?? -1;
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) {
      throw new Error(`confusionMatrix: label ${t} or prediction ${p} is not a class 0–${classes - 1}`);
    }
    counts[t * classes + p] = (counts[t * classes + p] ?? 0) + 1;
  }
  return { classes, counts };
}

export function cell(matrix: ConfusionMatrix, trueClass: number, predictedClass: number): number {
  return matrix.counts[trueClass * matrix.classes + predictedClass] ?? 0;
}

export interface ClassRates {
  /** Of the examples predicted as this class, the share that are (NaN when never predicted). */
  readonly precision: number;
  /** Of the examples of this class, the share predicted as it (NaN when the class is absent). */
  readonly recall: number;
  /** Examples of this class in the set. */
  readonly support: number;
}

/** Precision, recall and support per class, from the matrix's columns and rows. */
export function classRates(matrix: ConfusionMatrix): ClassRates[] {
  const { classes } = matrix;
  return Array.from({ length: classes }, (_, c) => {
    let row = 0;
    let column = 0;
    for (let k = 0; k < classes; k++) {
      row += cell(matrix, c, k);
      column += cell(matrix, k, c);
    }
    const hits = cell(matrix, c, c);
    return {
      precision: column > 0 ? hits / column : Number.NaN,
      recall: row > 0 ? hits / row : Number.NaN,
      support: row,
    };
  });
}

/** Fraction on the diagonal (NaN for an empty matrix). */
export function matrixAccuracy(matrix: ConfusionMatrix): number {
  let total = 0;
  let hits = 0;
  for (let t = 0; t < matrix.classes; t++) {
    for (let p = 0; p < matrix.classes; p++) {
      total += cell(matrix, t, p);
      if (t === p) hits += cell(matrix, t, p);
    }
  }
  return total > 0 ? hits / total : Number.NaN;
}
