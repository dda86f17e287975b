import { KERNEL_HEAP_BASE, type KernelExports } from '../../core/kernelBindings.ts';
import { compiledKernel, createKernelMemory, instantiateKernel } from './../fused/kernel.ts';

/**
 * Test support for the WGSL passes' browser tests (`*.browser.test.ts`, Chromium's WebGPU on
 * SwiftShader): a device, buffers from data, read-backs, and the fused WASM kernel as the
 * reference implementation, with a bump allocator over its memory.
 */

let devicePromise: Promise<GPUDevice> | null = null;

/** One WebGPU device for the test file (default limits: what every adapter offers). */
export function testDevice(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    const adapter = await navigator.gpu.requestAdapter();
    if (adapter === null)
      throw new Error('No WebGPU adapter (is Chromium started with --enable-unsafe-webgpu?)');
    return adapter.requestDevice();
  })();
  return devicePromise;
}

/** A storage buffer holding `data` (f32), readable back and writable by the queue. */
export function storageBuffer(device: GPUDevice, data: Float32Array, label: string): GPUBuffer {
  const buffer = device.createBuffer({
    label,
    size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

/** `floats` f32 of `buffer` from byte `offset`, after everything submitted so far. */
export async function readFloats(
  device: GPUDevice,
  buffer: GPUBuffer,
  floats: number,
  offset = 0,
): Promise<Float32Array> {
  const staging = device.createBuffer({
    size: floats * 4,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, offset, staging, 0, floats * 4);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const values = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return values;
}

/** Runs `record` in one compute pass of one submit, surfacing validation errors as a rejection. */
export async function runPass(
  device: GPUDevice,
  record: (pass: GPUComputePassEncoder) => void,
): Promise<void> {
  device.pushErrorScope('validation');
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  record(pass);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  if (error !== null) throw new Error(`WebGPU validation: ${error.message}`);
}

/** The fused WASM kernel (plain SIMD build) on a fresh 4 MiB memory, with a bump allocator. */
export function referenceKernel(): {
  k: KernelExports;
  reserve(floats: number): number;
  floats(): Float32Array;
} {
  const kernel = compiledKernel('simd');
  if (kernel === null) throw new Error('The fused kernel needs WebAssembly SIMD');
  const memory = createKernelMemory(64 * 65536, false);
  if (memory === null) throw new Error('No kernel memory');
  const k = instantiateKernel(kernel.module, memory);
  let next = Math.ceil(KERNEL_HEAP_BASE / 64) * 64;
  return {
    k,
    reserve(floats: number) {
      const at = next;
      next = Math.ceil((at + floats * 4) / 64) * 64;
      return at;
    },
    floats: () => new Float32Array(memory.buffer),
  };
}

/**
 * The largest |actual − expected| / (|expected| + floor) over the arrays: a relative error that
 * does not blow up at values near 0 (`floor` sets the scale below which errors count as absolute).
 */
export function maxRelativeError(actual: Float32Array, expected: Float32Array, floor = 1e-3): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let worst = 0;
  expected.forEach((e, i) => {
    const error = Math.abs((actual[i] ?? NaN) - e) / (Math.abs(e) + floor);
    worst = Math.max(worst, Number.isNaN(error) ? Infinity : error);
  });
  return worst;
}
