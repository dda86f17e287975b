// AssemblyScript source of the fused MLP training kernel, compiled twice by
// `npm run build:kernel` — WebAssembly SIMD, and SIMD + relaxed SIMD (fused multiply-add in the
// matrix products) — and embedded in src/ml/fused/kernelBinary.ts.
//
// Everything works on raw linear memory the TypeScript side lays out: row-major f32 matrices
// whose rows are `ld` floats apart, with every layer width padded to a multiple of 8 (padding
// columns hold zeros), so the SIMD loops need no edge cases in the column direction. Pointers are
// byte offsets; sizes are in elements.

// ---------------------------------------------------------------------------------------------
// Matrix products
// ---------------------------------------------------------------------------------------------

/** acc + a·b: a fused multiply-add in the relaxed-SIMD build (FMA where the CPU has it). */
// @ts-ignore: decorator
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * C[m×n] = op(A)·B[k×n], BLAS-style: op(A) is A[m×k], or with `transposeA` the transpose of
 * A[k×m] (the weight gradient Hᵀ·dZ without materialising Hᵀ). `n` must be a multiple of 8, and
 * `m` of 4 when transposing. Leading dimensions `lda`, `ldb`, `ldc` are in elements.
 */
export function gemm(
  a: usize, b: usize, c: usize,
  m: i32, k: i32, n: i32,
  lda: i32, ldb: i32, ldc: i32,
  transposeA: bool,
): void {
  const sa = <usize>lda << 2;
  const sb = <usize>ldb << 2;
  const sc = <usize>ldc << 2;
  if (transposeA) productTN(a, b, c, m, k, n, sa, sb, sc);
  else productNN(a, b, c, m, k, n, sa, sb, sc);
}

/**
 * C = A·B with byte strides: a 4×8 register tile (8 accumulators) over the B panel of 8 columns,
 * which stays in L1 across row blocks.
 */
// @ts-ignore: decorator
@inline function productNN(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, sa: usize, sb: usize, sc: usize): void {
  for (let j = 0; j < n; j += 8) {
    const bj = b + (<usize>j << 2);
    const cj = c + (<usize>j << 2);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const a0 = a + <usize>i * sa;
      const a1 = a0 + sa;
      const a2 = a1 + sa;
      const a3 = a2 + sa;
      const c0 = cj + <usize>i * sc;
      const c1 = c0 + sc;
      const c2 = c1 + sc;
      const c3 = c2 + sc;
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      let bp = bj;
      for (let p = 0; p < k; p++) {
        const off = <usize>p << 2;
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const y0 = v128.load_splat<f32>(a0 + off);
        const y1 = v128.load_splat<f32>(a1 + off);
        const y2 = v128.load_splat<f32>(a2 + off);
        const y3 = v128.load_splat<f32>(a3 + off);
        x00 = madd(x00, y0, b0); x01 = madd(x01, y0, b1);
        x10 = madd(x10, y1, b0); x11 = madd(x11, y1, b1);
        x20 = madd(x20, y2, b0); x21 = madd(x21, y2, b1);
        x30 = madd(x30, y3, b0); x31 = madd(x31, y3, b1);
        bp += sb;
      }
      v128.store(c0, x00); v128.store(c0, x01, 16);
      v128.store(c1, x10); v128.store(c1, x11, 16);
      v128.store(c2, x20); v128.store(c2, x21, 16);
      v128.store(c3, x30); v128.store(c3, x31, 16);
    }
    for (; i < m; i++) {
      const ai = a + <usize>i * sa;
      const ci = cj + <usize>i * sc;
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
      let bp = bj;
      for (let p = 0; p < k; p++) {
        const y = v128.load_splat<f32>(ai + (<usize>p << 2));
        x0 = madd(x0, y, v128.load(bp));
        x1 = madd(x1, y, v128.load(bp, 16));
        bp += sb;
      }
      v128.store(ci, x0); v128.store(ci, x1, 16);
    }
  }
}

/**
 * C = Aᵀ·B with byte strides, A stored `[k×m]`: each step over k reads 4 consecutive A values
 * (4 rows of C) with one load and broadcasts them by shuffles.
 */
