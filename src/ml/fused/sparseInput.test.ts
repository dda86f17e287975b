import { describe, expect, it } from 'vitest';
import { KERNEL_HEAP_BASE } from '../../core/kernelBindings.ts';
import { SeededRandom } from '../../core/random.ts';
import { compiledKernel, createKernelMemory, instantiateKernel } from './kernel.ts';

/**
 * The first layer on the input's nonzero pixels (kernels/sparseInput.ts) computes the same
 * products as the dense GEMMs on the normalised input, z = x·W and dW = xᵀ·dz, to float
 * rounding; and its weight gradient is bit-identical however the pixel rows are split.
 */

const WIDTH = 784;
const BATCH = 13;
const N = 24;

function setUp(variant: 'simd' | 'relaxed') {
  const kernel = compiledKernel(variant);
  if (kernel === null) return null;
  const memory = createKernelMemory(64 * 65536, false);
  if (memory === null) throw new Error('no memory');
  const k = instantiateKernel(kernel.module, memory);
  let next = Math.ceil(KERNEL_HEAP_BASE / 64) * 64;
  const reserve = (bytes: number) => {
    const at = next;
    next = Math.ceil((at + bytes) / 64) * 64;
    return at;
  };
  const at = {
    pixels: reserve(BATCH * WIDTH),
    rows: reserve(BATCH * 4),
    indices: reserve(BATCH * WIDTH * 4),
    values: reserve(BATCH * WIDTH * 4),
    counts: reserve(BATCH * 4),
    input: reserve(BATCH * WIDTH * 4),
    w: reserve(WIDTH * N * 4),
    base: reserve(N * 4),
    z: reserve(BATCH * N * 4),
    zDense: reserve(BATCH * N * 4),
    dz: reserve(BATCH * N * 4),
    g: reserve(N * 4),
    dw: reserve(WIDTH * N * 4),
    dwDense: reserve(WIDTH * N * 4),
    dwSplit: reserve(WIDTH * N * 4),
  };
  const rng = new SeededRandom(9);
  const bytes = new Uint8Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);
  // MNIST-like: mostly blank, a few strokes; one blank image.
  for (let r = 0; r < BATCH; r++) {
    for (let p = 0; p < WIDTH; p++) {
      bytes[at.pixels + r * WIDTH + p] = r !== 3 && rng.nextFloat() < 0.2 ? 1 + rng.nextInt(255) : 0;
    }
  }
  for (let i = 0; i < WIDTH * N; i++) f32[at.w / 4 + i] = rng.nextFloat() - 0.5;
  for (let i = 0; i < BATCH * N; i++) f32[at.dz / 4 + i] = rng.nextFloat() - 0.5;
  return { k, at, f32 };
}

describe.each(['simd', 'relaxed'] as const)('sparse input layer (%s build)', (variant) => {
  const env = setUp(variant);
  it.skipIf(env === null)('matches the dense products on the normalised input', () => {
    if (env === null) return;
    const { k, at, f32 } = env;
    const scale = 1 / (255 * 0.3081);
    const offset = -0.1307 / 0.3081;
    k.normalizeBytes(at.pixels, BATCH * WIDTH, at.input, scale, offset);
    k.listNonzeroInputs(at.pixels, at.rows, false, 0, BATCH, WIDTH, at.indices, at.values, at.counts);
    expect(f32[at.counts / 4 + 3]).toBe(0);

    // Forward: base = offset·Σ_p W[p, :].
    k.columnSums(at.w, at.base, WIDTH, N, N);
    k.scaleInPlace(at.base, N, offset);
    k.sparseInputProduct(at.indices, at.values, at.counts, WIDTH, at.w, at.base, scale, at.z, N, 0, BATCH);
    k.gemm(at.input, at.w, at.zDense, BATCH, WIDTH, N, WIDTH, N, N, false);
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
    for (let i = 0; i < BATCH * N; i++)
      expect(close(f32[at.z / 4 + i] ?? NaN, f32[at.zDense / 4 + i] ?? NaN)).toBe(true);

    // Gradient: g = Σ_i dz[i, :].
    k.columnSums(at.dz, at.g, BATCH, N, N);
    /** dW rows p0…p1−1 into the buffer at `into`. */
    const gradient = (into: number, p0: number, p1: number) =>
      k.sparseInputWeightGradient(
        at.indices,
        at.values,
        at.counts,
        WIDTH,
        BATCH,
        at.dz,
        at.g,
        scale,
        offset,
        into,
        N,
        p0,
        p1,
      );
    gradient(at.dw, 0, WIDTH);
    k.gemm(at.input, at.dz, at.dwDense, WIDTH, BATCH, N, WIDTH, N, N, true);
    for (let i = 0; i < WIDTH * N; i++)
      expect(close(f32[at.dw / 4 + i] ?? NaN, f32[at.dwDense / 4 + i] ?? NaN)).toBe(true);

    // Split into three pixel ranges: the same bits.
    for (const [p0, p1] of [
      [0, 260],
      [260, 520],
      [520, WIDTH],
    ] as const) {
      gradient(at.dwSplit, p0, p1);
    }
    expect(f32.slice(at.dwSplit / 4, at.dwSplit / 4 + WIDTH * N)).toEqual(
      f32.slice(at.dw / 4, at.dw / 4 + WIDTH * N),
    );
  });
});
