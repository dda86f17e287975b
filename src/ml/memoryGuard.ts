import * as tf from '@tensorflow/tfjs-core';
import type { TrainingConfig } from '../core/config.ts';
import { chooseEngine, type EngineChoice } from '../core/engines.ts';
import type { GpuLimits } from '../core/gpuBufferLimits.ts';
import { checkMemory, type MemoryCheck } from '../core/memoryEstimate.ts';
import { compiledKernel } from './fused/kernel.ts';

/** A config the memory budget refuses; its message says what to change. */
export class MemoryBudgetError extends Error {
  override readonly name = 'MemoryBudgetError';
}

/**
 * The buffer caps of the active `webgpu` backend's device (TF.js asks for the adapter's own
 * limits), for the memory guard here and, through `BackendInfo.gpuLimits`, the page's; null on
 * other backends.
 */
export function currentGpuLimits(): GpuLimits | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const limits = (tf.backend() as unknown as { readonly device?: GPUDevice }).device?.limits;
  if (limits === undefined) return null;
  return {
    maxBufferSize: limits.maxBufferSize,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
  };
}

/**
 * {@link checkMemory} for the TF.js backend in use, the engine `choice` resolves to there and, on
 * `webgpu`, its device's buffer limits (`gpuLimits` overrides them: tests).
 */
export function checkRunMemory(
  config: TrainingConfig,
  choice: EngineChoice = 'auto',
  gpuLimits: GpuLimits | null = currentGpuLimits(),
): MemoryCheck {
  const backend = tf.getBackend();
  const engine = chooseEngine(config, choice, backend, compiledKernel()?.variant ?? null).path;
  return checkMemory(config, { backend, engine, ...(gpuLimits === null ? {} : { gpuLimits }) });
}

/**
 * Throws {@link MemoryBudgetError} when `config` would not fit: the training loop calls it before
 * allocating anything, so every way in (page, comparison, CLI) gets a message, not a crash.
 */
export function assertRunFits(config: TrainingConfig, choice: EngineChoice = 'auto'): void {
  const check = checkRunMemory(config, choice);
  if (!check.ok) throw new MemoryBudgetError(check.message);
}
