// Penalties and optimizers of the fused kernel, over flat parameter regions (padding entries
// stay exactly 0). Threads split the parameters into ranges (multiples of 8 floats); every entry
// is updated by one thread with the same operations, so the result is the same for any split.
//
// Every value an optimizer keeps from step to step (its state, and the weights) is flushed to 0
// when it falls below the smallest normal float (1.18e-38). Adam's moments for weights whose
// gradient stays 0 (pixels blank in most images) decay geometrically into subnormal floats, and
// many x86 CPUs compute on subnormals 60–90× slower (one Adam update over W1's 109,440 parameters:
// 75–111 µs with normal values, 6.9 ms with subnormal ones, on an Intel Xeon). The flushed values
// are under 1e-38, so no result changes measurably.

/** The smallest normal f32, 2⁻¹²⁶. */
const MIN_NORMAL: f32 = 1.1754943508222875e-38;

/** v with every lane whose magnitude is below the normal range set to +0. */
// @ts-ignore: decorator
@inline function flush4(v: v128): v128 {
  return v128.and(v, f32x4.ge(f32x4.abs(v), f32x4.splat(MIN_NORMAL)));
}

/** x, or +0 when its magnitude is below the normal range. */
// @ts-ignore: decorator
@inline function flush(x: f32): f32 {
  return Mathf.abs(x) >= MIN_NORMAL ? x : 0;
}

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
    v128.store(w + at, flush4(f32x4.mul(v128.load(w + at), f)));
  }
  for (; i < count; i++) store<f32>(w + (<usize>i << 2), flush(load<f32>(w + (<usize>i << 2)) * factor));
}

/** w ← w − lr·g. */
export function sgd(w: usize, g: usize, count: i32, lr: f32): void {
  const vlr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    v128.store(w + at, flush4(f32x4.sub(v128.load(w + at), f32x4.mul(vlr, v128.load(g + at)))));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    store<f32>(w + at, flush(load<f32>(w + at) - lr * load<f32>(g + at)));
  }
}

/** v ← μ·v + g; w ← w − lr·v, or Nesterov w ← w − lr·(g + μ·v) (TF.js `momentum`). */
export function momentum(w: usize, g: usize, v: usize, count: i32, lr: f32, mu: f32, nesterov: bool): void {
  const vmu = f32x4.splat(mu);
  const vlr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    const grad = v128.load(g + at);
    const vel = flush4(f32x4.add(f32x4.mul(vmu, v128.load(v + at)), grad));
    v128.store(v + at, vel);
    const step = nesterov ? f32x4.add(grad, f32x4.mul(vel, vmu)) : vel;
    v128.store(w + at, flush4(f32x4.sub(v128.load(w + at), f32x4.mul(vlr, step))));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    const grad = load<f32>(g + at);
    const vel = flush(mu * load<f32>(v + at) + grad);
    store<f32>(v + at, vel);
    store<f32>(w + at, flush(load<f32>(w + at) - lr * (nesterov ? grad + vel * mu : vel)));
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
    const m = flush4(f32x4.add(f32x4.mul(vb1, v128.load(m1 + at)), f32x4.mul(vb1c, grad)));
    const v = flush4(f32x4.add(f32x4.mul(vb2, v128.load(m2 + at)), f32x4.mul(vb2c, f32x4.mul(grad, grad))));
    v128.store(m1 + at, m);
    v128.store(m2 + at, v);
    const step = f32x4.div(f32x4.mul(m, vc1), f32x4.add(f32x4.sqrt(f32x4.mul(v, vc2)), veps));
    v128.store(w + at, flush4(f32x4.sub(v128.load(w + at), f32x4.mul(vlr, step))));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    const grad = load<f32>(g + at);
    const m = flush(beta1 * load<f32>(m1 + at) + (1 - beta1) * grad);
    const v = flush(beta2 * load<f32>(m2 + at) + (1 - beta2) * grad * grad);
    store<f32>(m1 + at, m);
    store<f32>(m2 + at, v);
    store<f32>(w + at, flush(load<f32>(w + at) - lr * (m * c1) / (Mathf.sqrt(v * c2) + epsilon)));
  }
}

/** TF.js RMSProp (not centred, momentum 0): s ← ρ·s + (1−ρ)·g²; w ← w − lr·g/√(s + ε). */
export function rmsprop(w: usize, g: usize, s: usize, count: i32, lr: f32, rho: f32, epsilon: f32): void {
  const vrho = f32x4.splat(rho), vrhoc = f32x4.splat(1 - rho);
  const veps = f32x4.splat(epsilon), vlr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    const grad = v128.load(g + at);
    const ms = flush4(f32x4.add(f32x4.mul(vrho, v128.load(s + at)), f32x4.mul(vrhoc, f32x4.mul(grad, grad))));
    v128.store(s + at, ms);
    const step = f32x4.div(f32x4.mul(vlr, grad), f32x4.sqrt(f32x4.add(ms, veps)));
    v128.store(w + at, flush4(f32x4.sub(v128.load(w + at), step)));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    const grad = load<f32>(g + at);
    const ms = flush(rho * load<f32>(s + at) + (1 - rho) * grad * grad);
    store<f32>(s + at, ms);
    store<f32>(w + at, flush(load<f32>(w + at) - (lr * grad) / Mathf.sqrt(ms + epsilon)));
  }
}

/** TF.js Adagrad: a ← a + g²; w ← w − lr·g/√(a + ε), ε the backend's 1e-7. */
export function adagrad(w: usize, g: usize, acc: usize, count: i32, lr: f32, epsilon: f32): void {
  const veps = f32x4.splat(epsilon), vlr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    const grad = v128.load(g + at);
    const a = flush4(f32x4.add(v128.load(acc + at), f32x4.mul(grad, grad)));
    v128.store(acc + at, a);
    const step = f32x4.div(f32x4.mul(vlr, grad), f32x4.sqrt(f32x4.add(a, veps)));
    v128.store(w + at, flush4(f32x4.sub(v128.load(w + at), step)));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    const grad = load<f32>(g + at);
    const a = flush(load<f32>(acc + at) + grad * grad);
    store<f32>(acc + at, a);
    store<f32>(w + at, flush(load<f32>(w + at) - (lr * grad) / Mathf.sqrt(a + epsilon)));
  }
}
