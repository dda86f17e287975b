import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from '../../core/batchNorm.ts';
import type { OptimizerConfig, TrainingConfig } from '../../core/config.ts';
import type { FusedLayout } from '../../core/fusedLayout.ts';
import { KERNEL_LOSS_CODES, type KernelExports } from '../../core/kernelBindings.ts';
import { columnsSection, type ColumnOp } from './columnsSection.ts';
import { inferenceSection } from './inferenceRows.ts';
import { rowsSection, type RowOp } from './rowsSection.ts';
import { weightsSection } from './weightsSection.ts';

/**
 * A fused training step as a list of sections that threads split between them, with one barrier
 * after each (the thread pool, `kernelPool.ts`, runs them; one thread just calls them in turn).
 * Each section is split one of three ways:
 *
 * - **rows** (`rowsSection.ts`) — by batch rows: gather/normalise the inputs, each layer's
 *   forward pass, the loss and its gradient, and the backward pass `dh = dz·Wᵀ`,
 *   `dz = dh ⊙ mask · act′`. Row i of each of these depends only on row i of the layer below,
 *   so no thread waits for another inside the section.
 * - **columns** (`columnsSection.ts`) — by a batch-norm layer's columns: batch norm needs each
 *   column's statistics over the whole batch, so a batch-norm layer ends the rows section at its
 *   product z = h·W; the columns section takes the statistics, normalises, applies γ/β, the
 *   activation and the dropout mask (forward), or takes dγ, dβ and dz (backward); the next rows
 *   section carries on from there.
 * - **weights** (`weightsSection.ts`) — by weight rows and bias (γ, β) columns of each layer:
 *   `dW = hᵀ·dz` and `db = Σ dz` (sums over the whole batch), L1/L2, the optimizer update of
 *   exactly those parameters, and the transposed kernel `Wᵀ` the next step's rows read.
 *
 * Where the first layer runs on the input's nonzero pixels (`layout.sparseInput`, see
 * `kernels/sparseInput.ts`), thread 0 adds two short whole-batch sums between sections
 * (`inputSums.ts`), so no barrier is added.
 *
 * Without batch norm a step is exactly two sections: rows, weights. With batch norm on hidden
 * layer l, the forward rows section splits around a columns section for l, and so does the
 * backward (e.g. 784-128-64-10 with batch norm on both hidden layers: rows | columns | rows |
 * columns | rows | columns | rows | columns | weights).
 *
 * Every output element is computed by one thread with the same instructions in the same order
 * whatever the split, so the same seed gives bit-identical weights for any thread count. What
 * must stay sequential (drawing dropout masks and augmentation from the seeded streams, summing
 * the row losses) is done by thread 0 around the sections (`fusedEngine.ts`).
 */

/** One section of the step: how threads split it, and what it does in step order. */
export type StepSection =
  | { readonly split: 'rows'; readonly ops: readonly RowOp[] }
  | { readonly split: 'columns'; readonly ops: readonly ColumnOp[] }
  | { readonly split: 'weights' };

/** What every thread needs to run its share of a step; fixed for a run, built from the config. */
export interface StepPlan {
  readonly layout: FusedLayout;
  /** The step's sections in order; thread 0 and every helper build the same list. */
  readonly sections: readonly StepSection[];
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
  /** Batch norm's ε (under the square root) and running-statistics momentum. */
  readonly batchNormEpsilon: number;
  readonly batchNormMomentum: number;
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
    sections: stepSections(layout),
    optimizer: config.optimizer,
    lossCode: KERNEL_LOSS_CODES[kind],
    smoothing: kind === 'hinge' ? 0 : labelSmoothing,
    l1,
    l2,
    augmenting,
    scale: 1 / (255 * normalization.std),
    offset: -normalization.mean / normalization.std,
    batchNormEpsilon: BATCH_NORM_EPSILON,
    batchNormMomentum: BATCH_NORM_MOMENTUM,
  };
}

/**
 * The step's operations in order, grouped into sections: consecutive row operations share one
 * rows section; each batch-norm pass is a columns section; the weights section ends the step.
 */
export function stepSections(layout: FusedLayout): StepSection[] {
  type Op =
    { readonly split: 'rows'; readonly op: RowOp } | { readonly split: 'columns'; readonly op: ColumnOp };
  const ops: Op[] = [{ split: 'rows', op: { kind: 'input' } }];
  const { layers } = layout;
  layers.forEach((l, layer) => {
    ops.push({ split: 'rows', op: { kind: 'forward', layer } });
    if (l.batchNorm !== null) ops.push({ split: 'columns', op: { kind: 'normalise', layer } });
  });
  ops.push({ split: 'rows', op: { kind: 'loss' } });
  for (let layer = layers.length - 1; layer >= 1; layer--) {
    ops.push({ split: 'rows', op: { kind: 'backward', layer } });
    if (layers[layer - 1]?.batchNorm)
      ops.push({ split: 'columns', op: { kind: 'normaliseBackward', layer: layer - 1 } });
  }
  const sections: StepSection[] = [];
  for (const { split, op } of ops) {
    const last = sections[sections.length - 1];
    if (split === 'rows') {
      if (last?.split === 'rows') sections[sections.length - 1] = { split, ops: [...last.ops, op] };
      else sections.push({ split, ops: [op] });
    } else {
      sections.push({ split, ops: [op] });
    }
  }
  sections.push({ split: 'weights' });
  return sections;
}

/** Per-step values thread 0 decides and every thread reads (through the pool's control block). */
export interface StepArguments {
  readonly batch: number;
  readonly learningRate: number;
  /** Adam's bias corrections 1/(1−β1ᵗ) and 1/(1−β2ᵗ) of this step (1 for other optimizers). */
  readonly c1: number;
  readonly c2: number;
}

/**
 * The section index that runs the inference pass (`inferenceRows.ts`) instead of a training
 * section: one past the plan's last.
 */
export function inferenceSectionIndex(plan: StepPlan): number {
  return plan.sections.length;
}

/** Thread `thread` of `threads`: its share of section `index` of the plan (or of the inference pass). */
export function runSection(
  k: KernelExports,
  plan: StepPlan,
  index: number,
  args: StepArguments,
  thread: number,
  threads: number,
): void {
  if (index === inferenceSectionIndex(plan)) return inferenceSection(k, plan, args.batch, thread, threads);
  const section = plan.sections[index];
  if (section === undefined) throw new Error(`fused step: no section ${index}`);
  switch (section.split) {
    case 'rows':
      return rowsSection(k, plan, section.ops, args.batch, thread, threads);
    case 'columns':
      return columnsSection(k, plan, section.ops, args.batch, thread, threads);
    case 'weights':
      return weightsSection(k, plan, args, thread, threads);
    default:
      return section satisfies never;
  }
}

/** Writes every layer's transposed kernel from its kernel (after loading weights). */
export function transposeAll(k: KernelExports, layout: FusedLayout): void {
  for (const l of layout.layers) {
    if (l.wt !== null) k.transpose(l.w, l.wt, l.inPad, l.outPad, l.outPad, l.inPad);
  }
}
