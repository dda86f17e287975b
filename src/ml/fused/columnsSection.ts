import { KERNEL_ACTIVATION_CODES, type KernelExports } from '../../core/kernelBindings.ts';
import { threadShare } from '../../core/kernelThreads.ts';
import type { StepPlan } from './fusedSections.ts';

/**
 * The columns sections of a fused step (see `fusedSections.ts`): batch norm, which needs each
 * column's statistics over the whole batch, split by the layer's columns (`kernels/batchNorm.ts`).
 */

/** Columns per block: the kernel takes four columns at a time in SIMD lanes. */
const COLUMN_UNIT = 4;

/** One batch-norm pass of hidden layer `layer`, forward (training mode) or backward. */
export interface ColumnOp {
  readonly kind: 'normalise' | 'normaliseBackward';
  readonly layer: number;
}

/** Thread `thread` of `threads`: its columns of a columns section's batch-norm passes. */
export function columnsSection(
  k: KernelExports,
  plan: StepPlan,
  ops: readonly ColumnOp[],
  batch: number,
  thread: number,
  threads: number,
): void {
  for (const op of ops) {
    const l = plan.layout.layers[op.layer];
    const bn = l?.batchNorm;
    if (l === undefined || bn == null) throw new Error(`fused step: layer ${op.layer + 1} has no batch norm`);
    const [c0, c1] = threadShare(l.outPad, COLUMN_UNIT, thread, threads);
    if (c0 >= c1) continue;
    // The block's first column in each buffer, its width, its real (unpadded) columns.
    const at = (offset: number) => offset + c0 * 4;
    const mask = l.mask === null ? 0 : at(l.mask);
    const cols = c1 - c0;
    const real = Math.max(0, Math.min(c1, l.fanOut) - c0);
    const act = KERNEL_ACTIVATION_CODES[l.activation];
    switch (op.kind) {
      case 'normalise': {
        const momentum = plan.batchNormMomentum;
        k.batchNormForward(
          at(l.z),
          at(l.b),
          at(bn.gamma),
          at(bn.beta),
          at(bn.runningMean),
          at(bn.runningVar),
          at(bn.mean),
          at(bn.invStd),
          at(bn.output),
          at(l.a),
          mask,
          at(l.h),
          batch,
          cols,
          real,
          l.outPad,
          act,
          plan.batchNormEpsilon,
          1 - momentum,
          momentum,
          varianceRate(momentum, batch),
        );
        break;
      }
      case 'normaliseBackward':
        k.batchNormBackward(
          at(l.dh),
          mask,
          at(bn.output),
          at(l.a),
          at(l.z),
          at(bn.gamma),
          at(bn.invStd),
          at(bn.gradGamma),
          at(bn.gradBeta),
          at(l.dz),
          batch,
          cols,
          real,
          l.outPad,
          act,
        );
        break;
      default:
        op.kind satisfies never;
    }
  }
}

/**
 * The running variance moves by momentum · the unbiased batch variance, σ²·B/(B − 1), as in the
 * TF.js path (`updateRunningStats` in `src/ml/mlp.ts`), which keeps the biased value at B = 1.
 */
export function varianceRate(momentum: number, batch: number): number {
  return momentum * (batch > 1 ? batch / (batch - 1) : 1);
}
