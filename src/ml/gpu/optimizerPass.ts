import type { OptimizerConfig, TrainingConfig } from '../../core/config.ts';
import { stateBuffers } from '../../core/fusedLayout.ts';
import { GPU_OPTIMIZER_UNIFORM_BYTES } from '../../core/gpuLayout.ts';
import { BACKEND_EPSILON } from '../fused/weightsSection.ts';

/**
 * The L1/L2 penalty and the optimizer update of every parameter of the fused WebGPU engine, as
 * ONE compute dispatch over one flat `params` buffer, with exactly the update rules of the fused
 * WASM kernel (`kernels/optimizers.ts`, called as `src/ml/fused/weightsSection.ts` does), which
 * are TF.js's (`src/ml/optimizers.ts`):
 *
 * - on the decayable floats `[0, decayFloats)` (the dense kernels) only: `g += 2·l2·w + l1·sign(w)`
 *   when l1 or l2 is not 0, then for AdamW the decoupled decay `w ← w·(1 − lr·weightDecay)`;
 * - on every float: sgd, momentum (Nesterov), Adam/AdamW (bias corrections c1, c2), RMSprop
 *   (ρ, ε under the root, momentum 0, not centred — the config has no other), Adagrad
 *   (accumulator starting at the config's `epsilon`, TF.js's backend ε 1e-7 under the root);
 * - every value kept between steps (weights, state) is flushed to +0 below the smallest normal
 *   float, as the WASM kernel does (GPUs may flush subnormals anyway; this makes it certain).
 *   WGSL also lets a GPU read a subnormal input as 0, so a subnormal weight handed in from outside
 *   could miss its L1 push (sign 0) on its first step, where the kernel gives it one: harmless,
 *   as no update leaves a subnormal weight behind.
 *
 * Which state buffers exist is the fused layout's rule ({@link stateBuffers}): `state1` holds the
 * velocity / Adam's first moment / RMSprop's mean square, `state2` Adam's second moment / Adagrad's
 * accumulator; both `[paramFloats]` f32 with the same layout as `params` and `grads`.
 */

/** The hyperparameters the pass reads: the optimizer and the loss's penalties. */
export interface OptimizerPassConfig {
  readonly optimizer: OptimizerConfig;
  readonly loss: Pick<TrainingConfig['loss'], 'l1' | 'l2'>;
}

/** The buffers and sizes of one model's flat parameter layout. */
export interface OptimizerPassBuffers {
  /** Every parameter, f32 `[paramFloats]`: dense kernels first, then biases, γ, β. Needs STORAGE. */
  readonly params: GPUBuffer;
  /** Their gradients, same layout; only read (the penalty is added in registers). Needs STORAGE. */
  readonly grads: GPUBuffer;
  /** How many floats `params` and `grads` hold (the buffers may be larger). */
  readonly paramFloats: number;
  /** The leading floats that L1/L2 and AdamW's decay act on: the dense kernels. */
  readonly decayFloats: number;
}

/** The per-step arguments, as the WASM kernel's `StepArguments` (`FusedEngine.stepArguments`). */
export interface OptimizerStepArguments {
  readonly learningRate: number;
  /** Adam's first-moment correction 1/(1 − β1ᵗ) at step t (from 1); 1 for other optimizers. */
  readonly c1: number;
  /** Adam's second-moment correction 1/(1 − β2ᵗ); 1 for other optimizers. */
  readonly c2: number;
}

const WORKGROUP_SIZE = 256;
/** Bytes of the uniform block `Arguments` below: 16 four-byte fields (the GPU plan counts them). */
const ARGUMENT_BYTES = GPU_OPTIMIZER_UNIFORM_BYTES;

