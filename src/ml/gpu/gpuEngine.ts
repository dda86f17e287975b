import { augmentationEnabled } from '../../core/augment.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { gpuLayout, gpuLimitProblem, type GpuLayout } from '../../core/gpuLayout.ts';
import type { Evaluation } from '../../core/runReports.ts';
import type { FusedEngineOptions } from '../fused/fusedEngine.ts';
import type { DeferredScalar } from '../pending.ts';
import { BatchNormPass } from './batchNormPass.ts';
import { GpuBuffers } from './gpuBuffers.ts';
import { checkModelMatchesGpuLayout, loadModelWeights, ModelSync, VariableLoader } from './gpuWeights.ts';
import { OptimizerPass } from './optimizerPass.ts';
import { StatsSpans } from './statsSpans.ts';
import { StepInputs } from './stepInputs.ts';
import { StepPipelines } from './stepPipelines.ts';

/**
 * The fused WebGPU training engine: a whole step — batch gather and normalisation from the
 * training images resident on the GPU as bytes, forward pass with bias, activation and dropout,
 * batch norm, loss and its gradient, backward pass, weight and bias gradients, L1/L2 and the
 * optimizer — as about a dozen WGSL compute dispatches in ONE compute pass and ONE
 * `queue.submit` per step, with no TF.js op and nothing read back per step: each step's loss and
 * accuracy land in a GPU stats buffer read a span of steps at a time ({@link DeferredScalar}s,
 * `statsSpans.ts`). For 784-128-64-10 without batch norm a step is 9 dispatches: 3 forward
 * products (the first gathering its input, and split along its K = 784 so that a small batch
 * still fills the GPU, with a second dispatch adding the parts), the loss, 2 backward products,
 * the weight and bias gradients of every layer (split along the batch too, one dispatch more,
 * from a batch of 256), the optimizer; each batch-norm layer adds one each way.
 *
 * It trains on the TF.js webgpu backend's own device, so {@link GpuEngine.syncModel} writes the
 * model's variables GPU to GPU. What the CPU still does per step is what every engine draws from
 * the run's seeded streams — the batch's rows and labels, the dropout masks, augmented images —
 * uploaded with `queue.writeBuffer` before the submit, so all engines train on the same batches
 * with the same masks. Results agree with the fused WASM kernel to float rounding (the GPU sums
 * in another order); see `gpuAgreement.browser.test.ts`.
 */
export class GpuEngine {
  private readonly layout: GpuLayout;
  private readonly config: TrainingConfig;
  private readonly buffers: GpuBuffers;
  private readonly inputs: StepInputs;
  private readonly pipelines: StepPipelines;
  private readonly optimizer: OptimizerPass;
  /** One per hidden layer (null where it has no batch norm). */
  private readonly norms: readonly (BatchNormPass | null)[];
  private readonly spans: StatsSpans;
  private readonly sync: ModelSync;
  private readonly creationErrors: Promise<GPUError | null>;
  private stepCount = 0;
  private recorded = 0;
  private dirty = false;
  private disposed = false;

  /**
   * @param device the TF.js webgpu backend's own device (`(tf.backend() as WebGPUBackend).device`).
   * @param options the same inputs as the fused WASM engine: config, model (its variables hold the
   *   initial weights), images, training split, normalisation, the augmentation and dropout streams.
   */
  constructor(
    private readonly device: GPUDevice,
    options: FusedEngineOptions,
  ) {
    const { config, model, maxBatch, images } = options;
    this.config = config;
    this.layout = gpuLayout(config, maxBatch, images.count);
    const problem = gpuLimitProblem(this.layout, device.limits);
    if (problem !== null) throw new Error(problem);
    checkModelMatchesGpuLayout(model, this.layout);

    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    // What is made so far, destroyed again if a later part throws (and the error scopes popped).
    const made: { dispose(): void }[] = [];
    const keep = <T extends { dispose(): void }>(part: T): T => {
      made.push(part);
      return part;
    };
    try {
      const augmenting = augmentationEnabled(config.data);
      this.buffers = keep(new GpuBuffers(device, this.layout));
      const { params, grads, activations, stats } = this.buffers;
      if (!augmenting) this.buffers.uploadImages(images.pixels);
      const loader = keep(new VariableLoader(device));
      loadModelWeights(loader, params, this.layout, model);
      this.optimizer = keep(
        new OptimizerPass(
          device,
          { optimizer: config.optimizer, loss: config.loss },
          { params, grads, paramFloats: this.layout.paramFloats, decayFloats: this.layout.decayFloats },
        ),
      );
      this.norms = this.layout.layers.slice(0, -1).map((l, i) => {
        if (l.gamma === null || l.beta === null || l.y === null || l.h === null) return null;
        const pass = keep(
          new BatchNormPass(
            device,
            {
              width: l.fanOut,
              rowStride: l.fanOut,
              maxBatch,
              activation: l.activation,
              gamma: l.gamma,
              beta: l.beta,
              z: l.z,
              y: l.y,
              h: l.h,
              mask: l.mask,
              dz: l.dz,
            },
            { params, grads, activations },
          ),
        );
        const variables = model.hidden[i]?.batchNorm;
        if (variables == null) throw new Error(`GpuEngine: the model's layer ${i + 1} has no batch norm`);
        loader.write(pass.statistics, pass.runningMeanOffset, variables.runningMean);
        loader.write(pass.statistics, pass.runningVarianceOffset, variables.runningVar);
        return pass;
      });
      loader.finish();
      const normalization = options.normalization;
      this.pipelines = new StepPipelines(device, this.layout, this.buffers, {
        loss: config.loss,
        input: {
          scale: 1 / (255 * normalization.std),
          offset: -normalization.mean / normalization.std,
          augmenting,
        },
      });
      this.inputs = new StepInputs(device.queue, this.layout, this.buffers, options, augmenting);
      this.spans = keep(new StatsSpans(device, stats));
      this.sync = keep(
        new ModelSync(
          device,
          this.layout,
          model,
          params,
          this.norms.flatMap((n) =>
            n === null
              ? []
              : [{ buffer: n.statistics, mean: n.runningMeanOffset, variance: n.runningVarianceOffset }],
          ),
        ),
      );
    } catch (error) {
      for (const part of made) part.dispose();
      void device.popErrorScope().catch(() => null);
      void device.popErrorScope().catch(() => null);
      throw error;
    }
    const validation = device.popErrorScope();
    const memory = device.popErrorScope();
    this.creationErrors = Promise.all([validation, memory]).then(([v, m]) => v ?? m);
  }