// @ts-ignore: decorator
@inline function productTN(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, sa: usize, sb: usize, sc: usize): void {
  for (let j = 0; j < n; j += 8) {
    const bj = b + (<usize>j << 2);
    for (let i = 0; i < m; i += 4) {
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      let ap = a + (<usize>i << 2);
      let bp = bj;
      for (let p = 0; p < k; p++) {
        const av = v128.load(ap);
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const y0 = v128.shuffle<f32>(av, av, 0, 0, 0, 0);
        const y1 = v128.shuffle<f32>(av, av, 1, 1, 1, 1);
        const y2 = v128.shuffle<f32>(av, av, 2, 2, 2, 2);
        const y3 = v128.shuffle<f32>(av, av, 3, 3, 3, 3);
        x00 = madd(x00, y0, b0); x01 = madd(x01, y0, b1);
        x10 = madd(x10, y1, b0); x11 = madd(x11, y1, b1);
        x20 = madd(x20, y2, b0); x21 = madd(x21, y2, b1);
        x30 = madd(x30, y3, b0); x31 = madd(x31, y3, b1);
        ap += sa;
        bp += sb;
      }
      const c0 = c + <usize>i * sc + (<usize>j << 2);
      const c1 = c0 + sc;
      const c2 = c1 + sc;
      const c3 = c2 + sc;
      v128.store(c0, x00); v128.store(c0, x01, 16);
      v128.store(c1, x10); v128.store(c1, x11, 16);
      v128.store(c2, x20); v128.store(c2, x21, 16);
      v128.store(c3, x30); v128.store(c3, x31, 16);
    }
  }
}

