import type { KernelVariant } from '../../core/engines.ts';
import type { KernelExports } from '../../core/kernelBindings.ts';
import type { KernelMemory } from '../../core/kernelBindings.ts';
import {
  KERNEL_RELAXED_BASE64,
  KERNEL_RELAXED_SHARED_BASE64,
  KERNEL_SIMD_BASE64,
  KERNEL_SIMD_SHARED_BASE64,
} from './kernelBinary.ts';

/** A compiled kernel module (opaque; it can be posted to workers). */
export type KernelModule = object;
/** A `WebAssembly.Memory` the kernel imports (shared ones can be posted to workers). */
export type KernelMemoryHandle = KernelMemory;
interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => KernelModule;
  Instance: new (module: KernelModule, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => KernelMemoryHandle;
}
/** The slice of the WebAssembly JS API used, typed locally: Node's types lack the namespace. */
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** A compiled kernel and which build it is. */
export interface CompiledKernel {
  readonly module: KernelModule;
  readonly variant: KernelVariant;
  /** Whether it imports a shared memory (threads) or an unshared one. */
  readonly shared: boolean;
}

const compiled = new Map<string, KernelModule | null>();

function binaryOf(variant: KernelVariant, shared: boolean): string {
  if (variant === 'relaxed') return shared ? KERNEL_RELAXED_SHARED_BASE64 : KERNEL_RELAXED_BASE64;
  return shared ? KERNEL_SIMD_SHARED_BASE64 : KERNEL_SIMD_BASE64;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function compile(variant: KernelVariant, shared: boolean): KernelModule | null {
  const key = `${variant}:${shared}`;
  if (!compiled.has(key)) {
    const bytes = decode(binaryOf(variant, shared));
    compiled.set(key, wasm !== undefined && wasm.validate(bytes) ? new wasm.Module(bytes) : null);
  }
  return compiled.get(key) ?? null;
}

/**
 * The fastest kernel build this engine can run — relaxed SIMD where it validates, else plain
 * SIMD — or null where WebAssembly SIMD is unavailable (then training uses TF.js ops).
 * `only` restricts the choice to one build (tests); `shared` asks for the build that imports a
 * shared memory (threads). Compiled once per thread (~8 kB each, so synchronous compilation is
 * fine in workers and Node).
 */
export function compiledKernel(only?: KernelVariant, shared = false): CompiledKernel | null {
  for (const variant of only ? [only] : (['relaxed', 'simd'] as const)) {
    const module = compile(variant, shared);
    if (module !== null) return { module, variant, shared };
  }
  return null;
}

/**
 * A memory of `bytes` (whole 64 KiB pages) for one run, so a run's buffers are freed with it;
 * `shared` where threads will use it. Null when a shared memory cannot be made here.
 */
export function createKernelMemory(bytes: number, shared: boolean): KernelMemoryHandle | null {
  if (wasm === undefined) throw new Error('WebAssembly is not available');
  const pages = Math.ceil(bytes / 65536);
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared });
  } catch (error) {
    if (shared) return null;
    throw error;
  }
}

/** An instance of `module` on `memory` (the kernel's only import). */
export function instantiateKernel(module: KernelModule, memory: KernelMemoryHandle): KernelExports {
  if (wasm === undefined) throw new Error('WebAssembly is not available');
  return new wasm.Instance(module, { env: { memory } }).exports as KernelExports;
}