  /**
   * Resolves once the device has accepted every buffer and pipeline the constructor made; rejects
   * with the device's message otherwise (WebGPU reports such errors asynchronously).
   */
  async whenCreated(): Promise<void> {
    const error = await this.creationErrors;
    if (error !== null) throw new Error(`The fused WebGPU engine could not be set up: ${error.message}`);
  }

  /** Compute dispatches in one training step (counted as the last step recorded them). */
  get dispatchesPerStep(): number {
    return this.recorded > 0 ? this.recorded : this.plannedDispatches();
  }

  /** Bytes of GPU memory this engine's buffers take (the plan in `core/gpuLayout.ts`). */
  get memoryBytes(): number {
    return this.layout.totalBytes;
  }

  private plannedDispatches(): number {
    const norms = this.norms.filter((n) => n !== null).length;
    return this.pipelines.dispatchesPerStep + this.optimizer.dispatches + 2 * norms;
  }

  /**
   * One optimisation step on training-split `positions` at `learningRate`: uploads the step's
   * inputs, records every dispatch into one compute pass and submits it. The batch's mean data
   * loss and accuracy come back as {@link DeferredScalar}s of the current stats span.
   */
  step(positions: Int32Array, learningRate: number): { loss: DeferredScalar; accuracy: DeferredScalar } {
    if (this.disposed) throw new Error('GpuEngine: the engine was disposed');
    const batch = positions.length;
    if (batch < 1 || batch > this.layout.batch) {
      throw new Error(`GpuEngine: a batch must have 1 to ${this.layout.batch} rows, not ${batch}`);
    }
    this.stepCount += 1;
    const queue = this.device.queue;
    const { span, slot } = this.spans.nextSlot();
    this.inputs.write(positions, slot);
    this.optimizer.writeArguments(queue, { learningRate, ...this.biasCorrections() });
    for (const norm of this.norms) norm?.writeArguments(queue, batch);

    const encoder = this.device.createCommandEncoder({ label: 'fused webgpu step' });
    const pass = encoder.beginComputePass({ label: 'fused webgpu step' });
    let dispatches = 0;
    const layers = this.layout.layers.length;
    for (let l = 0; l < layers; l++) {
      dispatches += this.pipelines.recordForward(pass, l, batch);
      const norm = this.norms[l];
      if (norm != null) {
        norm.recordForward(pass);
        dispatches += norm.dispatchesEachWay;
      }
    }
    dispatches += this.pipelines.recordLoss(pass, batch);
    for (let l = layers - 1; l >= 1; l--) {
      dispatches += this.pipelines.recordBackward(pass, l, batch);
      const norm = this.norms[l - 1];
      if (norm != null) {
        norm.recordBackward(pass);
        dispatches += norm.dispatchesEachWay;
      }
    }
    dispatches += this.pipelines.recordWeightGradients(pass, batch);
    this.optimizer.record(pass);
    dispatches += this.optimizer.dispatches;
    pass.end();
    this.spans.afterStep(encoder);
    queue.submit([encoder.finish()]);
    this.recorded = dispatches;
    this.dirty = true;
    return { loss: { values: span, index: 2 * slot }, accuracy: { values: span, index: 2 * slot + 1 } };
  }

  /** Adam's bias corrections 1/(1−β1ᵗ) and 1/(1−β2ᵗ) at this step t (1 for other optimizers). */
  private biasCorrections(): { c1: number; c2: number } {
    const o = this.config.optimizer;
    const adam = o.kind === 'adam' || o.kind === 'adamw';
    return {
      c1: adam ? 1 / (1 - Math.pow(o.beta1, this.stepCount)) : 1,
      c2: adam ? 1 / (1 - Math.pow(o.beta2, this.stepCount)) : 1,
    };
  }

  /**
   * Writes the engine's weights (and batch-norm running statistics) into the model's TF.js
   * variables, GPU to GPU, if they changed since the last sync. Call before anything reads the model.
   */
  syncModel(): void {
    if (!this.dirty || this.disposed) return;
    this.sync.sync();
    this.dirty = false;
  }

  /** Null: the TF.js model (synced) evaluates the validation rows. */
  evaluateRows(_rows: Int32Array): Evaluation | null {
    return null;
  }

  /** Destroys every GPU buffer the engine and its passes made; pending span reads resolve to NaN. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.spans.dispose();
    this.sync.dispose();
    this.optimizer.dispose();
    for (const norm of this.norms) norm?.dispose();
    this.buffers.dispose();
  }
}
