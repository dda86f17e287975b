import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from '../../core/batchNorm.ts';
import type { Activation } from '../../core/config.ts';
import { GPU_BATCH_NORM_STATISTICS, GPU_REGION_ALIGN } from '../../core/gpuLayout.ts';
import { varianceRate } from '../fused/columnsSection.ts';
import { activationWgsl } from './activationWgsl.ts';

/**
 * Training-mode batch norm of one hidden layer of the fused WebGPU engine, one compute dispatch
 * each way, with exactly the arithmetic of the fused WASM kernel (`kernels/batchNorm.ts`, called
 * as `src/ml/fused/columnsSection.ts` does) and of the TF.js model (`src/ml/mlp.ts`):
 *
 * - **forward**: per column of z `[B, width]` (the dense layer's output, bias included) the batch
 *   mean μ and biased variance σ² (two passes: Σz, then Σ(z − μ)²); z is overwritten with
 *   x̂ = (z − μ)·(1/√(σ² + ε)), y = γ·x̂ + β is written, and h = act(y)·mask (the layer's output);
 *   μ and 1/√(σ² + ε) are saved for the backward pass; the running statistics move as PyTorch's:
 *   mean ← 0.9·mean + 0.1·μ, variance ← 0.9·variance + 0.1·σ²·B/(B − 1) (biased at B = 1),
 *   flushed to +0 below the smallest normal float.
 * - **backward**: from dy `[B, width]` (the gradient w.r.t. y, written by the engine into the dz
 *   region with the mask and act′ applied) and x̂: dβ = Σ dy, dγ = Σ dy·x̂ into `grads` at γ's and
 *   β's offsets, and dz = γ/(B·√(σ² + ε))·(B·dy − dβ − x̂·dγ) over dy in place.
 *
 * A workgroup owns 16 whole columns (16 × 16 invocations: a column each in x, 16 row lanes in y),
 * so the column sums are reduced in workgroup memory and nothing crosses workgroups: each way is
 * one dispatch of ⌈width/16⌉ workgroups. The sums run in another order than the kernel's row
 * order, so results agree to float rounding, not bit for bit.
 */

/** The layer's place in the engine's buffers. */
export interface BatchNormLayer {
  /** Units (columns) of the layer. */
  readonly width: number;
  /** Floats from one row to the next in every `[B, ·]` region (≥ width; the engine uses width). */
  readonly rowStride: number;
  /** The largest batch of the run: the regions are bound for this many rows. */
  readonly maxBatch: number;
  /** The activation after batch norm (the forward pass applies it). */
  readonly activation: Activation;
  /** Float offsets of γ and β `[width]` in `params`; dγ and dβ go to the same offsets in `grads`. */
  readonly gamma: number;
  readonly beta: number;
  /**
   * Byte offsets into `activations` (multiples of 256) of the `[B, rowStride]` regions: z (x̂
   * after the forward pass), y, h, the dropout mask (null without dropout: h = act(y)), and dz
   * (dy on entry to the backward pass, dz on exit).
   */
  readonly z: number;
  readonly y: number;
  readonly h: number;
  readonly mask: number | null;
  readonly dz: number;
}

/** The engine's buffers the passes bind (all with STORAGE usage). */
export interface BatchNormBuffers {
  /** The flat parameters (read): γ, β at the layer's offsets. */
  readonly params: GPUBuffer;
  /** Their gradients (written at γ's and β's offsets only). */
  readonly grads: GPUBuffer;
  /** The step's matrices; every region is bound read-write (one buffer cannot be both in a dispatch). */
  readonly activations: GPUBuffer;
}

/** Invocations per workgroup along x (columns) and y (row lanes): 256 in all. */
const COLUMNS = 16;
const LANES = 16;
/** Bytes of the uniform block `Arguments` (12 four-byte fields). */
const ARGUMENT_BYTES = 48;

