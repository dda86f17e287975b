import type { OptimizerConfig, TrainingConfig } from '../../core/config.ts';
import type { FusedLayerLayout, FusedLayout } from '../../core/fusedLayout.ts';
import { MNIST_CLASSES, MNIST_PIXELS } from '../../core/idx.ts';
import { KERNEL_ACTIVATION_CODES, KERNEL_LOSS_CODES, type KernelExports } from '../../core/kernelBindings.ts';
import { threadShare } from '../../core/kernelThreads.ts';

/**
 * A fused training step in two sections that threads split between them, with one barrier
 * after each (the thread pool, `kernelPool.ts`, runs them; one thread just calls them in turn):
 *
 * 1. **rows** — split by batch rows: gather/normalise the inputs, the forward pass of every
 *    layer, the loss and its gradient, and the backward pass `dh = dz·Wᵀ`, `dz = dh ⊙ mask · act′`
 *    down to the first layer. Row i of each of these depends only on row i of the layer below,
 *    so no thread waits for another inside the section.
 * 2. **weights** — split by weight rows and bias columns of each layer: `dW = hᵀ·dz` and
 *    `db = Σ dz` (sums over the whole batch), L1/L2, the optimizer update of exactly those
 *    parameters, and the transposed kernel `Wᵀ` the next rows section reads.
 *
 * Every output element is computed by one thread with the same instructions in the same order
 * whatever the split, so the same seed gives bit-identical weights for any thread count. What
 * must stay sequential (drawing dropout masks and augmentation from the seeded streams, summing
 * the row losses) is done by thread 0 around the sections (`fusedEngine.ts`).
 */

/** TF.js's float32 backend epsilon, which its Adagrad adds under the square root. */
const BACKEND_EPSILON = 1e-7;
/** Rows per block when splitting: the kernel's products work on 4-row register tiles. */
const ROW_UNIT = 4;

/** What every thread needs to run its share of a step; fixed for a run, built from the config. */
export interface StepPlan {
  readonly layout: FusedLayout;
  readonly optimizer: OptimizerConfig;
  readonly lossCode: number;
  /** Label smoothing (0 for hinge). */
  readonly smoothing: number;
  readonly l1: number;
  readonly l2: number;
  /** Inputs come from the augmented batch bytes (staged by thread 0), not the resident file. */
  readonly augmenting: boolean;
  /** Normalisation `x·scale + offset` of a byte x. */
  readonly scale: number;
  readonly offset: number;
}

/** The plan of a run: pure, so every thread builds the same one from the same inputs. */
export function stepPlan(
  config: TrainingConfig,
  layout: FusedLayout,
  normalization: { readonly mean: number; readonly std: number },
  augmenting: boolean,
): StepPlan {
  const { kind, labelSmoothing, l1, l2 } = config.loss;
  return {
    layout,
    optimizer: config.optimizer,
    lossCode: KERNEL_LOSS_CODES[kind],
    smoothing: kind === 'hinge' ? 0 : labelSmoothing,
    l1,
    l2,
    augmenting,
    scale: 1 / (255 * normalization.std),
    offset: -normalization.mean / normalization.std,
  };
}

/** Per-step values thread 0 decides and every thread reads (through the pool's control block). */
export interface StepArguments {
  readonly batch: number;
  readonly learningRate: number;
  /** Adam's bias corrections 1/(1−β1ᵗ) and 1/(1−β2ᵗ) of this step (1 for other optimizers). */
  readonly c1: number;
  readonly c2: number;
}

/** Thread `thread` of `threads`: its rows of the rows section. */
export function rowsSection(
  k: KernelExports,
  plan: StepPlan,
  batch: number,
  thread: number,
  threads: number,
): void {
  const [start, end] = threadShare(batch, ROW_UNIT, thread, threads);
  if (start < end) forwardBackwardRows(k, plan, batch, start, end);
}

/** Rows `start…end−1`: inputs, forward, loss, and the backward pass of the activations. */
function forwardBackwardRows(
  k: KernelExports,
  plan: StepPlan,
  batch: number,
  start: number,
  end: number,
): void {
  const { layout } = plan;
  const { layers } = layout;
  const count = end - start;
  const f32Row = (at: number, ld: number) => at + start * ld * 4;
  const input = f32Row(layout.input, MNIST_PIXELS);
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
  if (layout.inputMask !== null) {
    k.multiply(input, f32Row(layout.inputMask, MNIST_PIXELS), input, count * MNIST_PIXELS);
  }

  // Forward: z = h·W + b, a = act(z), h' = a ⊙ mask.
  let h = input;
  let ld = MNIST_PIXELS;
  for (const l of layers) {
    const z = f32Row(l.z, l.outPad);
    const a = f32Row(l.a, l.outPad);
    k.gemm(h, l.w, z, count, l.inPad, l.outPad, ld, l.outPad, l.outPad, false);
    k.biasActivate(z, l.b, a, count, l.fanOut, l.outPad, KERNEL_ACTIVATION_CODES[l.activation]);
    if (l.mask !== null) k.multiply(a, f32Row(l.mask, l.outPad), f32Row(l.h, l.outPad), count * l.outPad);
    h = f32Row(l.h, l.outPad);
    ld = l.outPad;
  }
  const output = layers[layers.length - 1] as FusedLayerLayout;
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

  // Backward through the activations: dh_prev = dz·Wᵀ, dz_prev = (dh_prev ⊙ mask)·act′.
  for (let i = layers.length - 1; i >= 1; i--) {
    const l = layers[i] as FusedLayerLayout;
    const previous = layers[i - 1] as FusedLayerLayout;
    if (l.wt === null) throw new Error('fused layout: a non-first layer has no transposed kernel');
    const dh = f32Row(previous.dh, previous.outPad);
    k.gemm(f32Row(l.dz, l.outPad), l.wt, dh, count, l.outPad, l.inPad, l.outPad, l.inPad, l.inPad, false);
    if (previous.mask !== null)
      k.multiply(dh, f32Row(previous.mask, previous.outPad), dh, count * previous.outPad);
    k.activationBackward(
      dh,
      f32Row(previous.z, previous.outPad),
      f32Row(previous.a, previous.outPad),
      f32Row(previous.dz, previous.outPad),
      count,
      previous.fanOut,
      previous.outPad,
      KERNEL_ACTIVATION_CODES[previous.activation],
    );
  }
}

/** Thread `thread` of `threads`: its weight rows and bias columns of every layer, updated. */
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
      k.columnSums(l.dz + c0 * 4, l.gb + c0 * 4, args.batch, c1 - c0, l.outPad);
      update(k, plan, args, l.b + c0 * 4, c1 - c0);
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
  const g = grads + at;
  const s1 = (state1 ?? 0) + at;
  const s2 = (state2 ?? 0) + at;
  const lr = args.learningRate;
  const o = plan.optimizer;
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

/** Writes every layer's transposed kernel from its kernel (after loading weights). */
export function transposeAll(k: KernelExports, layout: FusedLayout): void {
  for (const l of layout.layers) {
    if (l.wt !== null) k.transpose(l.w, l.wt, l.inPad, l.outPad, l.outPad, l.inPad);
  }
}
