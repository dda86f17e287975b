import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../core/config.ts';

/**
 * Hidden-layer activations as TF.js ops, matching PyTorch's definitions so results compare with
 * the reference notebooks.
 */

/** √(2/π), for the tanh approximation of GELU. */
const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * GELU with the **tanh approximation** `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`
 * (PyTorch `GELU(approximate='tanh')`); TF.js has no `erf` gradient-friendly GELU op, and the
 * approximation differs from the exact erf form by under 1e-3.
 */
function gelu(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), GELU_C);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** Applies `activation` elementwise to `[B, units]`; leaky ReLU has slope 0.01 (PyTorch's). */
export function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.01);
    case 'elu':
      return tf.elu(x);
    case 'gelu':
      return gelu(x);
    case 'selu':
      return tf.selu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'linear':
      return x;
  }
}

/**
 * Activations that `tf.fused.matMul` can fold into the matMul kernel **and differentiate**:
 * tfjs-core 4.22 only has fused gradients for `linear` and `relu` (others throw on backprop).
 */
export function isFusable(activation: Activation): activation is 'relu' | 'linear' {
  return activation === 'relu' || activation === 'linear';
}