/** dst[cols×rows] = src[rows×cols]ᵀ (leading dimensions `lds`, `ldd`). */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32, lds: i32, ldd: i32): void {
  const block = 16;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = min(r0 + block, rows);
    for (let c0 = 0; c0 < cols; c0 += block) {
      const c1 = min(c0 + block, cols);
      for (let r = r0; r < r1; r++) {
        for (let col = c0; col < c1; col++) {
          store<f32>(dst + ((<usize>col * ldd + r) << 2), load<f32>(src + ((<usize>r * lds + col) << 2)));
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Elementwise layers
// ---------------------------------------------------------------------------------------------

// Activation codes (the `act` argument): their only definition. `npm run build:kernel` reads each
// `const ACTIVATION_<NAME> = <code>;` (and `LOSS_<NAME>` below) into the generated bindings,
// src/core/kernelBindings.ts, keyed by the config's name (LEAKY_RELU ↔ leakyRelu); there the type
// checker requires exactly one code per activation (and loss) the config offers.
const ACTIVATION_RELU = 0;
const ACTIVATION_LEAKY_RELU = 1;
const ACTIVATION_ELU = 2;
const ACTIVATION_GELU = 3;
const ACTIVATION_SELU = 4;
const ACTIVATION_SIGMOID = 5;
const ACTIVATION_TANH = 6;
const ACTIVATION_LINEAR = 7;

const SELU_SCALE: f32 = 1.0507009873554805;
const SELU_ALPHA: f32 = 1.6732632423543772;
const GELU_C: f32 = 0.7978845608028654; // √(2/π)

// @ts-ignore: decorator
@inline function activate(z: f32, act: i32): f32 {
  switch (act) {
    case ACTIVATION_RELU: return z > 0 ? z : 0;
    case ACTIVATION_LEAKY_RELU: return z > 0 ? z : <f32>0.01 * z;
    case ACTIVATION_ELU: return z > 0 ? z : Mathf.exp(z) - 1;
    case ACTIVATION_GELU: {
      const inner = (z + <f32>0.044715 * z * z * z) * GELU_C;
      return <f32>0.5 * z * (1 + Mathf.tanh(inner));
    }
    case ACTIVATION_SELU: return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (Mathf.exp(z) - 1);
    case ACTIVATION_SIGMOID: return 1 / (1 + Mathf.exp(-z));
    case ACTIVATION_TANH: return Mathf.tanh(z);
    default: return z;
  }
}

/** d activation / dz, from the pre-activation `z` and the activation `y`. */
// @ts-ignore: decorator
@inline function derivative(z: f32, y: f32, act: i32): f32 {
  switch (act) {
    case ACTIVATION_RELU: return z > 0 ? 1 : 0;
    case ACTIVATION_LEAKY_RELU: return z > 0 ? 1 : <f32>0.01;
    case ACTIVATION_ELU: return z > 0 ? 1 : y + 1;
    case ACTIVATION_GELU: {
      const t = Mathf.tanh((z + <f32>0.044715 * z * z * z) * GELU_C);
      return <f32>0.5 * (1 + t) + <f32>0.5 * z * (1 - t * t) * GELU_C * (1 + <f32>0.134145 * z * z);
    }
    case ACTIVATION_SELU: return z > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Mathf.exp(z);
    case ACTIVATION_SIGMOID: return y * (1 - y);
    case ACTIVATION_TANH: return 1 - y * y;
    default: return 1;
  }
}

/**
 * z += bias (per column), y = act(z) over the first `n` of `ld` columns; columns n…ld−1 of y are
 * set to 0 so padding never feeds the next layer.
 */
export function biasActivate(z: usize, bias: usize, y: usize, m: i32, n: i32, ld: i32, act: i32): void {
  if (act == ACTIVATION_RELU || act == ACTIVATION_LINEAR) {
    // SIMD over whole rows: padding columns of z are 0 (zero weights and bias), and stay 0.
    const zero = f32x4.splat(0);
    for (let i = 0; i < m; i++) {
      const row = (<usize>i * ld) << 2;
      for (let j = 0; j < ld; j += 4) {
        const at = row + (<usize>j << 2);
        const v = f32x4.add(v128.load(z + at), v128.load(bias + (<usize>j << 2)));
        v128.store(z + at, v);
        v128.store(y + at, act == ACTIVATION_RELU ? f32x4.max(v, zero) : v);
      }
    }
    return;
  }
  // One loop per activation, so the switch is resolved outside the loop.
  switch (act) {
    case ACTIVATION_LEAKY_RELU: forwardRows(z, bias, y, m, n, ld, ACTIVATION_LEAKY_RELU); break;
    case ACTIVATION_ELU: forwardRows(z, bias, y, m, n, ld, ACTIVATION_ELU); break;
    case ACTIVATION_GELU: forwardRows(z, bias, y, m, n, ld, ACTIVATION_GELU); break;
    case ACTIVATION_SELU: forwardRows(z, bias, y, m, n, ld, ACTIVATION_SELU); break;
    case ACTIVATION_SIGMOID: forwardRows(z, bias, y, m, n, ld, ACTIVATION_SIGMOID); break;
    default: forwardRows(z, bias, y, m, n, ld, ACTIVATION_TANH);
  }
}

// @ts-ignore: decorator
@inline function forwardRows(z: usize, bias: usize, y: usize, m: i32, n: i32, ld: i32, act: i32): void {
  for (let i = 0; i < m; i++) {
    const row = <usize>i * ld;
    for (let j = 0; j < n; j++) {
      const at = (row + j) << 2;
      const v = load<f32>(z + at) + load<f32>(bias + (<usize>j << 2));
      store<f32>(z + at, v);
      store<f32>(y + at, activate(v, act));
    }
    for (let j = n; j < ld; j++) store<f32>(y + ((row + j) << 2), 0);
  }
}

/** dz = dy · act′(z) over the first `n` columns; padding columns of dz are set to 0. */
export function activationBackward(dy: usize, z: usize, y: usize, dz: usize, m: i32, n: i32, ld: i32, act: i32): void {
  if (act == ACTIVATION_RELU) {
    // dz = dy where z > 0: padding columns have z = 0, so their dz is 0 as required.
    const zero = f32x4.splat(0);
    const count = m * ld;
    for (let i = 0; i < count; i += 4) {
      const at = <usize>i << 2;
      v128.store(dz + at, v128.and(v128.load(dy + at), f32x4.gt(v128.load(z + at), zero)));
    }
    return;
  }
  switch (act) {
    case ACTIVATION_LEAKY_RELU: backwardRows(dy, z, y, dz, m, n, ld, ACTIVATION_LEAKY_RELU); break;
    case ACTIVATION_ELU: backwardRows(dy, z, y, dz, m, n, ld, ACTIVATION_ELU); break;
    case ACTIVATION_GELU: backwardRows(dy, z, y, dz, m, n, ld, ACTIVATION_GELU); break;
    case ACTIVATION_SELU: backwardRows(dy, z, y, dz, m, n, ld, ACTIVATION_SELU); break;
    case ACTIVATION_SIGMOID: backwardRows(dy, z, y, dz, m, n, ld, ACTIVATION_SIGMOID); break;
    case ACTIVATION_TANH: backwardRows(dy, z, y, dz, m, n, ld, ACTIVATION_TANH); break;
    default: backwardRows(dy, z, y, dz, m, n, ld, ACTIVATION_LINEAR);
  }
}

// @ts-ignore: decorator
@inline function backwardRows(dy: usize, z: usize, y: usize, dz: usize, m: i32, n: i32, ld: i32, act: i32): void {
  for (let i = 0; i < m; i++) {
    const row = <usize>i * ld;
    for (let j = 0; j < n; j++) {
      const at = (row + j) << 2;
      store<f32>(dz + at, load<f32>(dy + at) * derivative(load<f32>(z + at), load<f32>(y + at), act));
    }
    for (let j = n; j < ld; j++) store<f32>(dz + ((row + j) << 2), 0);
  }
}

/** out[i] = a[i]·b[i] for `count` floats (dropout masks, forward and backward). */
export function multiply(a: usize, b: usize, out: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, f32x4.mul(v128.load(a + at), v128.load(b + at)));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, load<f32>(a + at) * load<f32>(b + at));
  }
}

/** out[j] = Σ_i dz[i, j] for j < ld: the bias gradient. */
export function columnSums(dz: usize, out: usize, m: i32, ld: i32): void {
  for (let j = 0; j < ld; j += 4) {
    let acc = f32x4.splat(0);
    for (let i = 0; i < m; i++) acc = f32x4.add(acc, v128.load(dz + ((<usize>i * ld + j) << 2)));
    v128.store(out + (<usize>j << 2), acc);
  }
}

/**
 * 16 bytes → 16 normalised floats `x·scale + offset` (scale = 1/(255·std), offset = −mean/std).
 * Computed in f32 with SIMD; within an ulp of the f64-derived lookup table of the TF.js path.
 */
// @ts-ignore: decorator
@inline function normalize16(src: usize, dst: usize, scale: v128, offset: v128): void {
  const bytes = v128.load(src);
  const low = i16x8.extend_low_i8x16_u(bytes);
  const high = i16x8.extend_high_i8x16_u(bytes);
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(low)), scale), offset));
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(low)), scale), offset), 16);
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(high)), scale), offset), 32);
  v128.store(dst, f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(high)), scale), offset), 48);
}

