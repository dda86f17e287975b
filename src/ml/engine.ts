import * as tf from '@tensorflow/tfjs-core';
import { chooseEngine, type EngineChoice, type EngineInfo, type KernelVariant } from '../core/engines.ts';
import { createBatchSource, type BatchSource } from './dataset.ts';
import type { ThreadChoice } from '../core/kernelThreads.ts';
import type { Evaluation } from '../core/runReports.ts';
import { FusedEngine, type FusedEngineOptions } from './fused/fusedEngine.ts';
import { GpuEngine } from './gpu/gpuEngine.ts';
import { compiledKernel, type CompiledKernel } from './fused/kernel.ts';
import { createOptimizer, type TrainOptimizer } from './optimizers.ts';
import type { StepNorms, StepValue } from './pending.ts';
import { trainStep } from './step.ts';

/**
 * What the training loop steps: the fused WebAssembly kernel, the fused WebGPU engine or TF.js
 * ops. All start from the same {@link Mlp} (its variables hold the initial weights), draw the
 * same batches, augmentation and dropout masks, and apply the same update rules, so they give
 * the same curves (to float rounding; the GPU sums in another order).
 */
export interface StepEngine {
  readonly info: EngineInfo;
  /** Number of training examples (positions run 0 … count−1). */
  readonly count: number;
  /**
   * One optimisation step at `learningRate`; loss (data loss, batch mean) and accuracy as
   * numbers (fused), backend scalars the caller owns (TF.js) or deferred GPU values (WebGPU).
   * With `measureNorms`, also the step's per-layer kernel gradient norms and update ratios
   * (`norms`, see `core/layerStepNorms.ts`): null where the engine does not measure them (WebGPU).
   */
  step(
    positions: Int32Array,
    learningRate: number,
    measureNorms?: boolean,
  ): { loss: StepValue; accuracy: StepValue; norms?: StepNorms };
  /**
   * Resolves once the engine is set up, or rejects with why it could not be: WebGPU reports a
   * failed buffer or pipeline after the constructor returned. Await before the first step.
   */
  ready(): Promise<void>;
  /** Makes the model's TF.js variables current; call before evaluating or copying them. */
  syncModel(): void;
  /**
   * Inference-mode loss and accuracy of training-file rows `rows` (the validation split) on the
   * engine's own forward pass; null where the TF.js model should evaluate them instead.
   */
  evaluateRows(rows: Int32Array): Evaluation | null;
  /** The fused kernel's thread count and why, once measured; null otherwise (and for TF.js ops). */
  threadChoice(): ThreadChoice | null;
  dispose(): void;
}

/** What an engine needs: the model (initial weights), the data, and the run's random streams. */
export type EngineInputs = FusedEngineOptions;

class TfjsEngine implements StepEngine {
  private readonly optimizer: TrainOptimizer;
  private readonly source: BatchSource;

  constructor(
    readonly info: EngineInfo,
    private readonly inputs: EngineInputs,
  ) {
    const { config, model } = inputs;
    this.optimizer = createOptimizer(config.optimizer, model.kernels);
    this.source = createBatchSource(
      config,
      inputs.images,
      inputs.trainIndices,
      inputs.normalization,
      inputs.augmentRng,
    );
  }

  get count(): number {
    return this.source.count;
  }

  step(positions: Int32Array, learningRate: number, measureNorms = false) {
    this.optimizer.setLearningRate(learningRate);
    const { config, model, dropoutRng } = this.inputs;
    return trainStep(model, this.optimizer, this.source, positions, config.loss, dropoutRng, measureNorms);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  syncModel(): void {}

  threadChoice(): null {
    return null;
  }

  evaluateRows(): null {
    return null;
  }

  dispose(): void {
    this.optimizer.dispose();
    this.source.dispose();
  }
}

class FusedStepEngine implements StepEngine {
  private readonly engine: FusedEngine;

  constructor(
    readonly info: EngineInfo,
    kernel: CompiledKernel,
    inputs: EngineInputs,
  ) {
    this.engine = new FusedEngine(kernel, inputs);
    this.count = inputs.trainIndices.length;
  }

  readonly count: number;

  step(positions: Int32Array, learningRate: number, measureNorms = false) {
    return this.engine.trainStep(positions, learningRate, measureNorms);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  syncModel(): void {
    this.engine.syncModel();
  }

  threadChoice(): ThreadChoice | null {
    return this.engine.threadChoice;
  }

  evaluateRows(rows: Int32Array): Evaluation | null {
    return this.engine.evaluateRows(rows);
  }

  dispose(): void {
    this.engine.dispose();
  }
}

class GpuStepEngine implements StepEngine {
  private readonly engine: GpuEngine;
  readonly count: number;

  constructor(
    readonly info: EngineInfo,
    device: GPUDevice,
    inputs: EngineInputs,
  ) {
    this.engine = new GpuEngine(device, inputs);
    this.count = inputs.trainIndices.length;
  }

  /** Layer norms are not measured here: they would need a reduction pass and a read-back of their own. */
  step(positions: Int32Array, learningRate: number, measureNorms = false) {
    const values = this.engine.step(positions, learningRate);
    return measureNorms ? { ...values, norms: null } : values;
  }

  ready(): Promise<void> {
    return this.engine.whenCreated();
  }

  syncModel(): void {
    this.engine.syncModel();
  }

  threadChoice(): null {
    return null;
  }

  evaluateRows(rows: Int32Array): Evaluation | null {
    return this.engine.evaluateRows(rows);
  }

  dispose(): void {
    this.engine.dispose();
  }
}

/** The TF.js webgpu backend's device, which the fused WebGPU engine shares (null on other backends). */
function webgpuBackendDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { readonly device?: GPUDevice }).device ?? null;
}

/**
 * Builds the engine {@link chooseEngine} picks for the current TF.js backend and the kernel build
 * this thread can compile; `variant` pins the kernel build (tests), otherwise the fastest that
 * runs here.
 */
export function createStepEngine(
  inputs: EngineInputs,
  choice: EngineChoice = 'auto',
  variant?: KernelVariant,
): StepEngine {
  const kernel = compiledKernel(variant);
  const info = chooseEngine(inputs.config, choice, tf.getBackend(), kernel?.variant ?? null);
  switch (info.path) {
    case 'fused':
      return kernel !== null ? new FusedStepEngine(info, kernel, inputs) : new TfjsEngine(info, inputs);
    case 'webgpu': {
      const device = webgpuBackendDevice();
      if (device !== null) return new GpuStepEngine(info, device, inputs);
      return new TfjsEngine({ path: 'tfjs', reason: 'TF.js ops: the webgpu backend has no device' }, inputs);
    }
    case 'tfjs':
      return new TfjsEngine(info, inputs);
    default:
      return info.path satisfies never;
  }
}