const HEADER = /* wgsl */ `
struct Arguments {
  batch: u32, width: u32, rowStride: u32, gamma: u32,
  beta: u32, keep: f32, rate: f32, varianceRate: f32,
  epsilon: f32, unused0: u32, unused1: u32, unused2: u32,
}
@group(0) @binding(0) var<uniform> args: Arguments;
@group(0) @binding(1) var<storage, read> params: array<f32>;

const COLUMNS = ${COLUMNS}u;
const LANES = ${LANES}u;
const MIN_NORMAL: f32 = 1.1754943508222875e-38;

fn flush(x: f32) -> f32 {
  return select(0.0, x, abs(x) >= MIN_NORMAL);
}

var<workgroup> partial: array<f32, ${COLUMNS * LANES}>;

/** Σ over the row lanes of each column's partial sums; every invocation gets its column's total. */
fn columnTotal(column: u32, lane: u32, value: f32) -> f32 {
  partial[lane * COLUMNS + column] = value;
  workgroupBarrier();
  for (var half = LANES / 2u; half > 0u; half = half / 2u) {
    if (lane < half) {
      partial[lane * COLUMNS + column] += partial[(lane + half) * COLUMNS + column];
    }
    workgroupBarrier();
  }
  let total = partial[column];
  workgroupBarrier();
  return total;
}
`;

/**
 * The start of both entry points: invocation (column, lane) of its workgroup works on column c of
 * the layer (nothing when c ≥ width, but it still takes part in the reductions) and on rows
 * lane, lane + LANES, … of the batch.
 */
const ENTRY = /* wgsl */ `@compute @workgroup_size(COLUMNS, LANES)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let column = local.x;
  let lane = local.y;
  let c = group.x * COLUMNS + column;
  let inLayer = c < args.width;
  let rows = args.batch;
  let count = f32(rows);`;

/** The forward pass: statistics, x̂, y, h, running statistics. */
function forwardSource(activation: Activation, masked: boolean): string {
  return /* wgsl */ `${HEADER}
@group(0) @binding(2) var<storage, read_write> z: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> h: array<f32>;
@group(0) @binding(5) var<storage, read_write> statistics: array<f32>;
${masked ? '@group(0) @binding(6) var<storage, read_write> mask: array<f32>;' : ''}
${activationWgsl(activation)}

${ENTRY}
  var sum = 0.0;
  if (inLayer) {
    for (var r = lane; r < rows; r += LANES) {
      sum += z[r * args.rowStride + c];
    }
  }
  let mean = columnTotal(column, lane, sum) / count;
  var squares = 0.0;
  if (inLayer) {
    for (var r = lane; r < rows; r += LANES) {
      let d = z[r * args.rowStride + c] - mean;
      squares += d * d;
    }
  }
  let variance = columnTotal(column, lane, squares) / count;
  let invStd = 1.0 / sqrt(variance + args.epsilon);
  if (!inLayer) {
    return;
  }
  let w = args.width;
  if (lane == 0u) {
    statistics[c] = mean;
    statistics[w + c] = invStd;
    statistics[2u * w + c] = flush(statistics[2u * w + c] * args.keep + mean * args.rate);
    statistics[3u * w + c] = flush(statistics[3u * w + c] * args.keep + variance * args.varianceRate);
  }
  let gamma = params[args.gamma + c];
  let beta = params[args.beta + c];
  for (var r = lane; r < rows; r += LANES) {
    let at = r * args.rowStride + c;
    let normalised = (z[at] - mean) * invStd;
    z[at] = normalised;
    let out = normalised * gamma + beta;
    y[at] = out;
    h[at] = activate(out)${masked ? ' * mask[at]' : ''};
  }
}
`;
}

