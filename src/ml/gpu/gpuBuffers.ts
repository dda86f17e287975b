import type { GpuBufferName, GpuLayout } from '../../core/gpuLayout.ts';

/**
 * The fused WebGPU engine's own GPU buffers, each made at the size its plan (`core/gpuLayout.ts`)
 * gives, so the memory estimate is what is allocated. The optimizer's state, batch norm's
 * statistics, the stats staging and the sync copies are made by their owners
 * (`optimizerPass.ts`, `batchNormPass.ts`, `statsSpans.ts`, `gpuWeights.ts`) to the same plan.
 */
export class GpuBuffers {
  /** f32 `[paramFloats]`: kernels, biases, γ, β (read by the step's shaders, updated by the optimizer). */
  readonly params: GPUBuffer;
  /** f32 `[paramFloats]`: this step's gradients, same layout. */
  readonly grads: GPUBuffer;
  /** f32: every `[B, width]` matrix of a step, at the layout's byte offsets. */
  readonly activations: GPUBuffer;
  /** u32-packed bytes: the resident training images `[N, 784]`, or the augmented batch `[B, 784]`. */
  readonly pixels: GPUBuffer;
  /** i32 `[B]` training-file rows, then i32 `[B]` labels (B the largest batch). */
  readonly batchRows: GPUBuffer;
  /** The step uniform: batch size, stats slot. */
  readonly step: GPUBuffer;
  /** f32 `[2 · span steps]`: each step's loss and accuracy. */
  readonly stats: GPUBuffer;

  constructor(
    private readonly device: GPUDevice,
    layout: GpuLayout,
  ) {
    const make = (name: GpuBufferName, usage: number) => {
      const plan = layout.buffers.find((b) => b.name === name);
      if (plan === undefined) throw new Error(`gpu layout: no ${name} buffer`);
      return device.createBuffer({ label: `fused webgpu ${name}`, size: plan.bytes, usage });
    };
    const { STORAGE, COPY_SRC, COPY_DST, UNIFORM } = GPUBufferUsage;
    this.params = make('params', STORAGE | COPY_SRC | COPY_DST);
    this.grads = make('grads', STORAGE | COPY_SRC | COPY_DST);
    this.activations = make('activations', STORAGE | COPY_SRC | COPY_DST);
    this.pixels = make('pixels', STORAGE | COPY_DST);
    this.batchRows = make('batch rows', STORAGE | COPY_DST);
    this.step = make('step uniforms', UNIFORM | COPY_DST);
    this.stats = make('stats', STORAGE | COPY_SRC);
  }

  /** Uploads the resident training images (`[N, 784]` bytes, N as planned). */
  uploadImages(pixels: Uint8Array): void {
    if (pixels.byteLength > this.pixels.size) {
      throw new Error(
        `GpuEngine: ${pixels.byteLength} image bytes do not fit the ${this.pixels.size}-byte pixels buffer`,
      );
    }
    this.device.queue.writeBuffer(this.pixels, 0, pixels);
  }

  dispose(): void {
    for (const buffer of [
      this.params,
      this.grads,
      this.activations,
      this.pixels,
      this.batchRows,
      this.step,
      this.stats,
    ]) {
      buffer.destroy();
    }
  }
}
