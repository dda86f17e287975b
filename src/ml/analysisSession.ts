import type { EpochAnalysis, PcaLayerView } from '../core/analysisTypes.ts';
import type { TrainingConfig } from '../core/config.ts';
import type { LabelledImages } from '../core/idx.ts';
import type { ParameterTensor } from '../core/modelParameters.ts';
import type { NormalizationStats } from '../core/normalization.ts';
import { SeededRandom } from '../core/random.ts';
import { analyseEpoch, type AnalysisState } from './analysis.ts';
import { allIndices, disposeSplit, toTensorSplit, type TensorSplit } from './dataset.ts';
import { assignParameters, createMlp, disposeMlp, type Mlp } from './mlp.ts';

/**
 * The analysing side of the per-epoch analysis: it holds what outlives one epoch so that each
 * epoch only costs the forward pass, the confusion, the gallery and the PCA of the hidden layers.
 * Per session: the test images, resident once per normalisation, and the input-pixel PCA (which
 * depends on the data and the normalisation, never on the weights). Per run: a model the
 * snapshots are loaded into and the PCA signs carried from epoch to epoch. The analysis worker
 * (`worker/analysis.worker.ts`) holds one; so does the in-process analyser (`epochAnalyser.ts`).
 */

/** One epoch's weights as the training loop hands them over: plain arrays, safe to transfer. */
export interface EpochSnapshot {
  /** The epoch (1-based) whose weights these are. */
  readonly epoch: number;
  /** `Mlp.state` in `parameterLayout` order: kernels `[fanIn, fanOut]`, biases, γ, β, running mean and variance. */
  readonly parameters: readonly ParameterTensor[];
  /** The inputs' `(x/255 − mean)/std` constants the weights were trained with. */
  readonly normalization: NormalizationStats;
}

/** What fixes a run's analyses besides its snapshots. */
export interface AnalysedRun {
  /** The run the snapshots come from; a new id starts a fresh model and fresh PCA signs. */
  readonly runId: string;
  /** The architecture (widths, activations, batch norm); dropout plays no part in inference. */
  readonly model: TrainingConfig['model'];
  /** Measure the Layers view's layer health (on when absent; the bench turns it off to time it). */
  readonly layerHealth?: boolean;
}

/** Input-pixel PCA views kept per normalisation; a session rarely sees more than two. */
const MAX_INPUT_VIEWS = 4;

const normalizationKey = (stats: NormalizationStats) => `${stats.mean}/${stats.std}`;

export class AnalysisSession {
  private images: LabelledImages | null = null;
  private split: { readonly key: string; readonly split: TensorSplit } | null = null;
  /** The fixed PCA rows of the test images (they depend on the labels only). */
  private rows: Int32Array | null = null;
  private readonly inputViews = new Map<string, PcaLayerView>();
  private run: { readonly runId: string; readonly model: Mlp; readonly state: AnalysisState } | null = null;

  /** `now`: the clock in ms, for the timings. */
  constructor(private readonly now: () => number) {}

  /** The images every later analysis runs over (the 10,000 test images); replaces earlier ones. */
  setTestImages(images: LabelledImages): void {
    if (images.labels.length !== images.count || images.pixels.length !== images.count * 784) {
      throw new Error(
        `The test images do not fit together: ${images.count} images, ${images.labels.length} labels, ${images.pixels.length} bytes`,
      );
    }
    this.disposeSplit();
    if (this.run !== null) this.endRun(this.run.runId);
    this.images = images;
    this.rows = null;
    this.inputViews.clear();
  }

  /** Whether test images have been given. */
  get hasTestImages(): boolean {
    return this.images !== null;
  }

  /**
   * The analysis of `snapshot` (of `run`), as `analyseEpoch` computes it from a model holding
   * those weights. Calls must not overlap (one model per run); callers queue them.
   */
  async analyse(run: AnalysedRun, snapshot: EpochSnapshot): Promise<EpochAnalysis> {
    const images = this.images;
    if (images === null) throw new Error('The analysis has no test images yet');
    const test = this.splitFor(images, snapshot.normalization);
    const current = this.modelFor(run);
    assignParameters(current.model, snapshot.parameters);
    const key = normalizationKey(snapshot.normalization);
    const state = current.state;
    state.input = this.inputViews.get(key) ?? null;
    const analysis = await analyseEpoch({
      epoch: snapshot.epoch,
      model: current.model,
      test,
      labels: images.labels,
      state,
      now: this.now,
      layerHealth: run.layerHealth !== false,
    });
    this.rows = state.rows;
    if (state.input !== null && !this.inputViews.has(key)) {
      if (this.inputViews.size >= MAX_INPUT_VIEWS) this.inputViews.clear();
      this.inputViews.set(key, state.input);
    }
    return analysis;
  }

  /** Frees run `runId`'s model (a later snapshot of it would start afresh). */
  endRun(runId: string): void {
    if (this.run?.runId !== runId) return;
    disposeMlp(this.run.model);
    this.run = null;
  }

  /** Frees every tensor the session holds. */
  dispose(): void {
    if (this.run !== null) this.endRun(this.run.runId);
    this.disposeSplit();
  }

  private splitFor(images: LabelledImages, stats: NormalizationStats): TensorSplit {
    const key = normalizationKey(stats);
    if (this.split?.key !== key) {
      this.disposeSplit();
      this.split = { key, split: toTensorSplit(images, allIndices(images.count), stats) };
    }
    return this.split.split;
  }

  private modelFor(run: AnalysedRun): { readonly model: Mlp; readonly state: AnalysisState } {
    if (this.run?.runId !== run.runId) {
      if (this.run !== null) this.endRun(this.run.runId);
      // The initial draw is overwritten by every snapshot; any seed will do.
      const model = createMlp(run.model, new SeededRandom(0));
      this.run = {
        runId: run.runId,
        model,
        state: { rows: this.rows, input: null, previous: [], previousKernels: [] },
      };
    }
    return this.run;
  }

  private disposeSplit(): void {
    if (this.split !== null) disposeSplit(this.split.split);
    this.split = null;
  }
}
