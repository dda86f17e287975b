// The first layer on the input's nonzero pixels. An MNIST image is about 81% blank pixels, and
// the first layer is ~88% of W1's arithmetic, so both of its products skip them:
//
//   x = byte·scale + offset (the normalisation), so
//   z = x·W      = scale·Σ_{byte≠0} byte·W[p, :] + offset·Σ_p W[p, :]        (forward)
//   dW[p, :] = Σ_i x[i, p]·dz[i, :] = scale·Σ_{i: byte≠0} byte·dz[i, :] + offset·Σ_i dz[i, :]
//
// exactly, up to float rounding. Each row's nonzero pixels are listed once per step (in pixel
// order); each output element is computed by one thread in one fixed order (pixels ascending in
// the forward pass, batch rows ascending in the gradient), so any split gives the same bits.

/** acc + a·b: a fused multiply-add in the relaxed-SIMD build (as in products.ts). */
// @ts-ignore: decorator
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * Lists the nonzero bytes of batch rows `start…end−1`: row r's image is at
 * `pixels + rows[r]·width` when `resident` (the training file), else at `pixels + r·width`
 * (the augmented batch). Writes their pixel indices (i32, ascending) to `indices + r·width·4`,
 * their byte values (f32) to `values + r·width·4`, and how many to `counts[r]` (i32).
 * `width` must be a multiple of 16.
 */
export function listNonzeroInputs(
  pixels: usize, rows: usize, resident: bool, start: i32, end: i32, width: i32,
  indices: usize, values: usize, counts: usize,
): void {
  for (let r = start; r < end; r++) {
    const image = resident
      ? pixels + <usize>load<i32>(rows + (<usize>r << 2)) * width
      : pixels + <usize>r * width;
    const idx = indices + ((<usize>r * width) << 2);
    const val = values + ((<usize>r * width) << 2);
    let n = 0;
    for (let c = 0; c < width; c += 16) {
      if (!v128.any_true(v128.load(image + c))) continue;
      for (let k = 0; k < 16; k++) {
        const b = load<u8>(image + c + k);
        if (b != 0) {
          store<i32>(idx + (<usize>n << 2), c + k);
          store<f32>(val + (<usize>n << 2), <f32>b);
          n++;
        }
      }
    }
    store<i32>(counts + (<usize>r << 2), n);
  }
}

/**
 * z[r, :] = base[:] + scale·Σ_e values[e]·W[indices[e], :] for rows `start…end−1` of the lists
 * (`width` entries apart), over `n` columns (a multiple of 8; W and z rows `n` floats apart).
 * `base` is offset·Σ_p W[p, :] (see `columnSums`), or zeros without an offset.
 */
export function sparseInputProduct(
  indices: usize, values: usize, counts: usize, width: i32, w: usize, base: usize, scale: f32,
  z: usize, n: i32, start: i32, end: i32,
): void {
  const vs = f32x4.splat(scale);
  const sw = <usize>n << 2;
  for (let r = start; r < end; r++) {
    const idx = indices + ((<usize>r * width) << 2);
    const val = values + ((<usize>r * width) << 2);
    const count = load<i32>(counts + (<usize>r << 2));
    const zr = z + <usize>r * sw;
    let j = 0;
    for (; j + 16 <= n; j += 16) {
      const wj = w + (<usize>j << 2);
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (let e = 0; e < count; e++) {
        const row = wj + <usize>load<i32>(idx + (<usize>e << 2)) * sw;
        const v = v128.load_splat<f32>(val + (<usize>e << 2));
        a0 = madd(a0, v, v128.load(row));
        a1 = madd(a1, v, v128.load(row, 16));
        a2 = madd(a2, v, v128.load(row, 32));
        a3 = madd(a3, v, v128.load(row, 48));
      }
      const bj = base + (<usize>j << 2);
      const zj = zr + (<usize>j << 2);
      v128.store(zj, madd(v128.load(bj), vs, a0));
      v128.store(zj, madd(v128.load(bj, 16), vs, a1), 16);
      v128.store(zj, madd(v128.load(bj, 32), vs, a2), 32);
      v128.store(zj, madd(v128.load(bj, 48), vs, a3), 48);
    }
    for (; j < n; j += 8) {
      const wj = w + (<usize>j << 2);
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
      for (let e = 0; e < count; e++) {
        const row = wj + <usize>load<i32>(idx + (<usize>e << 2)) * sw;
        const v = v128.load_splat<f32>(val + (<usize>e << 2));
        a0 = madd(a0, v, v128.load(row));
        a1 = madd(a1, v, v128.load(row, 16));
      }
      const bj = base + (<usize>j << 2);
      const zj = zr + (<usize>j << 2);
      v128.store(zj, madd(v128.load(bj), vs, a0));
      v128.store(zj, madd(v128.load(bj, 16), vs, a1), 16);
    }
  }
}

/**
 * The first layer's weight gradient for pixel rows `p0…p1−1` of dW (`n` floats per row, a
 * multiple of 4): dW[p, :] = scale·Σ_i values·dz[i, :] over the batch rows i (ascending) whose
 * list holds p, then + offset·g[:], where g = Σ_i dz[i, :] (the bias gradient). `m` batch rows.
 */
export function sparseInputWeightGradient(
  indices: usize, values: usize, counts: usize, width: i32, m: i32, dz: usize, g: usize,
  scale: f32, offset: f32, dw: usize, n: i32, p0: i32, p1: i32,
): void {
  const sw = <usize>n << 2;
  memory.fill(dw + <usize>p0 * sw, 0, <usize>(p1 - p0) * sw);
  for (let i = 0; i < m; i++) {
    const idx = indices + ((<usize>i * width) << 2);
    const val = values + ((<usize>i * width) << 2);
    const count = load<i32>(counts + (<usize>i << 2));
    // The row's first listed pixel ≥ p0 (the list is ascending).
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (load<i32>(idx + (<usize>mid << 2)) < p0) lo = mid + 1;
      else hi = mid;
    }
    const dzi = dz + <usize>i * sw;
    for (let e = lo; e < count; e++) {
      const p = load<i32>(idx + (<usize>e << 2));
      if (p >= p1) break;
      const v = v128.load_splat<f32>(val + (<usize>e << 2));
      const row = dw + <usize>p * sw;
      for (let j = 0; j < n; j += 4) {
        const at = <usize>j << 2;
        v128.store(row + at, madd(v128.load(row + at), v, v128.load(dzi + at)));
      }
    }
  }
  const vs = f32x4.splat(scale);
  const vo = f32x4.splat(offset);
  for (let p = p0; p < p1; p++) {
    const row = dw + <usize>p * sw;
    for (let j = 0; j < n; j += 4) {
      const at = <usize>j << 2;
      v128.store(row + at, madd(f32x4.mul(vo, v128.load(g + at)), vs, v128.load(row + at)));
    }
  }
}
