import { MNIST_PIXELS } from '../../core/idx.ts';
import type { KernelExports } from '../../core/kernelBindings.ts';
import type { StepPlan } from './fusedSections.ts';

/**
 * The two whole-batch sums the first layer on the input's nonzero pixels needs
 * (`kernels/sparseInput.ts`), done by thread 0 between sections (a few microseconds each, less
 * than the barrier a section of their own would cost):
 *
 * - {@link inputBase}, before the step's first section: offset·Σ_p W[p, :], the blank pixels'
 *   share of every row's z = x·W, from the weights the previous step left;
 * - {@link inputGradientSums}, before the weights section: g = Σ_i dz[i, :] over the batch, the
 *   blank pixels' share of every row of dW, which is also the first layer's bias gradient (the
 *   weights section then does not sum it again).
 *
 * No-ops where the plan has no sparse input layer.
 */
export function inputBase(k: KernelExports, plan: StepPlan): void {
  const sparse = plan.layout.sparseInput;
  const first = plan.layout.layers[0];
  if (sparse === null || first === undefined) return;
  k.columnSums(first.w, sparse.base, MNIST_PIXELS, first.outPad, first.outPad);
  k.scaleInPlace(sparse.base, first.outPad, plan.offset);
}

/** See {@link inputBase}: g = Σ_i dz[i, :] into the first layer's bias gradient. */
export function inputGradientSums(k: KernelExports, plan: StepPlan, batch: number): void {
  const first = plan.layout.layers[0];
  if (plan.layout.sparseInput === null || first === undefined) return;
  k.columnSums(first.dz, first.gb, batch, first.outPad, first.outPad);
}