/**
 * Batch rows from the resident uint8 images: out[r, :] = normalise(pixels[index[r]·width + :]).
 * `width` must be a multiple of 16 (784 is).
 */
export function gatherRows(pixels: usize, indices: usize, count: i32, width: i32, out: usize, scale: f32, offset: f32): void {
  const vs = f32x4.splat(scale);
  const vo = f32x4.splat(offset);
  for (let r = 0; r < count; r++) {
    const src = pixels + <usize>load<i32>(indices + (<usize>r << 2)) * width;
    const dst = out + ((<usize>r * width) << 2);
    for (let c = 0; c < width; c += 16) normalize16(src + c, dst + (<usize>c << 2), vs, vo);
  }
}

/** out[i] = normalise(bytes[i]) for `count` bytes (a multiple of 16): augmented batches. */
export function normalizeBytes(bytes: usize, count: i32, out: usize, scale: f32, offset: f32): void {
  const vs = f32x4.splat(scale);
  const vo = f32x4.splat(offset);
  for (let i = 0; i < count; i += 16) normalize16(bytes + i, out + (<usize>i << 2), vs, vo);
}

// ---------------------------------------------------------------------------------------------
// Losses: logits [m × ld] (first `classes` columns real), integer labels; write dlogits (mean
// over the batch folded in), return the summed loss; `lastCorrect` holds the batch's hits.
// ---------------------------------------------------------------------------------------------

let correct: i32 = 0;

/** How many rows of the last `lossAndGradient` batch had their label as the largest logit. */
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
 * The batch's data loss (sum over rows of the per-row loss, divided as the loss defines) and its
 * gradient w.r.t. the logits into `dlogits` (padding columns zeroed).
 * - LOSS_CROSS_ENTROPY with label smoothing ε: −Σ t·log softmax, t = (1−ε)·onehot + ε/classes; mean.
 * - LOSS_MSE on softmax probabilities vs t; mean over m·classes.
 * - LOSS_HINGE, multi-class: Σ_{j≠y} max(0, 1 − x_y + x_j) / classes; mean over rows.
 */
export function lossAndGradient(
  logits: usize, labels: usize, dlogits: usize, m: i32, ld: i32, classes: i32,
  kind: i32, smoothing: f32,
): f64 {
  let total: f64 = 0;
  correct = 0;
  const off = smoothing / <f32>classes;
  const rowScale: f32 = 1 / <f32>m;
  for (let i = 0; i < m; i++) {
    const row = logits + ((<usize>i * ld) << 2);
    const drow = dlogits + ((<usize>i * ld) << 2);
    const label = load<i32>(labels + (<usize>i << 2));
    if (argMax(row, classes) == label) correct++;
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
  }
  return total / <f64>m;
}


// ---------------------------------------------------------------------------------------------
// Penalties and optimizers, over flat parameter regions (padding entries stay exactly 0).
// ---------------------------------------------------------------------------------------------

