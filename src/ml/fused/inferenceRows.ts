import { MNIST_PIXELS } from '../../core/idx.ts';
import { KERNEL_ACTIVATION_CODES, type KernelExports } from '../../core/kernelBindings.ts';
import { threadShare } from '../../core/kernelThreads.ts';
import type { StepPlan } from './fusedSections.ts';
import { f32Row, inputRows, layerProduct, lossRows, ROW_UNIT } from './rowsSection.ts';

/**
 * The forward pass in inference mode (no dropout) and the loss of each row, for evaluating the
 * validation split on the kernel between epochs (`FusedEngine.evaluateRows`): a rows section
 * like the training step's first one, split by rows between threads the same way. Plans with
 * batch norm do not use it (inference mode needs the running statistics: the TF.js model
 * evaluates those).
 */
export function inferenceSection(
  k: KernelExports,
  plan: StepPlan,
  batch: number,
  thread: number,
  threads: number,
): void {
  const [start, end] = threadShare(batch, ROW_UNIT, thread, threads);
  if (start < end) inferenceRows(k, plan, batch, start, end);
}

function inferenceRows(k: KernelExports, plan: StepPlan, batch: number, start: number, end: number): void {
  const { layout } = plan;
  const count = end - start;
  inputRows(k, plan, start, end, true);
  let h = f32Row(layout.input, start, MNIST_PIXELS);
  let ld = MNIST_PIXELS;
  layout.layers.forEach((l, i) => {
    if (l.batchNorm !== null) throw new Error('fused inference: batch norm evaluates on the TF.js model');
    const z = f32Row(l.z, start, l.outPad);
    layerProduct(k, plan, i, h, ld, start, end);
    // Without dropout the layer's output is its activation (`a`, which is `z` when linear).
    const a = f32Row(l.a, start, l.outPad);
    k.biasActivate(z, l.b, a, count, l.fanOut, l.outPad, KERNEL_ACTIVATION_CODES[l.activation]);
    h = a;
    ld = l.outPad;
  });
  lossRows(k, plan, batch, start, end);
}
