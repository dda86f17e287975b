// Elementwise layers of the fused kernel: activations, dropout masks, bias gradients, and the
// batch gather with input normalisation (see kernels/mlp.ts for the memory conventions).

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
/** ReLU's and linear's codes, for the four-lane fast paths of batchNorm.ts. */
export const RELU: i32 = ACTIVATION_RELU;
export const LINEAR: i32 = ACTIVATION_LINEAR;

const SELU_SCALE: f32 = 1.0507009873554805;
const SELU_ALPHA: f32 = 1.6732632423543772;
const GELU_C: f32 = 0.7978845608028654; // √(2/π)

/** act(z) for one value (also used by batchNorm.ts). */
// @ts-ignore: decorator
@inline export function activate(z: f32, act: i32): f32 {
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

/** d activation / dz, from the pre-activation `z` and the activation `y` (also used by batchNorm.ts). */
// @ts-ignore: decorator
@inline export function derivative(z: f32, y: f32, act: i32): f32 {
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

/**
 * out[j] = Σ_i dz[i, j] for j < n (a multiple of 4), rows `ld` floats apart: the bias gradient.
 * Each column is summed in row order, so a thread summing a slice of columns gets the same sums.
 */
export function columnSums(dz: usize, out: usize, m: i32, n: i32, ld: i32): void {
  for (let j = 0; j < n; j += 4) {
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

/**
 * Inverted-dropout mask `[rows, width]` at `ld` floats per row (columns width…ld−1 set to 0),
 * drawn row-major from the run's dropout stream: SFC32 (as `SeededRandom` in
 * src/core/random.ts), whose four u32 state words live at `state` and are advanced in place. A
 * unit is kept (value `kept` = 1/keep) when u32/2³² < keep, i.e. when u32 < `threshold` =
 * keep·2³², exactly the TypeScript draw `nextFloat() < keep`, so both engines drop the same units.
 */
export function dropoutMask(state: usize, out: usize, rows: i32, width: i32, ld: i32, threshold: f64, kept: f32): void {
  let a = load<u32>(state);
  let b = load<u32>(state, 4);
  let c = load<u32>(state, 8);
  let d = load<u32>(state, 12);
  for (let r = 0; r < rows; r++) {
    const row = out + ((<usize>r * ld) << 2);
    for (let j = 0; j < width; j++) {
      const t = a + b + d;
      d += 1;
      a = b ^ (b >>> 9);
      b = c + (c << 3);
      c = ((c << 21) | (c >>> 11)) + t;
      store<f32>(row + (<usize>j << 2), <f64>t < threshold ? kept : 0);
    }
    for (let j = width; j < ld; j++) store<f32>(row + (<usize>j << 2), 0);
  }
  store<u32>(state, a);
  store<u32>(state, b, 4);
  store<u32>(state, c, 8);
  store<u32>(state, d, 12);
}
