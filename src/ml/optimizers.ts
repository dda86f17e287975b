import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../core/config.ts';

/**
 * The optimizers of `config.optimizer`, behind one small interface whose learning rate can be
 * changed between steps (for schedules and the user's override) without losing their state.
 */

export interface TrainOptimizer {
  /** Applies one update from gradients keyed by variable name (as `tf.variableGrads` returns). */
  applyGradients(grads: tf.NamedTensorMap): void;
  /** The rate the next update uses. */
  readonly learningRate: number;
  /** Changes the rate from the next update on; moments and accumulators are kept. */
  setLearningRate(learningRate: number): void;
  dispose(): void;
}

/** TF.js optimizers read `this.learningRate` on every update (SGD/momentum cache −lr in `c`). */
type WithLearningRate = tf.Optimizer & { learningRate: number; setLearningRate?: (lr: number) => void };

class Wrapped implements TrainOptimizer {
  constructor(
    protected readonly inner: WithLearningRate,
    private rate: number,
  ) {}

  get learningRate(): number {
    return this.rate;
  }

  setLearningRate(learningRate: number): void {
    if (learningRate === this.rate) return;
    this.rate = learningRate;
    if (typeof this.inner.setLearningRate === 'function') this.inner.setLearningRate(learningRate);
    else this.inner.learningRate = learningRate;
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    this.inner.applyGradients(grads);
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/**
 * AdamW (Loshchilov & Hutter), which TF.js lacks: before each Adam update every kernel decays as
 * `w ← w − lr·weightDecay·w`, decoupled from the gradient moments, exactly as PyTorch's `AdamW`
 * orders it. Biases and batch-norm parameters are not decayed.
 */
class AdamW extends Wrapped {
  constructor(
    config: OptimizerConfig,
    private readonly decayed: readonly tf.Variable[],
  ) {
    super(
      tf.train.adam(
        config.learningRate,
        config.beta1,
        config.beta2,
        config.epsilon,
      ) as unknown as WithLearningRate,
      config.learningRate,
    );
    this.weightDecay = config.weightDecay;
  }

  private readonly weightDecay: number;

  override applyGradients(grads: tf.NamedTensorMap): void {
    const factor = 1 - this.learningRate * this.weightDecay;
    if (factor !== 1) tf.tidy(() => this.decayed.forEach((w) => w.assign(tf.mul(w, factor))));
    super.applyGradients(grads);
  }
}

/**
 * Builds `config.kind` with PyTorch-like semantics:
 *
 * - `sgd`: `w ← w − lr·g`.
 * - `momentum`: `v ← μ·v + g; w ← w − lr·v` (Nesterov: `w ← w − lr·(g + μ·v)`), as PyTorch SGD.
 * - `adam`: β1, β2, ε as given (ε added to √v̂ as in PyTorch).
 * - `adamw`: Adam plus decoupled decay of `decayed` (the kernels), see {@link AdamW}.
 * - `rmsprop`: decay ρ, momentum 0, not centred; TF.js adds ε **inside** the square root
 *   (`g/√(ms + ε)`), PyTorch outside; negligible at the default 1e-8.
 * - `adagrad`: `epsilon` is the **initial accumulator value** (TF.js `adagrad(lr, initial)`);
 *   TF.js adds its own backend ε (1e-7) under the root, so an initial value of ~0 is safe.
 */
export function createOptimizer(config: OptimizerConfig, decayed: readonly tf.Variable[]): TrainOptimizer {
  const lr = config.learningRate;
  const wrap = (inner: tf.Optimizer) => new Wrapped(inner as unknown as WithLearningRate, lr);
  switch (config.kind) {
    case 'sgd':
      return wrap(tf.train.sgd(lr));
    case 'momentum':
      return wrap(tf.train.momentum(lr, config.momentum, config.nesterov));
    case 'adam':
      return wrap(tf.train.adam(lr, config.beta1, config.beta2, config.epsilon));
    case 'adamw':
      return new AdamW(config, decayed);
    case 'rmsprop':
      return wrap(tf.train.rmsprop(lr, config.rho, 0, config.epsilon, false));
    case 'adagrad':
      return wrap(tf.train.adagrad(lr, config.epsilon));
  }
}
