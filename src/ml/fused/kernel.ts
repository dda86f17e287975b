import type { KernelVariant } from '../../core/engines.ts';
import type { KernelExports } from '../../core/kernelBindings.ts';
import { KERNEL_RELAXED_BASE64, KERNEL_SIMD_BASE64 } from './kernelBinary.ts';

/** A compiled kernel module (opaque). */
export type KernelModule = object;
interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => KernelModule;
  Instance: new (module: KernelModule, imports: object) => { readonly exports: unknown };
}
/** The slice of the WebAssembly JS API used, typed locally: Node's types lack the namespace. */
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** A compiled kernel and which build it is. */
export interface CompiledKernel {
  readonly module: KernelModule;
  readonly variant: KernelVariant;
}

const compiled = new Map<KernelVariant, KernelModule | null>();

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function compile(variant: KernelVariant): KernelModule | null {
  if (!compiled.has(variant)) {
    const bytes = decode(variant === 'relaxed' ? KERNEL_RELAXED_BASE64 : KERNEL_SIMD_BASE64);
    compiled.set(variant, wasm !== undefined && wasm.validate(bytes) ? new wasm.Module(bytes) : null);
  }
  return compiled.get(variant) ?? null;
}

/**
 * The fastest kernel build this engine can run — relaxed SIMD where it validates, else plain
 * SIMD — or null where WebAssembly SIMD is unavailable (then training uses TF.js ops).
 * `only` restricts the choice to one build (tests). Compiled once per thread (~8 kB each, so
 * synchronous compilation is fine in workers and Node).
 */
export function compiledKernel(only?: KernelVariant): CompiledKernel | null {
  for (const variant of only ? [only] : (['relaxed', 'simd'] as const)) {
    const module = compile(variant);
    if (module !== null) return { module, variant };
  }
  return null;
}

/** A fresh instance with its own memory (one per run, so a run's buffers are freed with it). */
export function instantiateKernel(module: KernelModule): KernelExports {
  if (wasm === undefined) throw new Error('WebAssembly is not available');
  return new wasm.Instance(module, {}).exports as KernelExports;
}
