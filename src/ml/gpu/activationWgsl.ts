import type { Activation } from '../../core/config.ts';

/**
 * The activations of the fused WebGPU engine in WGSL, with the formulas and constants of the
 * fused WASM kernel (`activate` and `derivative` in `kernels/layers.ts`), so every engine trains
 * the same network (to float rounding). One place for the engine's shaders and the batch-norm
 * pass's epilogue.
 *
 * tanh (also inside GELU) is written out, `sign(x)·(1 − e^(−2|x|))/(1 + e^(−2|x|))`, in a
 * `stableTanh` each {@link activationWgsl} defines with its prefix: some GPU drivers compute
 * WGSL's builtin `tanh` through `exp(2x)`, which overflows to NaN for |x| above ~44.
 */

/** WGSL of an exact f32 constant (its bits), so no decimal rounding can move it. */
export function f32Literal(value: number): string {
  const bits = new Uint32Array(new Float32Array([value]).buffer)[0] ?? 0;
  return `bitcast<f32>(${bits}u)`;
}

const SELU_SCALE = f32Literal(1.0507009873554805);
const SELU_ALPHA = f32Literal(1.6732632423543772);
const GELU_C = f32Literal(0.7978845608028654); // √(2/π)

/** `act(x)` as one WGSL expression of `x`. */
function activateExpression(activation: Activation): string {
  switch (activation) {
    case 'relu':
      return 'max(x, 0.0)';
    case 'leakyRelu':
      return 'select(0.01 * x, x, x > 0.0)';
    case 'elu':
      return 'select(exp(x) - 1.0, x, x > 0.0)';
    case 'gelu':
      return `0.5 * x * (1.0 + TANH((x + 0.044715 * x * x * x) * ${GELU_C}))`;
    case 'selu':
      return `select(${SELU_SCALE} * ${SELU_ALPHA} * (exp(x) - 1.0), ${SELU_SCALE} * x, x > 0.0)`;
    case 'sigmoid':
      return '1.0 / (1.0 + exp(-x))';
    case 'tanh':
      return 'TANH(x)';
    case 'linear':
      return 'x';
    default:
      return activation satisfies never;
  }
}

/** `act′(x)` as a WGSL body over `x` (the activation's input) and `y = act(x)`. */
function derivativeBody(activation: Activation): string {
  switch (activation) {
    case 'relu':
      return 'return select(0.0, 1.0, x > 0.0);';
    case 'leakyRelu':
      return 'return select(0.01, 1.0, x > 0.0);';
    case 'elu':
      return 'return select(y + 1.0, 1.0, x > 0.0);';
    case 'gelu':
      return `let t = TANH((x + 0.044715 * x * x * x) * ${GELU_C});
  return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * ${GELU_C} * (1.0 + 0.134145 * x * x);`;
    case 'selu':
      return `return select(${SELU_SCALE} * ${SELU_ALPHA} * exp(x), ${SELU_SCALE}, x > 0.0);`;
    case 'sigmoid':
      return 'return y * (1.0 - y);';
    case 'tanh':
      return 'return 1.0 - y * y;';
    case 'linear':
      return 'return 1.0;';
    default:
      return activation satisfies never;
  }
}

/**
 * WGSL defining `fn activate(x: f32) -> f32` and `fn derivative(x: f32, y: f32) -> f32` (x the
 * activation's input, y = activate(x)) for `activation`, with `prefix` before each name (a
 * shader with several layers defines one pair per layer: `layer1_activate`, …).
 */
export function activationWgsl(activation: Activation, prefix = ''): string {
  const named = (body: string) => body.replaceAll('TANH(', `${prefix}stableTanh(`);
  return /* wgsl */ `
fn ${prefix}stableTanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn ${prefix}activate(x: f32) -> f32 {
  return ${named(activateExpression(activation))};
}
fn ${prefix}derivative(x: f32, y: f32) -> f32 {
  ${named(derivativeBody(activation))}
}
`;
}
