import type { LossKind } from '../../core/config.ts';
import { GPU_LOSS_ROWS_PER_WORKGROUP, type GpuLayout } from '../../core/gpuLayout.ts';
import { MNIST_CLASSES } from '../../core/idx.ts';
import { f32Literal } from './activationWgsl.ts';

/**
 * The loss pass of the fused WebGPU engine, in WGSL: one invocation a batch row, in workgroups of
 * {@link GPU_LOSS_ROWS_PER_WORKGROUP} rows (⌈B / 64⌉ of them), each writing its row's gradient
 * w.r.t. the logits (the 1/B of the batch mean folded in) over the output layer's z into its dz;
 * each workgroup adds its rows' losses and hits in workgroup memory (a fixed tree) into its slot
 * of `GpuLayout.lossSums`. A later dispatch of the step — one more workgroup of the weight
 * gradients' — runs {@link lossStatsSource}'s `finishLossStats`, which adds the workgroups' sums
 * in order and writes the batch's mean data loss and accuracy into the step's slot of the stats
 * buffer (`stats[2·slot]`, `stats[2·slot + 1]`), read back a span of steps at a time
 * (`statsSpans.ts`). The rules are exactly `lossAndGradient` in `kernels/losses.ts`: softmax
 * cross-entropy with label smoothing, MSE on the softmax probabilities, multi-class hinge; the
 * accuracy counts rows whose label is the first largest logit.
 */

const WORKGROUP = GPU_LOSS_ROWS_PER_WORKGROUP;

/** The per-row loss (into `rowLoss`) and gradient (into `act[dz + j]`) for `kind`. */
function rowLossSource(kind: LossKind): string {
  switch (kind) {
    case 'crossEntropy':
      return `
    let lse = softmaxRow(z);
    for (var j = 0u; j < CLASSES; j++) {
      let t = smoothedTarget(j, label);
      rowLoss -= t * (act[z + j] - lse);
      act[dz + j] = (probs[j] - t) * rowScale;
    }`;
    case 'mse':
      return `
    _ = softmaxRow(z);
    let scale = 2.0 * rowScale / f32(CLASSES);
    var dot = 0.0;
    for (var j = 0u; j < CLASSES; j++) {
      let d = probs[j] - smoothedTarget(j, label);
      rowLoss += d * d;
      dot += d * scale * probs[j];
    }
    for (var j = 0u; j < CLASSES; j++) {
      let g = (probs[j] - smoothedTarget(j, label)) * scale;
      act[dz + j] = probs[j] * (g - dot);
    }
    rowLoss = rowLoss / f32(CLASSES);`;
    case 'hinge':
      return `
    let scale = rowScale / f32(CLASSES);
    let xy = act[z + label];
    var over = 0.0;
    for (var j = 0u; j < CLASSES; j++) {
      if (j == label) { continue; }
      let margin = 1.0 - xy + act[z + j];
      if (margin > 0.0) {
        rowLoss += margin;
        over += 1.0;
        act[dz + j] = scale;
      } else {
        act[dz + j] = 0.0;
      }
    }
    act[dz + label] = -over * scale;
    rowLoss = rowLoss / f32(CLASSES);`;
    default:
      return kind satisfies never;
  }
}

/**
 * The loss shader for `layout`'s output layer (`header` declares the engine's bindings). Label
 * smoothing is 0 for hinge, as in the kernel's plan.
 */
export function lossShader(
  header: string,
  layout: GpuLayout,
  kind: LossKind,
  labelSmoothing: number,
): string {
  const output = layout.layers[layout.layers.length - 1];
  if (output === undefined || output.fanOut !== MNIST_CLASSES)
    throw new Error('gpu layout: no 10-class output layer');
  const smoothing = kind === 'hinge' ? 0 : labelSmoothing;
  return /* wgsl */ `
${header}
const CLASSES = ${MNIST_CLASSES}u;
const SMOOTHING = ${f32Literal(smoothing)};
const OFF_TARGET = SMOOTHING / f32(CLASSES);

var<private> probs: array<f32, ${MNIST_CLASSES}>;
var<workgroup> lossShare: array<f32, ${WORKGROUP}>;
var<workgroup> hitShare: array<f32, ${WORKGROUP}>;

/** The smoothed target of class j for a row labelled \`label\`. */
fn smoothedTarget(j: u32, label: u32) -> f32 {
  return select(0.0, 1.0 - SMOOTHING, j == label) + OFF_TARGET;
}

/** Softmax of the logits at act[z…] into \`probs\`; returns log Σ exp (max-shifted). */
fn softmaxRow(z: u32) -> f32 {
  var top = act[z];
  for (var j = 1u; j < CLASSES; j++) { top = max(top, act[z + j]); }
  var sum = 0.0;
  for (var j = 0u; j < CLASSES; j++) {
    let e = exp(act[z + j] - top);
    probs[j] = e;
    sum += e;
  }
  for (var j = 0u; j < CLASSES; j++) { probs[j] = probs[j] / sum; }
  return top + log(sum);
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) lid: u32) {
  let rows = step.batch;
  let rowScale = 1.0 / f32(rows);
  let i = group.x * ${WORKGROUP}u + lid;
  var rowLoss = 0.0;
  var hit = 0.0;
  if (i < rows) {
    let z = ${output.z / 4}u + i * CLASSES;
    let dz = ${output.dz / 4}u + i * CLASSES;
    let label = u32(batchRows[MAX_BATCH + i]);
    var best = 0u;
    var bestValue = act[z];
    for (var j = 1u; j < CLASSES; j++) {
      if (act[z + j] > bestValue) {
        bestValue = act[z + j];
        best = j;
      }
    }
    if (best == label) { hit = 1.0; }
${rowLossSource(kind)}
  }
  lossShare[lid] = rowLoss;
  hitShare[lid] = hit;
  workgroupBarrier();
  for (var half = ${WORKGROUP / 2}u; half > 0u; half = half / 2u) {
    if (lid < half) {
      lossShare[lid] += lossShare[lid + half];
      hitShare[lid] += hitShare[lid + half];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    act[${layout.lossSums / 4}u + 2u * group.x] = lossShare[0];
    act[${layout.lossSums / 4}u + 2u * group.x + 1u] = hitShare[0];
  }
}
`;
}

/** Workgroups of the loss pass for a batch of `batch` rows. */
export function lossWorkgroups(batch: number): number {
  return Math.ceil(batch / WORKGROUP);
}

/**
 * WGSL of `fn finishLossStats()` (for one invocation, in a dispatch after the loss pass; the
 * engine's bindings declared by the header): the loss workgroups' sums added in order, the
 * batch's mean data loss and accuracy written into the step's stats slot.
 */
export function lossStatsSource(layout: GpuLayout): string {
  return /* wgsl */ `
fn finishLossStats() {
  let rows = step.batch;
  var loss = 0.0;
  var hits = 0.0;
  for (var w = 0u; w < (rows + ${WORKGROUP - 1}u) / ${WORKGROUP}u; w++) {
    loss += act[${layout.lossSums / 4}u + 2u * w];
    hits += act[${layout.lossSums / 4}u + 2u * w + 1u];
  }
  stats[2u * step.slot] = loss / f32(rows);
  stats[2u * step.slot + 1u] = hits / f32(rows);
}
`;
}