/** The backward pass: dβ, dγ, and dz over dy. */
const BACKWARD_SOURCE = /* wgsl */ `${HEADER}
@group(0) @binding(2) var<storage, read_write> z: array<f32>;
@group(0) @binding(3) var<storage, read_write> dz: array<f32>;
@group(0) @binding(4) var<storage, read_write> grads: array<f32>;
@group(0) @binding(5) var<storage, read> statistics: array<f32>;

${ENTRY}
  var sumDy = 0.0;
  var sumDyX = 0.0;
  if (inLayer) {
    for (var r = lane; r < rows; r += LANES) {
      let at = r * args.rowStride + c;
      let d = dz[at];
      sumDy += d;
      sumDyX += d * z[at];
    }
  }
  let gradBeta = columnTotal(column, lane, sumDy);
  let gradGamma = columnTotal(column, lane, sumDyX);
  if (!inLayer) {
    return;
  }
  if (lane == 0u) {
    grads[args.gamma + c] = gradGamma;
    grads[args.beta + c] = gradBeta;
  }
  let scale = (params[args.gamma + c] * statistics[args.width + c]) / count;
  for (var r = lane; r < rows; r += LANES) {
    let at = r * args.rowStride + c;
    dz[at] = scale * ((count * dz[at] - gradBeta) - z[at] * gradGamma);
  }
}
`;

function checkLayer(layer: BatchNormLayer, buffers: BatchNormBuffers): void {
  const { width, rowStride, maxBatch } = layer;
  const fail = (message: string) => {
    throw new Error(`BatchNormPass: ${message}`);
  };
  if (!Number.isInteger(width) || width < 1) fail(`width must be a positive integer, not ${width}`);
  if (!Number.isInteger(rowStride) || rowStride < width)
    fail(`rowStride must be an integer ≥ width ${width}, not ${rowStride}`);
  if (!Number.isInteger(maxBatch) || maxBatch < 1)
    fail(`maxBatch must be a positive integer, not ${maxBatch}`);
  for (const name of ['gamma', 'beta'] as const) {
    const at = layer[name];
    if (
      !Number.isInteger(at) ||
      at < 0 ||
      (at + width) * 4 > buffers.params.size ||
      (at + width) * 4 > buffers.grads.size
    )
      fail(`${name} offset ${at} (+ ${width} floats) is outside params or grads`);
  }
  const regionBytes = maxBatch * rowStride * 4;
  for (const name of ['z', 'y', 'h', 'mask', 'dz'] as const) {
    const at = layer[name];
    if (at === null) continue;
    if (!Number.isInteger(at) || at < 0 || at % GPU_REGION_ALIGN !== 0)
      fail(`the ${name} region must start at a multiple of ${GPU_REGION_ALIGN} bytes, not ${at}`);
    if (at + regionBytes > buffers.activations.size)
      fail(
        `the ${name} region (${regionBytes} bytes at ${at}) runs past the activations buffer (${buffers.activations.size} bytes)`,
      );
  }
}

/**
 * One batch-norm layer's two passes. Per step: {@link writeArguments} before the submit, then
 * {@link recordForward} after the layer's z is complete and {@link recordBackward} after its dy
 * is. Owns its statistics and uniform buffers.
 */
export class BatchNormPass {
  /** Compute dispatches {@link recordForward} and {@link recordBackward} each add. */
  readonly dispatchesEachWay = 1;
  /**
   * f32 `[4, width]`: the batch mean, 1/√(σ² + ε), the running mean, the running variance (at the
   * byte offsets below). Usage STORAGE | COPY_SRC | COPY_DST, so the engine copies the running
   * statistics out when it syncs the model.
   */
  readonly statistics: GPUBuffer;
  readonly meanOffset = 0;
  readonly inverseStdOffset: number;
  readonly runningMeanOffset: number;
  readonly runningVarianceOffset: number;

  private readonly uniform: GPUBuffer;
  private readonly forward: { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup };
  private readonly backward: { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup };
  private readonly argumentData = new ArrayBuffer(ARGUMENT_BYTES);
  private readonly workgroups: number;

