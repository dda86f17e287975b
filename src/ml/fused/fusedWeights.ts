import * as tf from '@tensorflow/tfjs-core';
import type { FusedLayout } from '../../core/fusedLayout.ts';
import type { DenseLayer, Mlp } from '../mlp.ts';

/**
 * Copies between the model's TF.js variables and the fused kernel's padded memory: the kernels,
 * biases and, with batch norm, γ, β and the running mean and variance. The engine loads them once
 * (the model's initial or saved weights) and syncs them back before anything reads the model
 * (evaluation, best-epoch snapshots, saving, the drawing pad, analysis), which all read the
 * variables as they would after TF.js-ops training.
 */

/** The model's dense layers in kernel order: hidden…, output. */
export function denseLayers(model: Mlp): DenseLayer[] {
  return [...model.hidden.map((h) => h.dense), model.output];
}

/** Throws when `model` is not the network `layout` was made for (shapes, batch-norm layers). */
export function checkModelMatchesLayout(model: Mlp, layout: FusedLayout): void {
  denseLayers(model).forEach((layer, i) => {
    const l = layout.layers[i];
    const normalised = model.hidden[i]?.batchNorm != null;
    if (
      l === undefined ||
      layer.kernel.shape.join() !== `${l.fanIn},${l.fanOut}` ||
      normalised !== (l.batchNorm !== null)
    ) {
      throw new Error(`FusedEngine: the model's layer ${i + 1} is not the config's`);
    }
  });
  if (layout.layers.length !== model.hidden.length + 1) {
    throw new Error('FusedEngine: the model has not the config’s number of layers');
  }
}

/**
 * Writes the model's variables into the kernel memory `memory` (an f32 view of all of it) at
 * the layout's offsets; the parameter region and running statistics are zeroed first, so every
 * padding entry is 0.
 */
export function loadModelWeights(memory: Float32Array, layout: FusedLayout, model: Mlp): void {
  const { params, paramFloats, layers } = layout;
  memory.fill(0, params / 4, params / 4 + paramFloats);
  denseLayers(model).forEach((layer, i) => {
    const l = layers[i];
    if (l === undefined) return;
    const kernel = layer.kernel.dataSync();
    for (let r = 0; r < l.fanIn; r++) {
      memory.set(kernel.subarray(r * l.fanOut, (r + 1) * l.fanOut), l.w / 4 + r * l.outPad);
    }
    memory.set(layer.bias.dataSync(), l.b / 4);
    const bn = l.batchNorm;
    const variables = model.hidden[i]?.batchNorm;
    if (bn === null || variables == null) return;
    memory.set(variables.gamma.dataSync(), bn.gamma / 4);
    memory.set(variables.beta.dataSync(), bn.beta / 4);
    for (const [at, variable] of [
      [bn.runningMean, variables.runningMean],
      [bn.runningVar, variables.runningVar],
    ] as const) {
      memory.fill(0, at / 4, at / 4 + l.outPad);
      memory.set(variable.dataSync(), at / 4);
    }
  });
}

/** Writes the kernel's weights (and batch-norm state) from `memory` into the model's variables. */
export function storeModelWeights(memory: Float32Array, layout: FusedLayout, model: Mlp): void {
  const vector = (at: number, length: number) => tf.tensor1d(memory.slice(at / 4, at / 4 + length));
  denseLayers(model).forEach((layer, i) => {
    const l = layout.layers[i];
    if (l === undefined) return;
    const kernel = new Float32Array(l.fanIn * l.fanOut);
    for (let r = 0; r < l.fanIn; r++) {
      kernel.set(memory.subarray(l.w / 4 + r * l.outPad, l.w / 4 + r * l.outPad + l.fanOut), r * l.fanOut);
    }
    tf.tidy(() => {
      layer.kernel.assign(tf.tensor2d(kernel, [l.fanIn, l.fanOut]));
      layer.bias.assign(vector(l.b, l.fanOut));
      const bn = l.batchNorm;
      const variables = model.hidden[i]?.batchNorm;
      if (bn === null || variables == null) return;
      variables.gamma.assign(vector(bn.gamma, l.fanOut));
      variables.beta.assign(vector(bn.beta, l.fanOut));
      variables.runningMean.assign(vector(bn.runningMean, l.fanOut));
      variables.runningVar.assign(vector(bn.runningVar, l.fanOut));
    });
  });
}
