// Batch norm of the fused kernel, training mode (see kernels/mlp.ts for the memory conventions).
//
// Batch norm needs statistics over the whole batch, so it works on a block of columns (threads
// split the layer's columns between them; pointers are offset to the block's first column and
// rows stay `ld` floats apart). Each column is summed over all `m` rows in row order, four
// columns at a time in SIMD lanes (lane arithmetic is the same IEEE f32 arithmetic as scalar
// code), so a column's results do not depend on the block it falls in: the same for any split.
//
// The layer is dense → batch norm → activation → dropout, as in src/ml/mlp.ts: z = h·W + b;
// x̂ = (z − μ)/√(σ² + ε) with the batch mean μ and biased variance σ²; y = γ·x̂ + β; a = act(y);
// h = a ⊙ mask. The running statistics move as PyTorch's (and the TF.js path's) do:
// running = keep·running + rate·batch, the variance's rate carrying the unbiased correction
// B/(B − 1) (the caller folds it in).

import { activate, derivative } from './layers';

/** The smallest normal f32, 2⁻¹²⁶: running statistics below it are flushed to 0 (see optimizers.ts). */
const MIN_NORMAL: f32 = 1.1754943508222875e-38;

/** v with every lane whose magnitude is below the normal range set to +0. */
// @ts-ignore: decorator
@inline function flush4(v: v128): v128 {
  return v128.and(v, f32x4.ge(f32x4.abs(v), f32x4.splat(MIN_NORMAL)));
}

/**
 * Training-mode batch norm over a block of `cols` columns (a multiple of 4; the first `real` are
 * the layer's, the rest padding) of `m` rows `ld` floats apart. Adds the dense bias to `z` in
 * place, takes each column's batch mean and biased variance, overwrites `z` with x̂, writes
 * y = γ·x̂ + β to `y`, a = act(y) to `a` (padding columns 0) and, when `mask` is not 0,
 * h = a ⊙ mask to `h`. Saves 1/√(σ² + ε) per column in `invStd` (for the backward pass) and moves
 * the running statistics: mean ← keep·mean + rate·μ, variance ← keep·variance + varianceRate·σ².
 */
export function batchNormForward(
  z: usize, bias: usize, gamma: usize, beta: usize,
  runningMean: usize, runningVar: usize, invStd: usize,
  y: usize, a: usize, mask: usize, h: usize,
  m: i32, cols: i32, real: i32, ld: i32, act: i32,
  epsilon: f32, keep: f32, rate: f32, varianceRate: f32,
): void {
  const stride = <usize>ld << 2;
  const rows = f32x4.splat(<f32>m);
  const veps = f32x4.splat(epsilon);
  const vkeep = f32x4.splat(keep), vrate = f32x4.splat(rate), vvar = f32x4.splat(varianceRate);
  for (let j = 0; j < cols; j += 4) {
    const at = <usize>j << 2;
    const b = v128.load(bias + at);
    let sum = f32x4.splat(0);
    let p = z + at;
    for (let i = 0; i < m; i++) {
      const v = f32x4.add(v128.load(p), b);
      v128.store(p, v);
      sum = f32x4.add(sum, v);
      p += stride;
    }
    const mean = f32x4.div(sum, rows);
    let squares = f32x4.splat(0);
    p = z + at;
    for (let i = 0; i < m; i++) {
      const d = f32x4.sub(v128.load(p), mean);
      squares = f32x4.add(squares, f32x4.mul(d, d));
      p += stride;
    }
    const variance = f32x4.div(squares, rows);
    const inv = f32x4.div(f32x4.splat(1), f32x4.sqrt(f32x4.add(variance, veps)));
    v128.store(invStd + at, inv);
    v128.store(runningMean + at, flush4(f32x4.add(f32x4.mul(v128.load(runningMean + at), vkeep), f32x4.mul(mean, vrate))));
    v128.store(runningVar + at, flush4(f32x4.add(f32x4.mul(v128.load(runningVar + at), vkeep), f32x4.mul(variance, vvar))));
    const g = v128.load(gamma + at);
    const sh = v128.load(beta + at);
    p = z + at;
    let q = y + at;
    for (let i = 0; i < m; i++) {
      const x = f32x4.mul(f32x4.sub(v128.load(p), mean), inv);
      v128.store(p, x);
      v128.store(q, f32x4.add(f32x4.mul(x, g), sh));
      p += stride;
      q += stride;
    }
  }
  for (let i = 0; i < m; i++) {
    const row = (<usize>i * ld) << 2;
    for (let j = 0; j < cols; j++) {
      const at = row + (<usize>j << 2);
      const out: f32 = j < real ? activate(load<f32>(y + at), act) : 0;
      store<f32>(a + at, out);
      if (mask != 0) store<f32>(h + at, out * load<f32>(mask + at));
    }
  }
}

/**
 * The backward pass of {@link batchNormForward} over the same block of columns. `dh` holds the
 * gradient w.r.t. the layer's output h and is overwritten with dy, the gradient w.r.t. y
 * (through the dropout `mask` when not 0, and act′ from y and a). Then per column
 * dβ = Σ dy, dγ = Σ dy·x̂ (into `gradBeta`, `gradGamma`) and the gradient w.r.t. z,
 * dz = γ/(m·√(σ² + ε)) · (m·dy − dβ − x̂·dγ), into `dz` (`z` holds x̂).
 */
export function batchNormBackward(
  dh: usize, mask: usize, y: usize, a: usize, z: usize, gamma: usize, invStd: usize,
  gradGamma: usize, gradBeta: usize, dz: usize,
  m: i32, cols: i32, real: i32, ld: i32, act: i32,
): void {
  for (let i = 0; i < m; i++) {
    const row = (<usize>i * ld) << 2;
    for (let j = 0; j < cols; j++) {
      const at = row + (<usize>j << 2);
      let d: f32 = 0;
      if (j < real) {
        d = load<f32>(dh + at);
        if (mask != 0) d *= load<f32>(mask + at);
        d *= derivative(load<f32>(y + at), load<f32>(a + at), act);
      }
      store<f32>(dh + at, d);
    }
  }
  const stride = <usize>ld << 2;
  const rows = f32x4.splat(<f32>m);
  for (let j = 0; j < cols; j += 4) {
    const at = <usize>j << 2;
    let sumDy = f32x4.splat(0);
    let sumDyX = f32x4.splat(0);
    let p = dh + at;
    let x = z + at;
    for (let i = 0; i < m; i++) {
      const d = v128.load(p);
      sumDy = f32x4.add(sumDy, d);
      sumDyX = f32x4.add(sumDyX, f32x4.mul(d, v128.load(x)));
      p += stride;
      x += stride;
    }
    v128.store(gradBeta + at, sumDy);
    v128.store(gradGamma + at, sumDyX);
    const scale = f32x4.div(f32x4.mul(v128.load(gamma + at), v128.load(invStd + at)), rows);
    p = dh + at;
    x = z + at;
    let q = dz + at;
    for (let i = 0; i < m; i++) {
      const centred = f32x4.sub(f32x4.sub(f32x4.mul(rows, v128.load(p)), sumDy), f32x4.mul(v128.load(x), sumDyX));
      v128.store(q, f32x4.mul(scale, centred));
      p += stride;
      x += stride;
      q += stride;
    }
  }
}
