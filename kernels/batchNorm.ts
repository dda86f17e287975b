// Batch norm of the fused kernel, training mode (see kernels/mlp.ts for the memory conventions).
//
// Batch norm needs statistics over the whole batch, so it works on a block of columns (threads
// split the layer's columns between them; pointers are offset to the block's first column and
// rows stay `ld` floats apart). The passes walk the block row by row (contiguous loads), keeping
// per-column sums in `[cols]` vectors; each column is summed over all `m` rows in row order, four
// columns at a time in SIMD lanes (lane arithmetic is the same IEEE f32 arithmetic as scalar
// code), so a column's results do not depend on the block it falls in: the same for any split.
//
// The layer is dense → batch norm → activation → dropout, as in src/ml/mlp.ts: z = h·W + b;
// x̂ = (z − μ)/√(σ² + ε) with the batch mean μ and biased variance σ²; y = γ·x̂ + β; a = act(y);
// h = a ⊙ mask. The running statistics move as PyTorch's (and the TF.js path's) do:
// running = keep·running + rate·batch, the variance's rate carrying the unbiased correction
// B/(B − 1) (the caller folds it in).

import { activate, derivative, LINEAR, RELU } from './layers';

/** The smallest normal f32, 2⁻¹²⁶: running statistics below it are flushed to 0 (see optimizers.ts). */
const MIN_NORMAL: f32 = 1.1754943508222875e-38;

/** v with every lane whose magnitude is below the normal range set to +0. */
// @ts-ignore: decorator
@inline function flush4(v: v128): v128 {
  return v128.and(v, f32x4.ge(f32x4.abs(v), f32x4.splat(MIN_NORMAL)));
}

/** out[j] = 0 for the `cols` floats at `out`. */
// @ts-ignore: decorator
@inline function zero(out: usize, cols: i32): void {
  for (let j = 0; j < cols; j += 4) v128.store(out + (<usize>j << 2), f32x4.splat(0));
}

/**
 * Training-mode batch norm over a block of `cols` columns (a multiple of 4; the first `real` are
 * the layer's, the rest padding) of `m` rows `ld` floats apart. Adds the dense bias to `z` in
 * place, takes each column's batch mean (into `mean`) and biased variance, overwrites `z` with
 * x̂, writes y = γ·x̂ + β to `y`, a = act(y) to `a` (padding columns 0) and, when `mask` is not
 * 0, h = a ⊙ mask to `h`. Saves 1/√(σ² + ε) per column in `invStd` (for the backward pass) and
 * moves the running statistics: mean ← keep·mean + rate·μ, variance ← keep·variance +
 * varianceRate·σ².
 */
