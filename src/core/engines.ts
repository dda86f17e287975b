import type { TrainingConfig } from './config.ts';
import type { CandidateRate } from './engineTrial.ts';

/**
 * Which training engine runs the steps. `fused`: our own WebAssembly SIMD kernel that does a
 * whole step (forward, loss, backward, optimizer) in one call on the CPU, far faster than TF.js
 * ops at MNIST-MLP sizes, batch norm included; `webgpu`: our fused WebGPU engine, the whole step
 * as about a dozen WGSL dispatches on the GPU of the `webgpu` backend; `tfjs`: TF.js ops on the
 * selected backend. `auto` measures the candidates that can run here at the start of a run
 * (`core/engineTrial.ts`) and, before any measurement, follows {@link chooseEngine}.
 */
export type EngineChoice = 'auto' | 'fused' | 'webgpu' | 'tfjs';
export type EnginePath = Exclude<EngineChoice, 'auto'>;
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'fused', 'webgpu', 'tfjs'];

/** Each engine in a sentence ("… with the fused kernel"; "Using the fused WebGPU engine"). */
export const ENGINE_NAMES: Readonly<Record<EnginePath, string>> = {
  fused: 'the fused kernel',
  webgpu: 'the fused WebGPU engine',
  tfjs: 'TF.js ops',
};

export function isEngineChoice(value: unknown): value is EngineChoice {
  return typeof value === 'string' && (ENGINE_CHOICES as readonly string[]).includes(value);
}

/** The engine a run uses and, in words, why (shown in Details and the bench). */
export interface EngineInfo {
  readonly path: EnginePath;
  readonly reason: string;
  /**
   * Every candidate `auto` measured (or found in its cache) to make this choice, with its rate;
   * absent when nothing was measured (a forced engine, a short run). See `core/engineTrial.ts`.
   */
  readonly measured?: readonly CandidateRate[];
}

/**
 * The fused kernel's two builds: `relaxed` is SIMD plus relaxed-SIMD fused multiply-add
 * (Chrome 114+), `simd` plain WebAssembly SIMD. Which one a thread can run is found by
 * compiling it (`compiledKernel` in `src/ml/fused/kernel.ts`).
 */
export type KernelVariant = 'relaxed' | 'simd';

/** Backends whose TF.js kernels run on the CPU, where the fused kernel is much faster. */
const CPU_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu', 'tensorflow']);

function kernelName(kernel: KernelVariant): string {
  switch (kernel) {
    case 'relaxed':
      return 'fused WebAssembly SIMD kernel with FMA (relaxed SIMD)';
    case 'simd':
      return 'fused WebAssembly SIMD kernel';
    default:
      return kernel satisfies never;
  }
}

/**
 * Which engine a run uses and why — the one decision, made by the worker before a run (with the
 * kernel build it could compile) and by the page's memory check before Train (assuming plain
 * SIMD, which every browser this app supports has). `auto` here is the guess used where nothing
 * was measured (the memory check, a run whose trial failed): the fused kernel when TF.js runs on
 * the CPU, the fused WebGPU engine on webgpu, TF.js ops on webgl. A run's own `auto` measures.
 *
 * @param _config the run's config: every config the form accepts runs in the kernel (batch norm
 *   included since issue 15), so it decides nothing today; a feature the kernel lacks would
 *   send its configs to TF.js ops here, with the reason.
 * @param backend the TF.js backend name in use (`tf.getBackend()`), e.g. `wasm`, `webgl`.
 * @param kernel the fused kernel build this thread can run; null where WebAssembly SIMD is
 *   unavailable (then TF.js ops, whatever the choice).
 */
export function chooseEngine(
  _config: TrainingConfig,
  choice: EngineChoice,
  backend: string,
  kernel: KernelVariant | null = 'simd',
): EngineInfo {
  if (choice === 'tfjs') return { path: 'tfjs', reason: 'TF.js ops, as chosen' };
  if (choice === 'webgpu') {
    return backend === 'webgpu'
      ? { path: 'webgpu', reason: 'fused WebGPU engine, as chosen' }
      : {
          path: 'tfjs',
          reason: `TF.js ops: the fused WebGPU engine needs the webgpu backend, not ${backend}`,
        };
  }
  if (kernel === null) {
    return { path: 'tfjs', reason: 'TF.js ops: no WebAssembly SIMD here for the fused kernel' };
  }
  const name = kernelName(kernel);
  if (choice === 'fused') return { path: 'fused', reason: `${name}, as chosen` };
  if (CPU_BACKENDS.has(backend))
    return { path: 'fused', reason: `${name}: the ${backend} backend runs on the CPU` };
  if (backend === 'webgpu') return { path: 'webgpu', reason: 'fused WebGPU engine on the webgpu backend' };
  return { path: 'tfjs', reason: `TF.js ops on the ${backend} backend (GPU)` };
}
