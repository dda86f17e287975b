import type { GpuLayerLayout, GpuLayout } from '../../core/gpuLayout.ts';
import { MNIST_PIXELS } from '../../core/idx.ts';
import { activationWgsl, f32Literal } from './activationWgsl.ts';
import type { GemmSpec } from './gemmShader.ts';

/**
 * The WGSL of the fused WebGPU engine's own passes, from its buffer plan (`core/gpuLayout.ts`):
 * the forward product of each layer (the first one gathering and normalising its input straight
 * from the resident pixel bytes), the backward product `dz·Wᵀ` of each layer above the first, and
 * the weight and bias gradients of every layer in one dispatch. Every shader shares one bind
 * group ({@link STEP_BINDINGS}); widths and offsets are baked in as constants, the batch size is
 * the `step` uniform. Semantics are the fused WASM kernel's (`src/ml/fused/rowsSection.ts`,
 * `weightsSection.ts`); batch norm's passes are `batchNormPass.ts`, the optimizer `optimizerPass.ts`.
 */

/** How the inputs are made: normalisation `byte·scale + offset`, and where the bytes come from. */
export interface InputPlan {
  /** 1/(255·std) and −mean/std, as f32 (the kernel's `StepPlan.scale`, `.offset`). */
  readonly scale: number;
  readonly offset: number;
  /** The pixels buffer holds the augmented batch `[B, 784]` (row r is batch row r), not the file. */
  readonly augmenting: boolean;
}

/**
 * The bindings every engine shader declares (one bind group layout): the step uniform, the
 * parameters (read), gradients, activations, pixel bytes, batch rows and labels, and stats.
 */
export const STEP_BINDINGS = [
  { binding: 0, type: 'uniform' },
  { binding: 1, type: 'read-only-storage' },
  { binding: 2, type: 'storage' },
  { binding: 3, type: 'storage' },
  { binding: 4, type: 'read-only-storage' },
  { binding: 5, type: 'read-only-storage' },
  { binding: 6, type: 'storage' },
] as const satisfies readonly { binding: number; type: GPUBufferBindingType }[];

/** The shared WGSL header: bindings, the step uniform and the input gather. */
export function stepHeader(layout: GpuLayout, input: InputPlan): string {
  const mask =
    layout.inputMask === null ? '' : `x = x * act[${layout.inputMask / 4}u + r * ${MNIST_PIXELS}u + p];`;
  return /* wgsl */ `
struct Step {
  batch: u32,
  slot: u32,
  unused0: u32,
  unused1: u32,
}
@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> act: array<f32>;
@group(0) @binding(4) var<storage, read> pixels: array<u32>;
@group(0) @binding(5) var<storage, read> batchRows: array<i32>;
@group(0) @binding(6) var<storage, read_write> stats: array<f32>;

const MAX_BATCH = ${layout.batch}u;

/** Batch row r's normalised pixel p (with the input dropout mask), from the bytes. */
fn inputAt(r: u32, p: u32) -> f32 {
  let image = ${input.augmenting ? 'r' : 'u32(batchRows[r])'};
  let at = image * ${MNIST_PIXELS}u + p;
  let byte = (pixels[at >> 2u] >> ((at & 3u) * 8u)) & 255u;
  var x = f32(byte) * ${f32Literal(input.scale)} + ${f32Literal(input.offset)};
  ${mask}
  return x;
}
`;
}

/** Where a forward or backward product's split-K partial sums go (they run one at a time). */
function passPartials(layout: GpuLayout): Pick<GemmSpec, 'partials'> {
  return layout.partials === null ? {} : { partials: { at: layout.partials / 4, rows: layout.batch } };
}

/** Float index into `act` of a region's element (row, column). */
const at = (byteOffset: number, width: number, row: string, column: string) =>
  `${byteOffset / 4}u + ${row} * ${width}u + ${column}`;

function layerAt(layout: GpuLayout, index: number): GpuLayerLayout {
  const layer = layout.layers[index];
  if (layer === undefined) throw new Error(`gpu layout: no layer ${index + 1}`);
  return layer;
}

/** What the next layer reads: hidden layer l's output h (or the input). */
function layerInput(layout: GpuLayout, index: number, row: string, column: string): string {
  if (index === 0) return `inputAt(${row}, ${column})`;
  const below = layerAt(layout, index - 1);
  if (below.h === null) throw new Error('gpu layout: a hidden layer has no output region');
  return `act[${at(below.h, below.fanOut, row, column)}]`;
}

