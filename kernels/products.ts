// Matrix products of the fused kernel (see kernels/mlp.ts for the memory conventions).

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
