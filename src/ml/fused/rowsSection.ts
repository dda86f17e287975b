import type { FusedLayerLayout, FusedLayout } from '../../core/fusedLayout.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../core/idx.ts';
import { KERNEL_ACTIVATION_CODES, type KernelExports } from '../../core/kernelBindings.ts';
import { threadShare } from '../../core/kernelThreads.ts';
import type { StepPlan } from './fusedSections.ts';

/**
 * The rows sections of a fused step (see `fusedSections.ts`): work split by batch rows, where
 * row i of every buffer depends only on row i of the layer below.
 */

/** Rows per block when splitting: the kernel's products work on 4-row register tiles. */
export const ROW_UNIT = 4;

/** One piece of row work, in step order. */
export type RowOp =
  /** Gather (or take the augmented bytes) and normalise the inputs; input dropout. */
  | { readonly kind: 'input' }
  /**
   * Layer `layer`'s forward pass: z = h·W, then + b, the activation and dropout — unless the
   * layer has batch norm, whose columns section does those.
   */
  | { readonly kind: 'forward'; readonly layer: number }
  /** The loss of each row and its gradient w.r.t. the logits (the output layer's dz). */
  | { readonly kind: 'loss' }
  /**
   * From layer `layer`'s dz: the layer below's dh = dz·Wᵀ, then its dropout mask and act′ into
   * its dz — unless the layer below has batch norm, whose columns section does those.
   */
  | { readonly kind: 'backward'; readonly layer: number };

/** Thread `thread` of `threads`: its rows of a rows section's operations. */
export function rowsSection(
  k: KernelExports,
  plan: StepPlan,
  ops: readonly RowOp[],
  batch: number,
  thread: number,
  threads: number,
): void {
  const [start, end] = threadShare(batch, ROW_UNIT, thread, threads);
  if (start >= end) return;
  for (const op of ops) {
    switch (op.kind) {
      case 'input':
        inputRows(k, plan, start, end);
        break;
      case 'forward':
        forwardRows(k, plan, op.layer, start, end);
        break;
      case 'loss':
        lossRows(k, plan, batch, start, end);
        break;
      case 'backward':
        backwardRows(k, plan.layout, op.layer, start, end);
        break;
      default:
        op satisfies never;
    }
  }
}

/** Byte offset of row `row` of a `[B, ld]` f32 buffer at `at`. */
export const f32Row = (at: number, row: number, ld: number) => at + row * ld * 4;

function layerAt(layout: FusedLayout, layer: number): FusedLayerLayout {
  const l = layout.layers[layer];
  if (l === undefined) throw new Error(`fused layout: no layer ${layer + 1}`);
  return l;
}

/**
 * Rows `start…end−1` of the inputs: their nonzero-pixel lists (sparse first layer), or the
 * normalised rows, with the input dropout mask unless `inference`.
 */
export function inputRows(
  k: KernelExports,
  plan: StepPlan,
  start: number,
  end: number,
  inference = false,
): void {
  const { layout } = plan;
  const count = end - start;
  if (layout.sparseInput !== null) {
    // The first layer reads the nonzero pixels only: list them instead of normalising all 784.
    const { indices, values, counts } = layout.sparseInput;
    const resident = !plan.augmenting;
    k.listNonzeroInputs(
      layout.pixels,
      layout.rows,
      resident,
      start,
      end,
      MNIST_PIXELS,
      indices,
      values,
      counts,
    );
    return;
  }
  const input = f32Row(layout.input, start, MNIST_PIXELS);
  if (plan.augmenting) {
    k.normalizeBytes(
      layout.pixels + start * MNIST_PIXELS,
      count * MNIST_PIXELS,
      input,
      plan.scale,
      plan.offset,
    );
  } else {
    k.gatherRows(layout.pixels, layout.rows + start * 4, count, MNIST_PIXELS, input, plan.scale, plan.offset);
  }
  if (layout.inputMask !== null && !inference) {
    k.multiply(input, f32Row(layout.inputMask, start, MNIST_PIXELS), input, count * MNIST_PIXELS);
  }
}

