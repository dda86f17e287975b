import * as tf from '@tensorflow/tfjs-core';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineChoice, EngineInfo } from '../core/engines.ts';
import { createBatchSource, type BatchSource } from './dataset.ts';
import { FusedEngine, type FusedEngineOptions } from './fused/fusedEngine.ts';
import { compiledKernel, type KernelModule, type KernelVariant } from './fused/kernel.ts';
import { createOptimizer, type TrainOptimizer } from './optimizers.ts';
import { trainStep } from './step.ts';

/**
 * What the training loop steps: the fused WebAssembly kernel or TF.js ops. Both start from the
 * same {@link Mlp} (its variables hold the initial weights), draw the same batches, augmentation
 * and dropout masks, and apply the same update rules, so they give the same curves.
 */
export interface StepEngine {
  readonly info: EngineInfo;
  /** Number of training examples (positions run 0 … count−1). */
  readonly count: number;
  /**
   * One optimisation step at `learningRate`; loss (data loss, batch mean) and accuracy as
   * numbers (fused) or backend scalars the caller owns (TF.js).
   */
  step(
    positions: Int32Array,
    learningRate: number,
  ): { loss: tf.Scalar | number; accuracy: tf.Scalar | number };
  /** Makes the model's TF.js variables current; call before evaluating or copying them. */
  syncModel(): void;
  dispose(): void;
}

/** What an engine needs: the model (initial weights), the data, and the run's random streams. */
export type EngineInputs = FusedEngineOptions;

/** Backends whose TF.js kernels run on the CPU, where the fused kernel is much faster. */
const CPU_BACKENDS = new Set(['wasm', 'cpu', 'tensorflow']);

/**
 * Which engine a run uses and why. `auto`: the fused kernel when TF.js runs on the CPU and the
 * config is supported; TF.js ops on GPU backends (webgl, webgpu), which keep the work on the GPU.
 * Batch norm always runs on TF.js ops (the kernel does not implement it).
 */
export function chooseEngine(
  config: TrainingConfig,
  choice: EngineChoice,
  backend: string,
  variant?: KernelVariant,
): EngineInfo {
  if (choice === 'tfjs') return { path: 'tfjs', reason: 'TF.js ops, as chosen' };
  if (config.model.hiddenLayers.some((layer) => layer.batchNorm)) {
    return { path: 'tfjs', reason: 'TF.js ops: batch norm is not in the fused kernel' };
  }
  const kernel = compiledKernel(variant);
  if (kernel === null) {
    return { path: 'tfjs', reason: 'TF.js ops: no WebAssembly SIMD here for the fused kernel' };
  }
  const name = `fused WebAssembly ${kernel.variant === 'relaxed' ? 'SIMD kernel with FMA (relaxed SIMD)' : 'SIMD kernel'}`;
  if (choice === 'fused') return { path: 'fused', reason: `${name}, as chosen` };
  if (CPU_BACKENDS.has(backend))
    return { path: 'fused', reason: `${name}: the ${backend} backend runs on the CPU` };
  return { path: 'tfjs', reason: `TF.js ops on the ${backend} backend (GPU)` };
}

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

  step(positions: Int32Array, learningRate: number) {
    this.optimizer.setLearningRate(learningRate);
    const { config, model, dropoutRng } = this.inputs;
    return trainStep(model, this.optimizer, this.source, positions, config.loss, dropoutRng);
  }

  syncModel(): void {}

  dispose(): void {
    this.optimizer.dispose();
    this.source.dispose();
  }
}

class FusedStepEngine implements StepEngine {
  private readonly engine: FusedEngine;

  constructor(
    readonly info: EngineInfo,
    module: KernelModule,
    inputs: EngineInputs,
  ) {
    this.engine = new FusedEngine(module, inputs);
    this.count = inputs.trainIndices.length;
  }

  readonly count: number;

  step(positions: Int32Array, learningRate: number) {
    return this.engine.trainStep(positions, learningRate);
  }

  syncModel(): void {
    this.engine.syncModel();
  }

  dispose(): void {}
}

/**
 * Builds the engine {@link chooseEngine} picks for the current TF.js backend; `variant` pins the
 * kernel build (tests), otherwise the fastest that runs here.
 */
export function createStepEngine(
  inputs: EngineInputs,
  choice: EngineChoice = 'auto',
  variant?: KernelVariant,
): StepEngine {
  const info = chooseEngine(inputs.config, choice, tf.getBackend(), variant);
  const kernel = info.path === 'fused' ? compiledKernel(variant) : null;
  return kernel !== null ? new FusedStepEngine(info, kernel.module, inputs) : new TfjsEngine(info, inputs);
}
