/**
 * What the error-analysis views show after each epoch: computed by `ml/analysis.ts` in the worker
 * and carried to the page by the `analysis` event (`worker/protocol.ts` re-exports these types).
 * Plain data, so both sides (and the CLI) share the shapes without sharing code.
 */
import type { Histogram, InactiveKind } from './layerHealth.ts';

/** One of the most confidently wrong test images (see `core/misclassified.ts`). */
export interface MisclassifiedView {
  /** Row in the 10,000 test images. */
  readonly index: number;
  readonly trueLabel: number;
  readonly predicted: number;
  readonly confidence: number;
  readonly top3: readonly { readonly label: number; readonly probability: number }[];
}

/** The 2-D PCA of one layer's activations over the fixed PCA rows. */
export interface PcaLayerView {
  /** For people: "Input pixels", "Hidden 1 (128 ReLU)", "Logits". */
  readonly name: string;
  /** `[rows, 2]` row-major coordinates, rows in the order of `EpochAnalysis.pca.rows`. */
  readonly projection: Float32Array;
  /** Share of the layer's total variance on each component, in [0, 1]. */
  readonly explained: readonly [number, number];
}

/**
 * One dense layer's health after an epoch (the Layers view), measured on the fixed probe batch
 * (the PCA rows, `EpochAnalysis.pca.rows`) in inference mode. See `core/layerHealth.ts`.
 */
export interface LayerHealthView {
  /** For people: "Hidden 1 (128 ReLU)", "Output". */
  readonly name: string;
  /** ‖∂L/∂W‖ of the layer's kernel, L the mean cross-entropy over 250 rows spread over the probe batch. */
  readonly gradientNorm: number;
  /** ‖W − W of the previous analysed epoch‖ / ‖W‖; null for the first analysed epoch. */
  readonly updateRatio: number | null;
  /** The kernel's values. */
  readonly weights: Histogram;
  /** The kernel's gradient ∂L/∂W (the rows `gradientNorm` uses). */
  readonly gradients: Histogram;
  /** The layer's outputs on the probe batch (logits for the output layer). */
  readonly activations: Histogram;
  /** Share of dead ReLU or saturated sigmoid/tanh units on the probe batch; null for other activations. */
  readonly inactive: { readonly kind: InactiveKind; readonly share: number } | null;
}

/**
 * What the worker computes for the error-analysis views after each epoch (on the weights of that
 * epoch), over the 10,000 test images. Typed arrays are transferred.
 */
export interface EpochAnalysis {
  readonly epoch: number;
  /** `[10000]` predicted class of each test image. */
  readonly predicted: Uint8Array;
  /** `[10000]` probability of the predicted class. */
  readonly confidence: Float32Array;
  /** `[10 × 10]` row-major counts, `[true][predicted]`, over the test set. */
  readonly confusion: Uint32Array;
  /** The most confidently wrong test images, most confident first (up to 24). */
  readonly misclassified: readonly MisclassifiedView[];
  /** PCA of a fixed, class-balanced set of ~2,000 test rows: every layer, input to logits. */
  readonly pca: { readonly rows: Int32Array; readonly layers: readonly PcaLayerView[] };
  /** Every dense layer's health, input side first, output layer last. */
  readonly layerHealth: readonly LayerHealthView[];
  /** The first hidden layer's incoming weights of up to 64 units, `[units, 784]`; null without hidden layers. */
  readonly weights: { readonly units: number; readonly values: Float32Array } | null;
  /**
   * Where it was computed when that was a worker of its own (absent in process): the TF.js
   * backend it brought up and how long that start took, once per worker.
   */
  readonly worker?: { readonly backend: string; readonly startupMs: number };
  /** Milliseconds each part took in the worker. */
  readonly timings: {
    readonly forward: number;
    readonly confusion: number;
    readonly misclassified: number;
    readonly pca: number;
    readonly weights: number;
    readonly layerHealth: number;
  };
}