/**
 * Rows `start…end−1` of layer `layer`'s z = h·W, from `h` (the layer below's output at its row
 * `start`, `ld` floats a row): over the nonzero pixels for a sparse first layer, else a GEMM.
 */
export function layerProduct(
  k: KernelExports,
  plan: StepPlan,
  layer: number,
  h: number,
  ld: number,
  start: number,
  end: number,
): void {
  const { layout } = plan;
  const l = layerAt(layout, layer);
  const sparse = layer === 0 ? layout.sparseInput : null;
  if (sparse !== null) {
    const { indices, values, counts, base } = sparse;
    const { scale } = plan;
    k.sparseInputProduct(indices, values, counts, MNIST_PIXELS, l.w, base, scale, l.z, l.outPad, start, end);
  } else {
    const z = f32Row(l.z, start, l.outPad);
    k.gemm(h, l.w, z, end - start, l.inPad, l.outPad, ld, l.outPad, l.outPad, false);
  }
}

/** z = h·W; without batch norm also z += b, a = act(z), h' = a ⊙ mask. */
function forwardRows(k: KernelExports, plan: StepPlan, layer: number, start: number, end: number): void {
  const { layout } = plan;
  const l = layerAt(layout, layer);
  const below = layer === 0 ? null : layerAt(layout, layer - 1);
  const count = end - start;
  const ld = below?.outPad ?? MNIST_PIXELS;
  const z = f32Row(l.z, start, l.outPad);
  layerProduct(k, plan, layer, f32Row(below?.h ?? layout.input, start, ld), ld, start, end);
  if (l.batchNorm !== null) return;
  const a = f32Row(l.a, start, l.outPad);
  k.biasActivate(z, l.b, a, count, l.fanOut, l.outPad, KERNEL_ACTIVATION_CODES[l.activation]);
  if (l.mask !== null)
    k.multiply(a, f32Row(l.mask, start, l.outPad), f32Row(l.h, start, l.outPad), count * l.outPad);
}

/** Each row's loss, hit and logit gradient (`lossAndGradient`) for rows `start…end−1` of `batch`. */
export function lossRows(k: KernelExports, plan: StepPlan, batch: number, start: number, end: number): void {
  const { layout } = plan;
  const output = layerAt(layout, layout.layers.length - 1);
  k.lossAndGradient(
    output.z,
    layout.labels,
    output.dz,
    layout.rowLosses,
    layout.rowHits,
    start,
    end,
    batch,
    output.outPad,
    MNIST_CLASSES,
    plan.lossCode,
    plan.smoothing,
  );
}

/** dh_prev = dz·Wᵀ; without batch norm below also dz_prev = (dh_prev ⊙ mask)·act′. */
function backwardRows(
  k: KernelExports,
  layout: FusedLayout,
  layer: number,
  start: number,
  end: number,
): void {
  const l = layerAt(layout, layer);
  const previous = layerAt(layout, layer - 1);
  if (l.wt === null) throw new Error('fused layout: a non-first layer has no transposed kernel');
  const count = end - start;
  const dh = f32Row(previous.dh, start, previous.outPad);
  k.gemm(
    f32Row(l.dz, start, l.outPad),
    l.wt,
    dh,
    count,
    l.outPad,
    l.inPad,
    l.outPad,
    l.inPad,
    l.inPad,
    false,
  );
  if (previous.batchNorm !== null) return;
  if (previous.mask !== null)
    k.multiply(dh, f32Row(previous.mask, start, previous.outPad), dh, count * previous.outPad);
  k.activationBackward(
    dh,
    f32Row(previous.z, start, previous.outPad),
    f32Row(previous.a, start, previous.outPad),
    f32Row(previous.dz, start, previous.outPad),
    count,
    previous.fanOut,
    previous.outPad,
    KERNEL_ACTIVATION_CODES[previous.activation],
  );
}