/**
 * Layer `index`'s forward product z = h·W + b; then, unless batch norm follows (its pass does the
 * rest), h = act(z)·mask. The output layer stops at z (the logits).
 */
export function forwardSpec(layout: GpuLayout, index: number): { spec: GemmSpec; functions: string } {
  const l = layerAt(layout, index);
  const output = index === layout.layers.length - 1;
  const z = at(l.z, l.fanOut, 'm', 'n');
  const prefix = `layer${index}_`;
  let store = `let z = v + params[${l.bias}u + n];\n  act[${z}] = z;`;
  if (!output && l.y === null) {
    if (l.h === null) throw new Error('gpu layout: a hidden layer has no output region');
    const mask = l.mask === null ? '' : ` * act[${at(l.mask, l.fanOut, 'm', 'n')}]`;
    store += `\n  act[${at(l.h, l.fanOut, 'm', 'n')}] = ${prefix}activate(z)${mask};`;
  }
  return {
    spec: {
      name: `forward${index}`,
      m: 'batch',
      n: l.fanOut,
      k: l.fanIn,
      loadA: `return ${layerInput(layout, index, 'm', 'k')};`,
      contiguousA: 'k',
      loadB: `return params[${l.kernel}u + k * ${l.fanOut}u + n];`,
      contiguousB: 'n',
      store,
      plan: l.forward,
      ...passPartials(layout),
    },
    functions: output ? '' : activationWgsl(l.activation, prefix),
  };
}

/**
 * Layer `index`'s (≥ 1) backward product dh = dz·Wᵀ into the layer below, with its dropout mask
 * and act′ fused: the layer below's dz (its dy, the gradient w.r.t. batch norm's output y, when
 * it has batch norm, whose backward pass turns it into dz in place).
 */
export function backwardSpec(layout: GpuLayout, index: number): { spec: GemmSpec; functions: string } {
  const l = layerAt(layout, index);
  const below = layerAt(layout, index - 1);
  const width = below.fanOut;
  const pre = at(below.y ?? below.z, width, 'm', 'n');
  const mask = below.mask === null ? '' : `\n  d = d * act[${at(below.mask, width, 'm', 'n')}];`;
  const prefix = `below${index}_`;
  if (l.backward === null) throw new Error('gpu layout: the first layer has no backward product');
  return {
    spec: {
      name: `backward${index}`,
      m: 'batch',
      n: width,
      k: l.fanOut,
      loadA: `return act[${at(l.dz, l.fanOut, 'm', 'k')}];`,
      contiguousA: 'k',
      loadB: `return params[${l.kernel}u + n * ${l.fanOut}u + k];`,
      contiguousB: 'k',
      store: `let x = act[${pre}];
  var d = v;${mask}
  act[${at(below.dz, width, 'm', 'n')}] = d * ${prefix}derivative(x, ${prefix}activate(x));`,
      plan: l.backward,
      ...passPartials(layout),
    },
    functions: activationWgsl(below.activation, prefix),
  };
}

/**
 * Every layer's weight gradient hᵀ·dz `[fanIn, fanOut]` and bias gradient Σ_rows dz `[fanOut]`
 * as one product per layer: A is hᵀ with a row of ones appended (row fanIn), whose output row is
 * the bias gradient. Written into `grads` at the parameters' offsets.
 */
export function weightGradientSpecs(layout: GpuLayout): GemmSpec[] {
  return layout.layers.map((l, index) => ({
    name: `weights${index}`,
    m: l.fanIn + 1,
    n: l.fanOut,
    k: 'batch',
    loadA: `if (m == ${l.fanIn}u) { return 1.0; }\n  return ${layerInput(layout, index, 'k', 'm')};`,
    contiguousA: 'm',
    loadB: `return act[${at(l.dz, l.fanOut, 'k', 'n')}];`,
    contiguousB: 'n',
    store: `if (m == ${l.fanIn}u) { grads[${l.bias}u + n] = v; } else { grads[${l.kernel}u + m * ${l.fanOut}u + n] = v; }`,
    plan: l.weights,
    partials: { at: l.weightPartials / 4, rows: l.fanIn + 1 },
  }));
}
