import { MNIST_CLASSES } from './idx.ts';

/**
 * The most confidently wrong predictions: the error-analysis gallery of the reference notebooks
 * ("which test images does the network get wrong while being sure of itself?").
 */

export interface Misclassified {
  /** Row in the evaluated set. */
  readonly index: number;
  readonly trueLabel: number;
  readonly predicted: number;
  /** Probability of the predicted class. */
  readonly confidence: number;
  /** The three most probable classes, most probable first. */
  readonly top3: readonly { readonly label: number; readonly probability: number }[];
}

/** Classes of one row of `probabilities`, most probable first (ties: lower class first). */
function ranked(probabilities: ArrayLike<number>, offset: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, c) => c).sort(
    (a, b) => (probabilities[offset + b] ?? 0) - (probabilities[offset + a] ?? 0) || a - b,
  );
}

/**
 * The `n` wrong rows with the highest predicted-class probability, highest first (ties: lower
 * index first). `probabilities` is `[rows, classes]` row-major softmax output; `labels` `[rows]`.
 * O(rows·classes + wrong·log wrong).
 */
export function mostConfidentWrong(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  n: number,
  classes = MNIST_CLASSES,
): Misclassified[] {
  const wrong: { index: number; predicted: number; confidence: number }[] = [];
  for (let row = 0; row < labels.length; row++) {
    const offset = row * classes;
    let predicted = 0;
    for (let c = 1; c < classes; c++) {
      if ((probabilities[offset + c] ?? 0) > (probabilities[offset + predicted] ?? 0)) predicted = c;
    }
    if (predicted !== labels[row]) {
      wrong.push({ index: row, predicted, confidence: probabilities[offset + predicted] ?? 0 });
    }
  }
  wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  return wrong.slice(0, Math.max(0, n)).map(({ index, predicted, confidence }) => ({
    index,
    trueLabel: labels[index] ?? -1,
    predicted,
    confidence,
    top3: ranked(probabilities, index * classes, classes)
      .slice(0, 3)
      .map((label) => ({ label, probability: probabilities[index * classes + label] ?? 0 })),
  }));
}
