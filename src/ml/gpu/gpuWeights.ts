import * as tf from '@tensorflow/tfjs-core';
import type { GpuLayout } from '../../core/gpuLayout.ts';
import { denseLayers } from '../fused/fusedWeights.ts';
import type { Mlp } from '../mlp.ts';

/**
 * Between the model's TF.js variables and the fused WebGPU engine's flat `params` buffer (layout
 * in `core/gpuLayout.ts`): the engine loads the variables once (the model's initial or saved
 * weights; {@link VariableLoader}), and {@link ModelSync} writes them back GPU to GPU before anything reads the model
 * (evaluation, snapshots, saving, the drawing pad, analysis): each variable's floats are copied
 * into a sync buffer of its own, which TF.js's webgpu backend takes as a tensor
 * (`tf.tensor({ buffer }, shape)`, copying it on the same queue), and the variable is assigned
 * that tensor. No value crosses to the CPU.
 */

/** Throws when `model` is not the network `layout` was made for (shapes, batch-norm layers). */
export function checkModelMatchesGpuLayout(model: Mlp, layout: GpuLayout): void {
  const dense = denseLayers(model);
  if (dense.length !== layout.layers.length) {
    throw new Error('GpuEngine: the model has not the config’s number of layers');
  }
  dense.forEach((layer, i) => {
    const l = layout.layers[i];
    const normalised = model.hidden[i]?.batchNorm != null;
    if (
      l === undefined ||
      layer.kernel.shape.join() !== `${l.fanIn},${l.fanOut}` ||
      normalised !== (l.gamma !== null)
    ) {
      throw new Error(`GpuEngine: the model's layer ${i + 1} is not the config's`);
    }
  });
}

/**
 * Copies TF.js variables into GPU buffers of the engine: GPU to GPU where the variable's values
 * are on the webgpu backend's GPU (`dataToGPU`, copied in one submit by {@link finish}); where
 * they are still on the CPU (a fresh or loaded model, which TF.js uploads only when a kernel
 * first reads it, and which `dataToGPU` refuses) or on another backend, written from there.
 */
export class VariableLoader {
  private readonly encoder: GPUCommandEncoder;
  private readonly held: tf.Tensor[] = [];

  constructor(private readonly device: GPUDevice) {
    this.encoder = device.createCommandEncoder({ label: 'fused webgpu load' });
  }

  /** Queues `variable`'s floats into `target` at byte `offset`. */
  write(target: GPUBuffer, offset: number, variable: tf.Variable): void {
    const onGpu = gpuData(variable);
    if (onGpu?.buffer === undefined) {
      onGpu?.tensorRef.dispose();
      this.device.queue.writeBuffer(target, offset, variable.dataSync() as Float32Array);
      return;
    }
    this.encoder.copyBufferToBuffer(onGpu.buffer, 0, target, offset, variable.size * 4);
    this.held.push(onGpu.tensorRef);
  }

  /** Submits the GPU copies, then frees TF.js's copies of the variables (reused only after them). */
  finish(): void {
    this.device.queue.submit([this.encoder.finish()]);
    this.dispose();
  }

  /** Frees TF.js's copies held so far (after {@link finish}, or instead of it when set-up failed). */
  dispose(): void {
    tf.dispose(this.held);
    this.held.length = 0;
  }
}

/** The variable's values as a GPU buffer of TF.js's (to dispose), or null where they are not on a GPU. */
function gpuData(variable: tf.Variable): tf.GPUData | null {
  try {
    return variable.dataToGPU();
  } catch {
    return null; // values on the CPU (or a backend without GPU data)
  }
}

/** Queues the model's trainable variables into `params` at the layout's offsets. */
export function loadModelWeights(
  loader: VariableLoader,
  params: GPUBuffer,
  layout: GpuLayout,
  model: Mlp,
): void {
  denseLayers(model).forEach((layer, i) => {
    const l = layout.layers[i];
    if (l === undefined) return;
    loader.write(params, l.kernel * 4, layer.kernel);
    loader.write(params, l.bias * 4, layer.bias);
    const norm = model.hidden[i]?.batchNorm;
    if (norm == null || l.gamma === null || l.beta === null) return;
    loader.write(params, l.gamma * 4, norm.gamma);
    loader.write(params, l.beta * 4, norm.beta);
  });
}

/** Where a batch-norm layer's running mean and variance sit on the GPU (byte offsets, `[units]` f32). */
export interface RunningStatisticsSource {
  readonly buffer: GPUBuffer;
  readonly mean: number;
  readonly variance: number;
}

/** One variable and where its floats are: a GPU buffer and a byte offset. */
interface SyncEntry {
  readonly variable: tf.Variable;
  readonly source: GPUBuffer;
  readonly offset: number;
  readonly copy: GPUBuffer;
}

/** Writes the engine's weights (and batch-norm running statistics) into the model's variables. */
export class ModelSync {
  private readonly entries: SyncEntry[] = [];

  /**
   * @param statistics each batch-norm layer's running statistics on the GPU, in layer order.
   */
  constructor(
    private readonly device: GPUDevice,
    layout: GpuLayout,
    model: Mlp,
    params: GPUBuffer,
    statistics: readonly RunningStatisticsSource[],
  ) {
    const add = (variable: tf.Variable, source: GPUBuffer, offset: number) => {
      const copy = device.createBuffer({
        label: 'fused webgpu sync copy',
        size: variable.size * 4,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
      this.entries.push({ variable, source, offset, copy });
    };
    let norm = 0;
    denseLayers(model).forEach((layer, i) => {
      const l = layout.layers[i];
      if (l === undefined) return;
      add(layer.kernel, params, l.kernel * 4);
      add(layer.bias, params, l.bias * 4);
      const variables = model.hidden[i]?.batchNorm;
      if (variables == null || l.gamma === null || l.beta === null) return;
      add(variables.gamma, params, l.gamma * 4);
      add(variables.beta, params, l.beta * 4);
      const source = statistics[norm++];
      if (source === undefined) throw new Error(`GpuEngine: no running statistics for layer ${i + 1}`);
      add(variables.runningMean, source.buffer, source.mean);
      add(variables.runningVar, source.buffer, source.variance);
    });
  }

  /**
   * Copies every variable's floats into its sync buffer (one submit), then assigns each variable
   * a TF.js tensor made from that buffer. Needs the TF.js webgpu backend on this very device.
   */
  sync(): void {
    const backendDevice = (tf.backend() as unknown as { readonly device?: GPUDevice }).device;
    if (tf.getBackend() !== 'webgpu' || backendDevice !== this.device) {
      throw new Error(
        'GpuEngine.syncModel needs the TF.js webgpu backend whose GPU device the engine trains on',
      );
    }
    const encoder = this.device.createCommandEncoder({ label: 'fused webgpu sync' });
    for (const { source, offset, copy } of this.entries)
      encoder.copyBufferToBuffer(source, offset, copy, 0, copy.size);
    this.device.queue.submit([encoder.finish()]);
    tf.tidy(() => {
      for (const { variable, copy } of this.entries) {
        variable.assign(tf.tensor({ buffer: copy }, variable.shape, 'float32'));
      }
    });
  }

  dispose(): void {
    for (const { copy } of this.entries) copy.destroy();
    this.entries.length = 0;
  }
}
