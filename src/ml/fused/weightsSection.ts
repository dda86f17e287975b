import type { OptimizerConfig } from '../../core/config.ts';
import type { FusedLayerLayout } from '../../core/fusedLayout.ts';
import { MNIST_PIXELS } from '../../core/idx.ts';
import type { KernelExports } from '../../core/kernelBindings.ts';
import { threadShare } from '../../core/kernelThreads.ts';
import type { StepArguments, StepPlan } from './fusedSections.ts';
import { ROW_UNIT } from './rowsSection.ts';

/**
 * The weights section of a fused step (see `fusedSections.ts`): split by weight rows and by
 * bias (and batch-norm γ, β) columns of each layer, each thread computing the gradients of its
 * parameters over the whole batch and updating exactly those.
 */

/** TF.js's float32 backend epsilon, which its Adagrad adds under the square root. */
export const BACKEND_EPSILON = 1e-7;

/**
 * Thread `thread` of `threads`: its weight rows and bias columns of every layer, updated. L1/L2
 * and AdamW's decay act on the kernels only, as in the TF.js path (`Mlp.kernels`); γ and β get
 * the plain optimizer update of the gradients the columns section left.
 */
export function weightsSection(
  k: KernelExports,
  plan: StepPlan,
  args: StepArguments,
  thread: number,
  threads: number,
): void {
  const { layers, input } = plan.layout;
  layers.forEach((l, i) => {
    const below = i === 0 ? input : (layers[i - 1] as FusedLayerLayout).h;
    const [r0, r1] = threadShare(l.inPad, ROW_UNIT, thread, threads);
    if (r0 < r1) {
      const rows = r1 - r0;
      const offset = r0 * l.outPad * 4;
      const sparse = i === 0 ? plan.layout.sparseInput : null;
      if (sparse !== null) {
        // l.gb already holds Σ dz (the gradientSums section before this one).
        const { indices, values, counts } = sparse;
        const { batch } = args;
        k.sparseInputWeightGradient(
          indices,
          values,
          counts,
          MNIST_PIXELS,
          batch,
          l.dz,
          l.gb,
          plan.scale,
          plan.offset,
          l.gw,
          l.outPad,
          r0,
          r1,
        );
      } else {
        k.gemm(
          below + r0 * 4,
          l.dz,
          l.gw + offset,
          rows,
          args.batch,
          l.outPad,
          l.inPad,
          l.outPad,
          l.outPad,
          true,
        );
      }
      if (plan.l1 > 0 || plan.l2 > 0)
        k.penaltyGradient(l.w + offset, l.gw + offset, rows * l.outPad, plan.l2, plan.l1);
      if (plan.optimizer.kind === 'adamw') {
        const factor = 1 - args.learningRate * plan.optimizer.weightDecay;
        if (factor !== 1) k.scaleInPlace(l.w + offset, rows * l.outPad, factor);
      }
      update(k, plan, args, l.w + offset, rows * l.outPad);
      if (l.wt !== null) k.transpose(l.w + offset, l.wt + r0 * 4, rows, l.outPad, l.outPad, l.inPad);
    }
    const [c0, c1] = threadShare(l.outPad, ROW_UNIT, thread, threads);
    if (c0 < c1) {
      if (i !== 0 || plan.layout.sparseInput === null)
        k.columnSums(l.dz + c0 * 4, l.gb + c0 * 4, args.batch, c1 - c0, l.outPad);
      update(k, plan, args, l.b + c0 * 4, c1 - c0);
      if (l.batchNorm !== null) {
        update(k, plan, args, l.batchNorm.gamma + c0 * 4, c1 - c0);
        update(k, plan, args, l.batchNorm.beta + c0 * 4, c1 - c0);
      }
    }
  });
}

/**
 * The optimizer update of the `count` parameters at byte offset `w`; their gradients and state
 * sit at the same distance into the gradient and state regions.
 */
function update(k: KernelExports, plan: StepPlan, args: StepArguments, w: number, count: number): void {
  const { params, grads, state1, state2 } = plan.layout;
  const at = w - params;
  const pointers = { w, g: grads + at, s1: (state1 ?? 0) + at, s2: (state2 ?? 0) + at };
  optimizerUpdate(k, plan.optimizer, args, pointers, count);
}

/** Byte offsets of a run of parameters, their gradients and their optimizer state (1 and 2). */
export interface UpdatePointers {
  readonly w: number;
  readonly g: number;
  readonly s1: number;
  readonly s2: number;
}

/**
 * The kernel's update of `count` parameters for optimizer `o` (also the reference the WebGPU
 * optimizer pass is tested against): which kernel function, with which state, per kind.
 */
export function optimizerUpdate(
  k: KernelExports,
  o: OptimizerConfig,
  args: Pick<StepArguments, 'learningRate' | 'c1' | 'c2'>,
  { w, g, s1, s2 }: UpdatePointers,
  count: number,
): void {
  const lr = args.learningRate;
  switch (o.kind) {
    case 'sgd':
      return k.sgd(w, g, count, lr);
    case 'momentum':
      return k.momentum(w, g, s1, count, lr, o.momentum, o.nesterov);
    case 'adamw':
    case 'adam':
      return k.adam(w, g, s1, s2, count, lr, o.beta1, o.beta2, o.epsilon, args.c1, args.c2);
    case 'rmsprop':
      return k.rmsprop(w, g, s1, count, lr, o.rho, o.epsilon);
    case 'adagrad':
      return k.adagrad(w, g, s2, count, lr, BACKEND_EPSILON);
    default:
      return o.kind satisfies never;
  }
}