/** g += 2·l2·w + l1·sign(w): the gradient of l2·Σw² + l1·Σ|w|. */
export function penaltyGradient(w: usize, g: usize, count: i32, l2: f32, l1: f32): void {
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    const v = load<f32>(w + at);
    const sign: f32 = v > 0 ? 1 : v < 0 ? -1 : 0;
    store<f32>(g + at, load<f32>(g + at) + 2 * l2 * v + l1 * sign);
  }
}

/** w ← factor·w (AdamW's decoupled decay). */
export function scaleInPlace(w: usize, count: i32, factor: f32): void {
  const f = f32x4.splat(factor);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    v128.store(w + at, f32x4.mul(v128.load(w + at), f));
  }
  for (; i < count; i++) store<f32>(w + (<usize>i << 2), load<f32>(w + (<usize>i << 2)) * factor);
}

/** w ← w − lr·g. */
export function sgd(w: usize, g: usize, count: i32, lr: f32): void {
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    store<f32>(w + at, load<f32>(w + at) - lr * load<f32>(g + at));
  }
}

/** v ← μ·v + g; w ← w − lr·v, or Nesterov w ← w − lr·(g + μ·v) (TF.js `momentum`). */
export function momentum(w: usize, g: usize, v: usize, count: i32, lr: f32, mu: f32, nesterov: bool): void {
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    const grad = load<f32>(g + at);
    const vel = mu * load<f32>(v + at) + grad;
    store<f32>(v + at, vel);
    store<f32>(w + at, load<f32>(w + at) - lr * (nesterov ? grad + vel * mu : vel));
  }
}

/**
 * TF.js Adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * w ← w − lr·(m·c1)/(√(v·c2) + ε) with c1 = 1/(1−β1ᵗ), c2 = 1/(1−β2ᵗ).
 */
export function adam(
  w: usize, g: usize, m1: usize, m2: usize, count: i32,
  lr: f32, beta1: f32, beta2: f32, epsilon: f32, c1: f32, c2: f32,
): void {
  const vb1 = f32x4.splat(beta1), vb1c = f32x4.splat(1 - beta1);
  const vb2 = f32x4.splat(beta2), vb2c = f32x4.splat(1 - beta2);
  const vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  const veps = f32x4.splat(epsilon), vlr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    const grad = v128.load(g + at);
    const m = f32x4.add(f32x4.mul(vb1, v128.load(m1 + at)), f32x4.mul(vb1c, grad));
    const v = f32x4.add(f32x4.mul(vb2, v128.load(m2 + at)), f32x4.mul(vb2c, f32x4.mul(grad, grad)));
    v128.store(m1 + at, m);
    v128.store(m2 + at, v);
    const step = f32x4.div(f32x4.mul(m, vc1), f32x4.add(f32x4.sqrt(f32x4.mul(v, vc2)), veps));
    v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.mul(vlr, step)));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    const grad = load<f32>(g + at);
    const m = beta1 * load<f32>(m1 + at) + (1 - beta1) * grad;
    const v = beta2 * load<f32>(m2 + at) + (1 - beta2) * grad * grad;
    store<f32>(m1 + at, m);
    store<f32>(m2 + at, v);
    store<f32>(w + at, load<f32>(w + at) - lr * (m * c1) / (Mathf.sqrt(v * c2) + epsilon));
  }
}

/** TF.js RMSProp (not centred, momentum 0): s ← ρ·s + (1−ρ)·g²; w ← w − lr·g/√(s + ε). */
export function rmsprop(w: usize, g: usize, s: usize, count: i32, lr: f32, rho: f32, epsilon: f32): void {
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    const grad = load<f32>(g + at);
    const ms = rho * load<f32>(s + at) + (1 - rho) * grad * grad;
    store<f32>(s + at, ms);
    store<f32>(w + at, load<f32>(w + at) - (lr * grad) / Mathf.sqrt(ms + epsilon));
  }
}

/** TF.js Adagrad: a ← a + g²; w ← w − lr·g/√(a + ε), ε the backend's 1e-7. */
export function adagrad(w: usize, g: usize, acc: usize, count: i32, lr: f32, epsilon: f32): void {
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    const grad = load<f32>(g + at);
    const a = load<f32>(acc + at) + grad * grad;
    store<f32>(acc + at, a);
    store<f32>(w + at, load<f32>(w + at) - (lr * grad) / Mathf.sqrt(a + epsilon));
  }
}

/** Where the TypeScript side may start laying out its buffers (after this module's statics). */
export function heapBase(): usize {
  return __heap_base;
}
