/**
 * How the fused WebGPU engine cuts each matrix product C[M, N] = A[M, K]·B[K, N] of a step into
 * workgroups: the tile of C one workgroup computes. Pure: `gpuLayout.ts` records a plan per
 * product and the shaders (`src/ml/gpu/gemmShader.ts`) follow it.
 */

/**
 * Rows of K staged in workgroup memory per slice (one pair of barriers per slice). 32 halves the
 * barriers but doubles the unrolled multiply loop: on SwiftShader it compiled 1.5× slower and
 * ran no faster.
 */
export const GEMM_TILE_K = 16;
/** Invocations of one product workgroup. */
export const GEMM_INVOCATIONS = 64;

/** How one product is cut. */
export interface GemmPlan {
  /** Rows and columns of C per workgroup: 64×32, 32×32 or 64×16 (64×64 and 32×64 also run). */
  readonly tileM: number;
  readonly tileN: number;
}

/**
 * The plan for a product of at most `m` rows (for the batch dimension: the largest batch), `n`
 * columns and `k` (the largest) terms: 64×32 tiles (an 8×4 register block per invocation — a
 * 64×64 tile's 8×8 block halves the workgroups of the small products an MLP step is made of and
 * takes twice as long to compile on SwiftShader), 32×32 for M ≤ 32, 64×16 for N ≤ 16 (the output layer).
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
  return { tileM, tileN };
}