  constructor(
    device: GPUDevice,
    private readonly layer: BatchNormLayer,
    buffers: BatchNormBuffers,
  ) {
    checkLayer(layer, buffers);
    const { width } = layer;
    const floats = width * GPU_BATCH_NORM_STATISTICS;
    this.statistics = device.createBuffer({
      label: 'batch-norm statistics',
      size: floats * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    this.inverseStdOffset = width * 4;
    this.runningMeanOffset = 2 * width * 4;
    this.runningVarianceOffset = 3 * width * 4;
    this.loadRunningStatistics(device.queue, new Float32Array(width), new Float32Array(width).fill(1));
    this.uniform = device.createBuffer({
      label: 'batch-norm arguments',
      size: ARGUMENT_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.workgroups = Math.ceil(width / COLUMNS);

    const region = (offset: number) => ({
      buffer: buffers.activations,
      offset,
      size: layer.maxBatch * layer.rowStride * 4,
    });
    const common: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.uniform } },
      { binding: 1, resource: { buffer: buffers.params } },
      { binding: 2, resource: region(layer.z) },
    ];
    const build = (label: string, code: string, entries: GPUBindGroupEntry[]) => {
      const module = device.createShaderModule({ label, code });
      const pipeline = device.createComputePipeline({
        label,
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      const bindGroup = device.createBindGroup({
        label,
        layout: pipeline.getBindGroupLayout(0),
        entries: [...common, ...entries],
      });
      return { pipeline, bindGroup };
    };
    this.forward = build('batch norm forward', forwardSource(layer.activation, layer.mask !== null), [
      { binding: 3, resource: region(layer.y) },
      { binding: 4, resource: region(layer.h) },
      { binding: 5, resource: { buffer: this.statistics } },
      ...(layer.mask !== null ? [{ binding: 6, resource: region(layer.mask) }] : []),
    ]);
    this.backward = build('batch norm backward', BACKWARD_SOURCE, [
      { binding: 3, resource: region(layer.dz) },
      { binding: 4, resource: { buffer: buffers.grads } },
      { binding: 5, resource: { buffer: this.statistics } },
    ]);

    const words = new Uint32Array(this.argumentData);
    words.set([0, width, layer.rowStride, layer.gamma, layer.beta]);
    new Float32Array(this.argumentData).set(
      [1 - BATCH_NORM_MOMENTUM, BATCH_NORM_MOMENTUM, 0, BATCH_NORM_EPSILON],
      5,
    );
  }

  /** Starts the running statistics from the model's (`[width]` each; fresh layers: 0 and 1). */
  loadRunningStatistics(queue: GPUQueue, mean: Float32Array, variance: Float32Array): void {
    const { width } = this.layer;
    if (mean.length !== width || variance.length !== width)
      throw new Error(
        `BatchNormPass: running statistics must have ${width} values each, not ${mean.length} and ${variance.length}`,
      );
    queue.writeBuffer(this.statistics, this.runningMeanOffset, mean);
    queue.writeBuffer(this.statistics, this.runningVarianceOffset, variance);
  }

  /**
   * This step's batch size (1…maxBatch); call before the submit. The running variance's rate
   * 0.1·B/(B − 1) (0.1 at B = 1) is computed here in double precision and rounded once, as the
   * WASM kernel's caller does.
   */
  writeArguments(queue: GPUQueue, batch: number): void {
    if (!Number.isInteger(batch) || batch < 1 || batch > this.layer.maxBatch)
      throw new Error(`BatchNormPass: batch must be an integer in [1, ${this.layer.maxBatch}], not ${batch}`);
    new Uint32Array(this.argumentData)[0] = batch;
    new Float32Array(this.argumentData)[7] = varianceRate(BATCH_NORM_MOMENTUM, batch);
    queue.writeBuffer(this.uniform, 0, this.argumentData);
  }

  /** The forward dispatch (statistics, x̂ over z, y, h, running statistics). */
  recordForward(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.forward.pipeline);
    pass.setBindGroup(0, this.forward.bindGroup);
    pass.dispatchWorkgroups(this.workgroups);
  }

  /** The backward dispatch (dγ, dβ into grads; dz over dy). */
  recordBackward(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.backward.pipeline);
    pass.setBindGroup(0, this.backward.bindGroup);
    pass.dispatchWorkgroups(this.workgroups);
  }

  /** Destroys the statistics and uniform buffers (the engine owns the rest). */
  dispose(): void {
    this.statistics.destroy();
    this.uniform.destroy();
  }
}
