import * as tf from '@tensorflow/tfjs-core';
import type { TrainingConfig } from '../core/config.ts';
import { chooseEngine, type EngineChoice } from '../core/engines.ts';
import { checkMemory, type MemoryCheck } from '../core/memoryEstimate.ts';
import { compiledKernel } from './fused/kernel.ts';

/** A config the memory budget refuses; its message says what to change. */
export class MemoryBudgetError extends Error {
  override readonly name = 'MemoryBudgetError';
}

/** {@link checkMemory} for the TF.js backend in use and the engine `choice` resolves to there. */
export function checkRunMemory(config: TrainingConfig, choice: EngineChoice = 'auto'): MemoryCheck {
  const backend = tf.getBackend();
  const engine = chooseEngine(config, choice, backend, compiledKernel()?.variant ?? null).path;
  return checkMemory(config, { backend, engine });
}

/**
 * Throws {@link MemoryBudgetError} when `config` would not fit: the training loop calls it before
 * allocating anything, so every way in (page, comparison, CLI) gets a message, not a crash.
 */
export function assertRunFits(config: TrainingConfig, choice: EngineChoice = 'auto'): void {
  const check = checkRunMemory(config, choice);
  if (!check.ok) throw new MemoryBudgetError(check.message);
}
