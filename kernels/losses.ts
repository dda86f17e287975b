// ---------------------------------------------------------------------------------------------
// Losses of the fused kernel: logits [m × ld] (first `classes` columns real), integer labels.
// `lossAndGradient` handles a range of rows (threads split the batch by rows): it writes dlogits
// (the mean over the whole batch folded in), each row's loss (f64) and hit (i32); `batchLoss`
// then sums them in row order, so the total is the same for any split.
// ---------------------------------------------------------------------------------------------

let correct: i32 = 0;

/** How many rows of the last `batchLoss` batch had their label as the largest logit. */
export function lastCorrect(): i32 {
  return correct;
}

// @ts-ignore: decorator
@inline function argMax(row: usize, classes: i32): i32 {
  let best = 0;
  let bestValue = load<f32>(row);
  for (let j = 1; j < classes; j++) {
    const v = load<f32>(row + (<usize>j << 2));
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/**
 * Softmax into `probs` (row-wise over `classes`), returns log Σ exp for the row. Max-shifted so
 * large logits do not overflow.
 */
// @ts-ignore: decorator
@inline function softmaxRow(row: usize, probs: usize, classes: i32): f32 {
  let max = load<f32>(row);
  for (let j = 1; j < classes; j++) max = Mathf.max(max, load<f32>(row + (<usize>j << 2)));
  let sum: f32 = 0;
  for (let j = 0; j < classes; j++) {
    const e = Mathf.exp(load<f32>(row + (<usize>j << 2)) - max);
    store<f32>(probs + (<usize>j << 2), e);
    sum += e;
  }
  for (let j = 0; j < classes; j++) store<f32>(probs + (<usize>j << 2), load<f32>(probs + (<usize>j << 2)) / sum);
  return max + Mathf.log(sum);
}

// Loss codes (the `kind` argument of lossAndGradient), read by the build as the activations are.
const LOSS_CROSS_ENTROPY = 0;
const LOSS_MSE = 1;
const LOSS_HINGE = 2;

/**
 * Rows `start…end−1` of the batch (`m` rows in all): each row's data loss (divided as the loss
 * defines, before the mean over rows) into `rowLosses[i]` (f64), 1 into `rowHits[i]` (i32) when its
 * label is the largest logit, and its gradient w.r.t. the logits into `dlogits` (the 1/m of the
 * batch mean folded in; padding columns zeroed).
 * - LOSS_CROSS_ENTROPY with label smoothing ε: −Σ t·log softmax, t = (1−ε)·onehot + ε/classes.
 * - LOSS_MSE on softmax probabilities vs t, over the classes.
 * - LOSS_HINGE, multi-class: Σ_{j≠y} max(0, 1 − x_y + x_j) / classes.
 */
export function lossAndGradient(
  logits: usize, labels: usize, dlogits: usize, rowLosses: usize, rowHits: usize,
  start: i32, end: i32, m: i32, ld: i32, classes: i32, kind: i32, smoothing: f32,
): void {
  const off = smoothing / <f32>classes;
  const rowScale: f32 = 1 / <f32>m;
  for (let i = start; i < end; i++) {
    const row = logits + ((<usize>i * ld) << 2);
    const drow = dlogits + ((<usize>i * ld) << 2);
    const label = load<i32>(labels + (<usize>i << 2));
    store<i32>(rowHits + (<usize>i << 2), argMax(row, classes) == label ? 1 : 0);
    let total: f64 = 0;
    if (kind == LOSS_HINGE) {
      const scale = rowScale / <f32>classes;
      const xy = load<f32>(row + (<usize>label << 2));
      let rowLoss: f32 = 0;
      let hits: f32 = 0;
      for (let j = 0; j < classes; j++) {
        const at = <usize>j << 2;
        if (j == label) continue;
        const margin: f32 = <f32>1 - xy + load<f32>(row + at);
        if (margin > 0) {
          rowLoss += margin;
          hits += 1;
          store<f32>(drow + at, scale);
        } else {
          store<f32>(drow + at, 0);
        }
      }
      store<f32>(drow + (<usize>label << 2), -hits * scale);
      total += <f64>rowLoss / <f64>classes;
    } else {
      const lse = softmaxRow(row, drow, classes);
      if (kind == LOSS_CROSS_ENTROPY) {
        let rowLoss: f32 = 0;
        for (let j = 0; j < classes; j++) {
          const at = <usize>j << 2;
          const t: f32 = (j == label ? <f32>1 - smoothing : <f32>0) + off;
          rowLoss -= t * (load<f32>(row + at) - lse);
          store<f32>(drow + at, (load<f32>(drow + at) - t) * rowScale);
        }
        total += <f64>rowLoss;
      } else {
        // MSE through the softmax: g_j = 2(p_j − t_j)/(m·classes); dz_j = p_j (g_j − Σ_k g_k p_k).
        const scale = <f32>2 * rowScale / <f32>classes;
        let rowLoss: f32 = 0;
        let dot: f32 = 0;
        for (let j = 0; j < classes; j++) {
          const p = load<f32>(drow + (<usize>j << 2));
          const d = p - ((j == label ? <f32>1 - smoothing : <f32>0) + off);
          rowLoss += d * d;
          dot += d * scale * p;
        }
        for (let j = 0; j < classes; j++) {
          const at = <usize>j << 2;
          const p = load<f32>(drow + at);
          const g = (p - ((j == label ? <f32>1 - smoothing : <f32>0) + off)) * scale;
          store<f32>(drow + at, p * (g - dot));
        }
        total += <f64>rowLoss / <f64>classes;
      }
    }
    for (let j = classes; j < ld; j++) store<f32>(drow + (<usize>j << 2), 0);
    store<f64>(rowLosses + (<usize>i << 3), total);
  }
}

/**
 * The batch's mean data loss from the `m` rows' losses of `lossAndGradient`, summed in row order;
 * sets the count `lastCorrect` returns.
 */
export function batchLoss(rowLosses: usize, rowHits: usize, m: i32): f64 {
  let total: f64 = 0;
  let hits = 0;
  for (let i = 0; i < m; i++) {
    total += load<f64>(rowLosses + (<usize>i << 3));
    hits += load<i32>(rowHits + (<usize>i << 2));
  }
  correct = hits;
  return total / <f64>m;
}
