import type { TrainingConfig } from '../../core/config.ts';
import type { LabelledImages } from '../../core/idx.ts';
import { SeededRandom } from '../../core/random.ts';
import { allIndices } from '../dataset.ts';
import type { Mlp } from '../mlp.ts';
import { FusedEngine, type FusedEngineOptions } from './fusedEngine.ts';
import { compiledKernel } from './kernel.ts';

/**
 * Test support: one seeded set-up and batch schedule that the fused kernel's split and thread
 * tests train on, so each run they compare differs only in how the step is split.
 */

/**
 * A plain-SIMD fused engine for `model` (built from `config`) on `images`, with fixed seeds for
 * augmentation and dropout and batches of up to 128; `threads` says how steps are split (and may
 * replace the normalisation, mean 0.13 and std 0.31 otherwise).
 */
export function scheduleEngine(
  config: TrainingConfig,
  model: Mlp,
  images: LabelledImages,
  threads: Pick<FusedEngineOptions, 'threading' | 'sequentialSplit'> &
    Partial<Pick<FusedEngineOptions, 'normalization'>>,
): FusedEngine {
  const kernel = compiledKernel('simd');
  if (kernel === null) throw new Error('no WebAssembly SIMD');
  return new FusedEngine(kernel, {
    config,
    model,
    images,
    trainIndices: allIndices(images.count),
    normalization: { mean: 0.13, std: 0.31 },
    augmentRng: new SeededRandom(4),
    dropoutRng: new SeededRandom(5),
    maxBatch: 128,
    ...threads,
  });
}

/**
 * `steps` steps at batch sizes cycling through `sizes` (each ≤ 128), each batch a window of one
 * seeded permutation of `count` images, at a learning rate of 0.003; returns the batch losses.
 */
export function trainOnSchedule(
  engine: { trainStep(positions: Int32Array, learningRate: number): { readonly loss: number } },
  count: number,
  steps: number,
  sizes: readonly number[],
): number[] {
  const order = new SeededRandom(6).permutation(count);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const size = sizes[step % sizes.length] ?? 1;
    const start = (step * 37) % (count - size);
    losses.push(engine.trainStep(order.subarray(start, start + size), 0.003).loss);
  }
  return losses;
}
