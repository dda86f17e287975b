/**
 * Which training engine runs the steps. `fused`: our own WebAssembly SIMD kernel that does a
 * whole step (forward, loss, backward, optimizer) in one call on the CPU, far faster than TF.js
 * ops at MNIST-MLP sizes; `tfjs`: TF.js ops on the selected backend (GPU backends, batch norm).
 * `auto` picks `fused` when the backend runs on the CPU (wasm, cpu) and the config is supported.
 */
export type EngineChoice = 'auto' | 'fused' | 'tfjs';
export type EnginePath = Exclude<EngineChoice, 'auto'>;
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'fused', 'tfjs'];

export function isEngineChoice(value: unknown): value is EngineChoice {
  return typeof value === 'string' && (ENGINE_CHOICES as readonly string[]).includes(value);
}

/** The engine a run uses and, in words, why (shown in Details and the bench). */
export interface EngineInfo {
  readonly path: EnginePath;
  readonly reason: string;
}