/** The whole update for `kind`, in WGSL; `state1`/`state2` are declared only where used. */
function shaderSource(optimizer: OptimizerConfig): string {
  const [hasState1, hasState2] = stateBuffers(optimizer.kind);
  const state = [
    hasState1 ? '@group(0) @binding(3) var<storage, read_write> state1: array<f32>;' : '',
    hasState2 ? '@group(0) @binding(4) var<storage, read_write> state2: array<f32>;' : '',
  ].join('\n');
  return /* wgsl */ `
struct Arguments {
  learningRate: f32, c1: f32, c2: f32, decayFactor: f32,
  beta1: f32, beta2: f32, epsilon: f32, momentum: f32,
  rho: f32, l1: f32, l2: f32, backendEpsilon: f32,
  paramFloats: u32, decayFloats: u32, penalise: u32, decay: u32,
}
@group(0) @binding(0) var<uniform> args: Arguments;
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read> grads: array<f32>;
${state}

const MIN_NORMAL: f32 = 1.1754943508222875e-38;

/** x, or +0 when its magnitude is below the normal range (NaN too, as the kernel's mask). */
fn flush(x: f32) -> f32 {
  return select(0.0, x, abs(x) >= MIN_NORMAL);
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let stride = groups.x * ${WORKGROUP_SIZE}u;
  let lr = args.learningRate;
  for (var i = id.x; i < args.paramFloats; i += stride) {
    var w = params[i];
    var g = grads[i];
    if (i < args.decayFloats) {
      if (args.penalise != 0u) {
        g = g + 2.0 * args.l2 * w + args.l1 * sign(w);
      }
      if (args.decay != 0u) {
        w = flush(w * args.decayFactor);
      }
    }
${updateSource(optimizer)}
  }
}
`;
}

/** The update of `w` from `g` (and the state at `i`), ending with `params[i]` stored. */
function updateSource(optimizer: OptimizerConfig): string {
  switch (optimizer.kind) {
    case 'sgd':
      return `    params[i] = flush(w - lr * g);`;
    case 'momentum': {
      const step = optimizer.nesterov ? 'g + velocity * args.momentum' : 'velocity';
      return `
    let velocity = flush(args.momentum * state1[i] + g);
    state1[i] = velocity;
    params[i] = flush(w - lr * (${step}));`;
    }
    case 'adam':
    case 'adamw':
      return `
    let m = flush(args.beta1 * state1[i] + (1.0 - args.beta1) * g);
    let v = flush(args.beta2 * state2[i] + (1.0 - args.beta2) * (g * g));
    state1[i] = m;
    state2[i] = v;
    params[i] = flush(w - lr * ((m * args.c1) / (sqrt(v * args.c2) + args.epsilon)));`;
    case 'rmsprop':
      return `
    let meanSquare = flush(args.rho * state1[i] + (1.0 - args.rho) * (g * g));
    state1[i] = meanSquare;
    params[i] = flush(w - (lr * g) / sqrt(meanSquare + args.epsilon));`;
    case 'adagrad':
      return `
    let accumulator = flush(state2[i] + g * g);
    state2[i] = accumulator;
    params[i] = flush(w - (lr * g) / sqrt(accumulator + args.backendEpsilon));`;
    default:
      return optimizer.kind satisfies never;
  }
}

function checkLayout(buffers: OptimizerPassBuffers): void {
  const { params, grads, paramFloats, decayFloats } = buffers;
  if (!Number.isInteger(paramFloats) || paramFloats < 1)
    throw new Error(`OptimizerPass: paramFloats must be a positive integer, not ${paramFloats}`);
  if (!Number.isInteger(decayFloats) || decayFloats < 0 || decayFloats > paramFloats)
    throw new Error(
      `OptimizerPass: decayFloats must be an integer in [0, ${paramFloats}], not ${decayFloats}`,
    );
  for (const [name, buffer] of [
    ['params', params],
    ['grads', grads],
  ] as const) {
    if (buffer.size < paramFloats * 4)
      throw new Error(`OptimizerPass: ${name} holds ${buffer.size} bytes, fewer than ${paramFloats} floats`);
  }
}

/**
 * One model's optimizer on the GPU. Per step: {@link writeArguments} before the step's submit,
 * {@link record} inside its compute pass after the gradients are complete. Owns its state and
 * uniform buffers (not `params`/`grads`).
 */
export class OptimizerPass {
  /** Compute dispatches {@link record} adds per step. */
  readonly dispatches = 1;
  /** Velocity, Adam's m, or RMSprop's mean square: f32 `[paramFloats]`; null when unused. */
  readonly state1: GPUBuffer | null;
  /** Adam's v or Adagrad's accumulator: f32 `[paramFloats]`; null when unused. */
  readonly state2: GPUBuffer | null;

