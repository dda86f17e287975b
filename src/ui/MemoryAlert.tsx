import type { BackendChoice } from '../core/backends.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { EngineChoice } from '../core/engines.ts';
import { checkMemory, expectedEngine, type MemoryCheck } from '../core/memoryEstimate.ts';
import type { BackendInfo } from '../worker/protocol.ts';

/**
 * The memory check of the config being edited, for the backend that will run it: the one in use
 * (`active`, with its WebGPU device's buffer limits when it has them), else the one picked, else
 * WASM (what `auto` ends on without a real GPU). The worker checks again with the backend, engine
 * and device it really has.
 */
export function formMemoryCheck(
  config: TrainingConfig | null,
  choice: BackendChoice,
  active: Pick<BackendInfo, 'name' | 'gpuLimits'> | null,
  engine: EngineChoice,
): MemoryCheck | null {
  if (config === null) return null;
  const backend = active?.name ?? (choice === 'auto' ? 'wasm' : choice);
  const gpuLimits = active?.gpuLimits ?? null;
  return checkMemory(config, { backend, engine: expectedEngine(config, engine, backend), gpuLimits });
}

/** Shown above the run controls (and Train is disabled) while the config would not fit. */
export function MemoryAlert({ check }: { readonly check: MemoryCheck | null }) {
  if (check === null || check.ok) return null;
  return (
    <p className="banner" role="alert" data-testid="memory-alert" data-field={check.field}>
      Too big to train here: {check.message}
    </p>
  );
}
