import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags the CLI needs so that Node runs the same fused-kernel build as Chromium. Node 20's V8
 * (11.3) implements relaxed SIMD but validates it only behind `--experimental-wasm-relaxed-simd`
 * (Chromium ships it on by default since 114), so without the flag `compiledKernel` finds the
 * relaxed build invalid and Node trains with the plain-SIMD build (no fused multiply-add: about
 * 15–25% slower GEMMs). V8 flags are process-wide, so worker threads started later see them too.
 * Must run before anything compiles the kernel (`compiledKernel` caches its answer per variant).
 * A no-op on Node versions that ship relaxed SIMD unflagged or no longer know the flag.
 */
export const WASM_FEATURE_FLAGS: readonly string[] = ['--experimental-wasm-relaxed-simd'];

export function enableWasmFeatures(): void {
  for (const flag of WASM_FEATURE_FLAGS) setFlagsFromString(flag);
}