  private readonly pipeline: GPUComputePipeline;
  private readonly bindGroup: GPUBindGroup;
  private readonly uniform: GPUBuffer;
  private readonly argumentData = new ArrayBuffer(ARGUMENT_BYTES);
  private readonly workgroups: number;

  constructor(
    private readonly device: GPUDevice,
    private readonly config: OptimizerPassConfig,
    private readonly buffers: OptimizerPassBuffers,
  ) {
    checkLayout(buffers);
    const { optimizer, loss } = config;
    const { paramFloats } = buffers;
    const [hasState1, hasState2] = stateBuffers(optimizer.kind);
    const stateBuffer = (label: string) =>
      device.createBuffer({
        label,
        size: paramFloats * 4,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
      });
    this.state1 = hasState1 ? stateBuffer('optimizer state 1') : null;
    this.state2 = hasState2 ? stateBuffer('optimizer state 2') : null;
    this.uniform = device.createBuffer({
      label: 'optimizer arguments',
      size: ARGUMENT_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const module = device.createShaderModule({
      label: `optimizer ${optimizer.kind}`,
      code: shaderSource(optimizer),
    });
    this.pipeline = device.createComputePipeline({
      label: `optimizer ${optimizer.kind}`,
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.uniform } },
      { binding: 1, resource: { buffer: buffers.params, size: paramFloats * 4 } },
      { binding: 2, resource: { buffer: buffers.grads, size: paramFloats * 4 } },
    ];
    if (this.state1 !== null) entries.push({ binding: 3, resource: { buffer: this.state1 } });
    if (this.state2 !== null) entries.push({ binding: 4, resource: { buffer: this.state2 } });
    this.bindGroup = device.createBindGroup({
      label: 'optimizer',
      layout: this.pipeline.getBindGroupLayout(0),
      entries,
    });
    this.workgroups = Math.min(
      Math.ceil(paramFloats / WORKGROUP_SIZE),
      device.limits.maxComputeWorkgroupsPerDimension,
    );
    const floats = new Float32Array(this.argumentData);
    floats.set([optimizer.beta1, optimizer.beta2, optimizer.epsilon, optimizer.momentum], 4);
    floats.set([optimizer.rho, loss.l1, loss.l2, BACKEND_EPSILON], 8);
    const words = new Uint32Array(this.argumentData);
    words.set([paramFloats, buffers.decayFloats, loss.l1 > 0 || loss.l2 > 0 ? 1 : 0, 0], 12);
    this.initialise();
  }

  /**
   * Sets the state as a fresh optimizer has it: zeros, and Adagrad's accumulator at the config's
   * `epsilon` (TF.js's `initialAccumulatorValue`). Done by the constructor; call again to restart.
   */
  initialise(): void {
    const { paramFloats } = this.buffers;
    const queue = this.device.queue;
    if (this.state1 !== null) queue.writeBuffer(this.state1, 0, new Float32Array(paramFloats));
    const { optimizer } = this.config;
    const initial = optimizer.kind === 'adagrad' ? optimizer.epsilon : 0;
    if (this.state2 !== null) queue.writeBuffer(this.state2, 0, new Float32Array(paramFloats).fill(initial));
  }

  /**
   * Writes this step's arguments; call before the submit of the step whose pass {@link record}ed
   * the update. AdamW's decay factor `1 − lr·weightDecay` is computed here in double precision
   * and rounded once, as the WASM kernel's caller does; a factor of exactly 1 skips the decay.
   */
  writeArguments(queue: GPUQueue, step: OptimizerStepArguments): void {
    const { optimizer } = this.config;
    const factor = optimizer.kind === 'adamw' ? 1 - step.learningRate * optimizer.weightDecay : 1;
    new Float32Array(this.argumentData).set([step.learningRate, step.c1, step.c2, factor], 0);
    new Uint32Array(this.argumentData)[15] = factor !== 1 ? 1 : 0;
    queue.writeBuffer(this.uniform, 0, this.argumentData);
  }

  /** Adds the one dispatch (penalty, decay, update) to `pass`; sets its own pipeline and group 0. */
  record(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(this.workgroups);
  }

  /** Destroys the state and uniform buffers (the caller owns `params` and `grads`). */
  dispose(): void {
    this.state1?.destroy();
    this.state2?.destroy();
    this.uniform.destroy();
  }
}
