import { KERNEL_RELAXED_BASE64, KERNEL_SIMD_BASE64 } from './kernelBinary.ts';

/**
 * The slice of the WebAssembly JS API used here, typed locally: `src/ml` also compiles for Node,
 * whose type definitions lack most of the `WebAssembly` namespace.
 */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** A compiled kernel module (opaque). */
export type KernelModule = object;
interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => KernelModule;
  Instance: new (module: KernelModule, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * The fused kernel's exports (kernels/mlp.ts). Pointers are byte offsets into `memory`; matrices
 * are row-major f32 with leading dimensions in elements; every width is padded to 8.
 */
export interface KernelExports {
  readonly memory: KernelMemory;
  heapBase(): number;
  /** C[m×n] = A[m×k]·B[k×n]: n % 8 = 0. */
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    lda: number,
    ldb: number,
    ldc: number,
  ): void;
  /** C[k×n] = A[m×k]ᵀ·B[m×n]: k % 4 = 0, n % 8 = 0. */
  gemmTN(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    lda: number,
    ldb: number,
    ldc: number,
  ): void;
  transpose(src: number, dst: number, rows: number, cols: number, lds: number, ldd: number): void;
  biasActivate(
    z: number,
    bias: number,
    y: number,
    m: number,
    n: number,
    ld: number,
    activation: number,
  ): void;
  activationBackward(
    dy: number,
    z: number,
    y: number,
    dz: number,
    m: number,
    n: number,
    ld: number,
    activation: number,
  ): void;
  multiply(a: number, b: number, out: number, count: number): void;
  columnSums(dz: number, out: number, m: number, ld: number): void;
  gatherRows(
    pixels: number,
    indices: number,
    count: number,
    width: number,
    out: number,
    scale: number,
    offset: number,
  ): void;
  normalizeBytes(bytes: number, count: number, out: number, scale: number, offset: number): void;
  lossAndGradient(
    logits: number,
    labels: number,
    dlogits: number,
    m: number,
    ld: number,
    classes: number,
    kind: number,
    smoothing: number,
  ): number;
  lastCorrect(): number;
  penaltyGradient(w: number, g: number, count: number, l2: number, l1: number): void;
  scaleInPlace(w: number, count: number, factor: number): void;
  sgd(w: number, g: number, count: number, lr: number): void;
  momentum(w: number, g: number, v: number, count: number, lr: number, mu: number, nesterov: boolean): void;
  adam(
    w: number,
    g: number,
    m1: number,
    m2: number,
    count: number,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    c1: number,
    c2: number,
  ): void;
  rmsprop(w: number, g: number, s: number, count: number, lr: number, rho: number, epsilon: number): void;
  adagrad(w: number, g: number, acc: number, count: number, lr: number, epsilon: number): void;
}

/** `relaxed`: SIMD plus relaxed-SIMD fused multiply-add (Chrome 114+); `simd`: plain SIMD. */
export type KernelVariant = 'relaxed' | 'simd';

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