export function batchNormForward(
  z: usize, bias: usize, gamma: usize, beta: usize,
  runningMean: usize, runningVar: usize, mean: usize, invStd: usize,
  y: usize, a: usize, mask: usize, h: usize,
  m: i32, cols: i32, real: i32, ld: i32, act: i32,
  epsilon: f32, keep: f32, rate: f32, varianceRate: f32,
): void {
  const stride = <usize>ld << 2;
  const width = <usize>cols << 2;
  const rows = f32x4.splat(<f32>m);
  // Σ z (bias added in place) into `mean`, then Σ (z − μ)² into `invStd`.
  zero(mean, cols);
  for (let row = z, i = 0; i < m; i++, row += stride) {
    for (let at: usize = 0; at < width; at += 16) {
      const v = f32x4.add(v128.load(row + at), v128.load(bias + at));
      v128.store(row + at, v);
      v128.store(mean + at, f32x4.add(v128.load(mean + at), v));
    }
  }
  for (let at: usize = 0; at < width; at += 16) v128.store(mean + at, f32x4.div(v128.load(mean + at), rows));
  zero(invStd, cols);
  for (let row = z, i = 0; i < m; i++, row += stride) {
    for (let at: usize = 0; at < width; at += 16) {
      const d = f32x4.sub(v128.load(row + at), v128.load(mean + at));
      v128.store(invStd + at, f32x4.add(v128.load(invStd + at), f32x4.mul(d, d)));
    }
  }
  const veps = f32x4.splat(epsilon);
  const vkeep = f32x4.splat(keep), vrate = f32x4.splat(rate), vvar = f32x4.splat(varianceRate);
  for (let at: usize = 0; at < width; at += 16) {
    const variance = f32x4.div(v128.load(invStd + at), rows);
    const mu = v128.load(mean + at);
    v128.store(invStd + at, f32x4.div(f32x4.splat(1), f32x4.sqrt(f32x4.add(variance, veps))));
    v128.store(runningMean + at, flush4(f32x4.add(f32x4.mul(v128.load(runningMean + at), vkeep), f32x4.mul(mu, vrate))));
    v128.store(runningVar + at, flush4(f32x4.add(f32x4.mul(v128.load(runningVar + at), vkeep), f32x4.mul(variance, vvar))));
  }
  // x̂, y, a and h, row by row.
  const simd = act == RELU || act == LINEAR;
  const zero4 = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const offset = <usize>i * stride;
    const zr = z + offset, yr = y + offset, ar = a + offset, mr = mask + offset, hr = h + offset;
    for (let at: usize = 0; at < width; at += 16) {
      const x = f32x4.mul(f32x4.sub(v128.load(zr + at), v128.load(mean + at)), v128.load(invStd + at));
      v128.store(zr + at, x);
      const out = f32x4.add(f32x4.mul(x, v128.load(gamma + at)), v128.load(beta + at));
      v128.store(yr + at, out);
      // Padding columns have z = 0, β = 0, so y = 0 there: ReLU and linear keep it 0.
      if (simd) {
        const activated = act == RELU ? f32x4.max(out, zero4) : out;
        v128.store(ar + at, activated);
        if (mask != 0) v128.store(hr + at, f32x4.mul(activated, v128.load(mr + at)));
      }
    }
    if (simd) continue;
    for (let j = 0; j < cols; j++) {
      const at = <usize>j << 2;
      const out: f32 = j < real ? activate(load<f32>(yr + at), act) : 0;
      store<f32>(ar + at, out);
      if (mask != 0) store<f32>(hr + at, out * load<f32>(mr + at));
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
  const stride = <usize>ld << 2;
  const width = <usize>cols << 2;
  const rows = f32x4.splat(<f32>m);
  const zero4 = f32x4.splat(0);
  zero(gradBeta, cols);
  zero(gradGamma, cols);
  for (let i = 0; i < m; i++) {
    const offset = <usize>i * stride;
    const dr = dh + offset, mr = mask + offset, yr = y + offset, ar = a + offset, xr = z + offset;
    if (act == RELU || act == LINEAR) {
      // Padding columns of dh are 0 (the transposed kernel's padding rows are 0).
      for (let at: usize = 0; at < width; at += 16) {
        let d = v128.load(dr + at);
        if (mask != 0) d = f32x4.mul(d, v128.load(mr + at));
        if (act == RELU) d = v128.and(d, f32x4.gt(v128.load(yr + at), zero4));
        v128.store(dr + at, d);
      }
    } else {
      for (let j = 0; j < cols; j++) {
        const at = <usize>j << 2;
        let d: f32 = 0;
        if (j < real) {
          d = load<f32>(dr + at);
          if (mask != 0) d *= load<f32>(mr + at);
          d *= derivative(load<f32>(yr + at), load<f32>(ar + at), act);
        }
        store<f32>(dr + at, d);
      }
    }
    for (let at: usize = 0; at < width; at += 16) {
      const d = v128.load(dr + at);
      v128.store(gradBeta + at, f32x4.add(v128.load(gradBeta + at), d));
      v128.store(gradGamma + at, f32x4.add(v128.load(gradGamma + at), f32x4.mul(d, v128.load(xr + at))));
    }
  }
  for (let i = 0; i < m; i++) {
    const offset = <usize>i * stride;
    const dr = dh + offset, xr = z + offset, out = dz + offset;
    for (let at: usize = 0; at < width; at += 16) {
      const scale = f32x4.div(f32x4.mul(v128.load(gamma + at), v128.load(invStd + at)), rows);
      const centred = f32x4.sub(
        f32x4.sub(f32x4.mul(rows, v128.load(dr + at)), v128.load(gradBeta + at)),
        f32x4.mul(v128.load(xr + at), v128.load(gradGamma + at)),
      );
      v128.store(out + at, f32x4.mul(scale, centred));
    }
  }
}
