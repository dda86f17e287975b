import type { EpochAnalysis } from '../core/analysisTypes.ts';
import type { EngineChoice } from '../core/engines.ts';
import type { ExtraTraining } from '../core/extraTraining.ts';
import type { FusedThreading } from './fused/fusedEngine.ts';
import type { LabelledImages } from '../core/idx.ts';
import type { ReceivedShards } from '../core/mnistShards.ts';
import type { ParameterTensor } from '../core/modelParameters.ts';
import type { NormalizationStats } from '../core/normalization.ts';
import type {
  BatchReport,
  EpochReport,
  Evaluation,
  RunOutcome,
  RunStartReport,
  StepKind,
} from '../core/runReports.ts';
import type { EpochAnalyser } from './epochAnalyser.ts';
import type { Predictor } from './predictor.ts';
import type { RunController } from './runControl.ts';

export type {
  BatchReport,
  BestEpoch,
  EpochReport,
  Evaluation,
  RunFingerprints,
  RunOutcome,
  RunStartReport,
  StepKind,
} from '../core/runReports.ts';

/**
 * What the training loop exchanges with whoever drives it (the worker, the Node CLI, tests)
 * beyond the run reports, which are defined once in `core/runReports.ts` and re-exported here.
 * Re-exported from `trainingLoop.ts`, which is the module to import.
 */

export interface MnistData {
  /** The 60,000 official training images; the validation split is carved from these. */
  readonly train: LabelledImages;
  /** The 10,000 official test images, used only for the final evaluation. */
  readonly test: LabelledImages;
  /**
   * Set while the training images are still arriving (`core/mnistShards.ts`): only the rows of the
   * first `received` shards are in `train`, and runs keep to them. Absent once all 60,000 are in.
   */
  readonly receivedShards?: ReceivedShards;
}

/** Saved weights a run continues from (see `core/modelFile.ts`). */
export interface InitialWeights {
  /** `parameterLayout(config.model)` order; must fit the run's config exactly. */
  readonly parameters: readonly ParameterTensor[];
  /** The normalisation the weights were trained with, used instead of the config's. */
  readonly normalization: NormalizationStats;
}

/**
 * What `runTraining` returns: the outcome the worker reports, plus what only the process that
 * trained has (the weights, and the normalisation they expect).
 */
export interface RunResult extends RunOutcome {
  /** @deprecated Same as {@link RunOutcome.finalTest}; kept for callers of the v1 API. */
  readonly test: Evaluation;
  /** The input normalisation the run used (see {@link RunStartReport.normalization}). */
  readonly normalization: NormalizationStats;
  /**
   * A frozen copy of the weights as the run ended (final, not best-epoch; stopped runs too; the
   * last good ones of a diverged run), holding no tensors, so it outlives the run: the worker
   * answers drawings with it afterwards.
   */
  readonly finalModel: Predictor;
}

/** How the loop reports and how it is steered; the worker, the CLI and tests each supply one. */
export interface LoopHooks {
  /** Pause/resume/stop, single steps, learning-rate override and step delay of this run. */
  readonly control: RunController;
  onStart(info: RunStartReport): void;
  onBatches(report: BatchReport): void;
  onEpoch(report: EpochReport): void;
  onEvaluating(): void;
  onPaused(): void;
  onResumed(): void;
  /**
   * Called once, right after `onStart`, with a function that returns a {@link Predictor} of the
   * latest weights (the engine synced first; reused while no step has run since). Safe to call
   * whenever the loop has yielded (message handlers), including paused and during evaluation;
   * once training is over it returns {@link RunResult.finalModel}. It holds no tensors.
   */
  onModel?(snapshot: () => Promise<Predictor>): void;
  /** A step requested while paused starts; `onPaused` follows when it is done. */
  onStepStarted?(kind: StepKind): void;
  /**
   * Where each epoch's weights go for the error analysis (see `epochAnalyser.ts`): handed over
   * after the epoch's validation, never awaited, so the next epoch trains while it runs. The
   * caller owns it (the worker's runs use the analysis worker) and finishes or disposes it.
   */
  readonly analyser?: EpochAnalyser;
  /**
   * Without `analyser`: analyse in process and deliver each epoch's analysis here, possibly
   * after later epochs' reports; the run returns once the last one was delivered. Only computed
   * when present (the CLI leaves it out); a returned promise is not awaited.
   */
  onAnalysis?(analysis: EpochAnalysis): void | Promise<void>;
  /** An epoch's in-process analysis failed (training goes on); with `onAnalysis`. */
  onAnalysisFailed?(epoch: number, message: string): void;
  /** Lets messages (pause, stop) in; called every `yieldEveryMs` of busy training. */
  yieldToEventLoop(): Promise<void>;
  /** The clock, in ms (`performance.now()` outside tests). */
  now(): number;
  /** Minimum time between `onBatches` calls (default 100 ms, ~10 events/s). */
  readonly reportEveryMs?: number;
  /**
   * Whether sampled steps measure their layer norms (`core/layerStepNorms.ts`); on when absent.
   * Only the bench turns it off, to time what layer health costs training.
   */
  readonly layerNorms?: boolean;
  /** Busy training time between `yieldToEventLoop` calls (default 25 ms). */
  readonly yieldEveryMs?: number;
  /** Which engine to train with (default `auto`, see `chooseEngine`). */
  readonly engine?: EngineChoice;
  /**
   * Threads for the fused kernel: where helpers come from (browser workers, Node worker threads)
   * and how many to use (`auto`: measured). One thread when absent.
   */
  readonly threads?: FusedThreading;
  /**
   * Continue from these weights instead of drawing fresh ones. The initial-weights fingerprint
   * then hashes them (`parametersFingerprint`); the optimizer state (moments) starts at zero and
   * the schedule at epoch 1, since neither is saved.
   */
  readonly initialWeights?: InitialWeights;
  /**
   * Drawings to mix into the training split (My digits, checked by `extraTrainingProblem`):
   * appended after MNIST's rows, shuffled in, and counted in `trainingExamples`.
   */
  readonly extraTraining?: ExtraTraining;
}
