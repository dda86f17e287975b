/**
 * How the fused WebGPU engine cuts each matrix product C[M, N] = A[M, K]·B[K, N] of a step into
 * workgroups: the tile of C one workgroup computes, and whether K is split ("split-K") so that a
 * product with few tiles but a long K — the first layer's `X·W` (K = 784) at a small batch, or
 * `Hᵀ·dZ` (K = the batch) at a large one — still fills a GPU. A split product writes one partial
 * sum per part into a scratch region (`GpuLayout.partials`); a second dispatch adds the parts in
 * a fixed order (part 0, 1, …) for each element, so a run is repeatable (no float atomics).
 * Pure: `gpuLayout.ts` records a plan per product and sizes the scratch from them, and the
 * shaders (`src/ml/gpu/gemmShader.ts`, `gemmReduce.ts`) follow them.
 */

/**
 * Rows of K staged in workgroup memory per slice (one pair of barriers per slice). 32 halves the
 * barriers but doubles the unrolled multiply loop: on SwiftShader it compiled 1.5× slower and
 * ran no faster.
 */
export const GEMM_TILE_K = 16;
/** Invocations of one product workgroup. */
export const GEMM_INVOCATIONS = 64;
/**
 * Workgroups a product should reach before its K is split: about one per compute unit of a large
 * GPU (an H200 has 132 SMs). A split adds a dispatch and the partial sums, so a product with this
 * many tiles is left whole.
 */
export const GEMM_TARGET_WORKGROUPS = 128;
/**
 * The shortest run of K one part of a split product sums (8 slices): a split costs a dispatch
 * more, which only a long K repays (the first layer's 784; a batch of 256 or more).
 */
export const GEMM_MIN_PART_K = 8 * GEMM_TILE_K;

/** How one product is cut. */
export interface GemmPlan {
  /** Rows and columns of C per workgroup: 64×32, 32×32 or 64×16 (64×64 and 32×64 also run). */
  readonly tileM: number;
  readonly tileN: number;
  /** Parts K is split into (1: not split). */
  readonly parts: number;
  /** K per part, a multiple of {@link GEMM_TILE_K} (K itself when not split). */
  readonly partK: number;
}

/**
 * The plan for a product of at most `m` rows (for the batch dimension: the largest batch), `n`
 * columns and `k` (the largest) terms: 64×32 tiles (an 8×4 register block per invocation — a
 * 64×64 tile's 8×8 block halves the workgroups of the small products an MLP step is made of and
 * takes twice as long to compile on SwiftShader), 32×32 for M ≤ 32, 64×16 for N ≤ 16 (the
 * output layer); then K is split until the product has about {@link GEMM_TARGET_WORKGROUPS}
 * workgroups, each part summing at least {@link GEMM_MIN_PART_K}.
 */
export function gemmPlan(m: number, n: number, k: number): GemmPlan {
  for (const [name, value] of [
    ['m', m],
    ['n', n],
    ['k', k],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`gemmPlan: ${name} must be a positive integer, not ${value}`);
  }
  const tileN = n <= 16 ? 16 : 32;
  const tileM = tileN === 16 || m > 32 ? 64 : 32;
  const tiles = Math.ceil(m / tileM) * Math.ceil(n / tileN);
  const wanted = Math.ceil(GEMM_TARGET_WORKGROUPS / tiles);
  const most = Math.max(1, Math.floor(k / GEMM_MIN_PART_K));
  const parts = Math.min(wanted, most);
  if (parts <= 1) return { tileM, tileN, parts: 1, partK: k };
  const partK = Math.ceil(Math.ceil(k / parts) / GEMM_TILE_K) * GEMM_TILE_K;
  return { tileM, tileN, parts: Math.ceil(k / partK), partK };
}

/** Floats of partial sums a split product of at most `m` rows and `n` columns needs (0: not split). */
export function gemmPartialFloats(plan: GemmPlan, m: number, n: number): number {
  return plan.parts > 1 ? plan.parts * m * n : 0;
}
