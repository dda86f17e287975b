/**
 * Batch norm's constants, shared by the TF.js model (`src/ml/mlp.ts`) and the fused kernel's
 * sections (`src/ml/fused/`), which must agree to the last bit of their definition. PyTorch
 * `BatchNorm1d` defaults: running = (1 − momentum)·running + momentum·batch, and ε added to the
 * variance under the square root.
 */
export const BATCH_NORM_MOMENTUM = 0.1;
export const BATCH_NORM_EPSILON = 1e-5;
