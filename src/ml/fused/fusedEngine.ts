import { augmentImage, augmentationEnabled } from '../../core/augment.ts';
import type { TrainingConfig } from '../../core/config.ts';
import { fusedLayout, type FusedLayout } from '../../core/fusedLayout.ts';
import type { LabelledImages } from '../../core/idx.ts';
import { MNIST_PIXELS } from '../../core/idx.ts';
import { KERNEL_HEAP_BASE, type KernelExports } from '../../core/kernelBindings.ts';
import { ThreadTuner, type ThreadChoice, type ThreadRequest } from '../../core/kernelThreads.ts';
import type { NormalizationStats } from '../../core/normalization.ts';
import type { Evaluation } from '../../core/runReports.ts';
import type { SeededRandom } from '../../core/random.ts';
import type { Mlp } from '../mlp.ts';
import {
  inferenceSectionIndex,
  runSection,
  stepPlan,
  transposeAll,
  type StepArguments,
  type StepPlan,
} from './fusedSections.ts';
import { FusedStepNorms } from './fusedStepNorms.ts';
import { checkModelMatchesLayout, loadModelWeights, storeModelWeights } from './fusedWeights.ts';
import {
  compiledKernel,
  createKernelMemory,
  instantiateKernel,
  type CompiledKernel,
  type KernelMemoryHandle,
} from './kernel.ts';
import { inputBase, inputGradientSums } from './inputSums.ts';
import { KernelThreadPool, type KernelThreadHost } from './kernelPool.ts';
import { controlWords, MAX_BLOCKS, sectionCommand, writeArguments } from './threadControl.ts';

/**
 * The fused training engine: a whole step — batch gather and normalisation, forward pass,
 * dropout, loss, backward pass, L1/L2, optimizer — runs in our WebAssembly SIMD kernel
 * (kernels/) with a few dozen calls from here and no TF.js op, on every core the machine lends
 * it: the step's sections (`fusedSections.ts`) are split between thread 0 (this engine) and
 * the pool's helpers, with the thread count measured at the start of the run (`ThreadTuner`).
 * The weights live in the kernel's memory while training; {@link FusedEngine.syncModel} copies
 * them into the model's TF.js variables for evaluation, snapshots and every other reader.
 * Results match the TF.js path (same init, masks, batches and update rules) to float rounding,
 * and are bit-identical for any thread count.
 *
 * Every buffer sits where {@link fusedLayout} puts it (the layout the memory estimate sums);
 * padded activations are forced to 0, so their gradients are 0 too and padding stays zero.
 */

/**
 * Blocks per thread a section is cut into: enough that a paused thread's share is taken over by
 * the others, few enough that each block is still a sizeable kernel call.
 */
const BLOCKS_PER_THREAD = 4;

/** How the kernel may use threads in this run. */
export interface FusedThreading {
  /** Spawns helpers; null where there are none (tests, a host without workers): one thread. */
  readonly host: KernelThreadHost | null;
  /** `auto` (measure) or a forced count (`?threads=`). */
  readonly request: ThreadRequest;
}

export interface FusedEngineOptions {
  readonly config: TrainingConfig;
  readonly model: Mlp;
  readonly images: LabelledImages;
  /** Rows of `images` that form the training split; batch positions index into it. */
  readonly trainIndices: Int32Array;
  readonly normalization: NormalizationStats;
  /** Drives augmentation, exactly as the TF.js path's batch source does. */
  readonly augmentRng: SeededRandom;
  readonly dropoutRng: SeededRandom;
  /** The largest batch the run will ask for. */
  readonly maxBatch: number;
  /** Threads for the fused kernel; one thread when absent. */
  readonly threading?: FusedThreading;
  /**
   * Tests only: without a pool, run every section's shares for threads 0…n−1 one after another
   * on this thread, so a test can check that any split gives the same bits without workers.
   */
  readonly sequentialSplit?: number;
}

export interface FusedStepResult {
  readonly loss: number;
  readonly accuracy: number;
  /** On a step asked to measure them: `[2L]` layer norms (see {@link FusedStepNorms}). */
  readonly norms?: Float32Array;
}

export class FusedEngine {
  private readonly k: KernelExports;
  private readonly memory: KernelMemoryHandle;
  /** Byte offsets of every buffer in the kernel memory. */
  private readonly layout: FusedLayout;
  private readonly plan: StepPlan;
  private readonly config: TrainingConfig;
  private readonly model: Mlp;
  private readonly options: FusedEngineOptions;
  private readonly augmenting: boolean;
  private readonly pool: KernelThreadPool | null;
  private readonly tuner: ThreadTuner;
  private readonly threads: number;
  private step = 0;
  private threadedStepCount = 0;
  private dirty = false;

  /**
   * @param kernel the build to run (its shared twin is compiled here when threads may be used).
   */
  constructor(kernel: CompiledKernel, options: FusedEngineOptions) {
    const { config, model, maxBatch } = options;
    this.options = options;
    this.config = config;
    this.model = model;
    this.augmenting = augmentationEnabled(config.data);
    this.layout = fusedLayout(config, maxBatch, options.images.count);
    checkModelMatchesLayout(model, this.layout);

    const host = options.threading?.host ?? null;
    const shared = host !== null && host.maxThreads > 1 ? compiledKernel(kernel.variant, true) : null;
    const sharedMemory = shared === null ? null : createKernelMemory(this.layout.memoryBytes, true);
    this.memory = sharedMemory ?? createKernelMemory(this.layout.memoryBytes, false) ?? neverNull();
    const module = sharedMemory !== null && shared !== null ? shared.module : kernel.module;
    this.k = instantiateKernel(module, this.memory);
    if (this.k.heapBase() !== KERNEL_HEAP_BASE) {
      throw new Error(
        'src/core/kernelBindings.ts does not match the kernel binary: run `npm run build:kernel`',
      );
    }
    this.threads = sharedMemory !== null && host !== null ? host.maxThreads : 1;
    const limitReason =
      host === null
        ? 'one thread: no worker threads here'
        : host.maxThreads <= 1
          ? host.limitReason
          : 'one thread: shared WebAssembly memory is not available here';
    this.tuner = new ThreadTuner(
      this.threads,
      options.threading?.request ?? 'auto',
      limitReason,
      undefined,
      host?.requestName,
    );

    this.plan = stepPlan(config, this.layout, options.normalization, this.augmenting);
    if (!this.augmenting) new Uint8Array(this.memory.buffer).set(options.images.pixels, this.layout.pixels);
    this.loadWeights();
    this.initialiseOptimizerState();
    this.pool =
      this.threads > 1 && host !== null
        ? new KernelThreadPool(
            host,
            controlWords(this.memory.buffer, this.layout.control),
            {
              module,
              memory: this.memory,
              config,
              maxBatch,
              residentImages: options.images.count,
              normalization: options.normalization,
              augmenting: this.augmenting,
            },
            this.threads - 1,
          )
        : null;
  }

  /** How many threads the kernel trains with and why; null while still measuring. */
  get threadChoice(): ThreadChoice | null {
    return this.tuner.choice;
  }

  /** Steps that ran on more than one thread so far (tests check the threaded path ran). */
  get threadedSteps(): number {
    return this.threadedStepCount;
  }

  /**
   * Resolves true once every helper thread has started (at once without a pool), false after
   * `timeoutMs`. Training never needs to wait for this (it runs on thread 0 meanwhile); tests do.
   */
  async whenThreadsReady(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pool !== null && !this.pool.allReady) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  /** Ends the helper threads; the engine must not step afterwards. */
  dispose(): void {
    this.pool?.dispose();
  }

  /**
   * Loss and accuracy in inference mode of training-file rows `rows` (the validation split), on
   * the kernel's forward pass — threads, sparse first layer and all — in chunks of the largest
   * batch; null where the TF.js model must evaluate (batch norm, whose inference mode needs the
   * running statistics there). Agrees with the TF.js evaluation to float rounding.
   */
  evaluateRows(rows: Int32Array): Evaluation | null {
    if (this.layout.layers.some((l) => l.batchNorm !== null)) return null;
    if (rows.length === 0) return { loss: Number.NaN, accuracy: Number.NaN };
    const k = this.k;
    const { images } = this.options;
    const chunk = this.layout.batch;
    const settled = this.tuner.choice?.threads ?? 1;
    const threads = this.pool?.allReady ? settled : 1;
    const index = inferenceSectionIndex(this.plan);
    inputBase(k, this.plan);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < rows.length; start += chunk) {
      const size = Math.min(chunk, rows.length - start);
      const ints = new Int32Array(this.memory.buffer);
      const staging = new Uint8Array(this.memory.buffer);
      for (let r = 0; r < size; r++) {
        const row = rows[start + r] ?? 0;
        ints[this.layout.rows / 4 + r] = row;
        ints[this.layout.labels / 4 + r] = images.labels[row] ?? 0;
        // Augmenting runs keep only the batch in the kernel: copy the raw image in.
        if (this.augmenting) {
          const from = row * MNIST_PIXELS;
          staging.set(
            images.pixels.subarray(from, from + MNIST_PIXELS),
            this.layout.pixels + r * MNIST_PIXELS,
          );
        }
      }
      const args = { batch: size, learningRate: 0, c1: 1, c2: 1 };
      if (threads > 1 && this.pool !== null) {
        writeArguments(this.memory.buffer, this.layout.control, args);
        const blocks = Math.min(MAX_BLOCKS, threads * BLOCKS_PER_THREAD);
        this.pool.run(sectionCommand(index), threads, blocks, (block, count) =>
          runSection(k, this.plan, index, args, block, count),
        );
      } else {
        runSection(k, this.plan, index, args, 0, 1);
      }
      lossSum += k.batchLoss(this.layout.rowLosses, this.layout.rowHits, size) * size;
      correct += k.lastCorrect();
    }
    return { loss: lossSum / rows.length, accuracy: correct / rows.length };
  }

  /**
   * A copy of the optimizer's state buffers (`[paramFloats]` each; null where the optimizer keeps
   * none), for tests of what the kernel keeps between steps.
   */
  optimizerState(): { readonly state1: Float32Array | null; readonly state2: Float32Array | null } {
    const { state1, state2, paramFloats } = this.layout;
    const copy = (at: number | null) => (at === null ? null : this.f32().slice(at / 4, at / 4 + paramFloats));
    return { state1: copy(state1), state2: copy(state2) };
  }

  /** Bytes of this engine's WebAssembly memory (all its buffers; see `core/memoryEstimate.ts`). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Views are made per use: they are cheap, and stay correct whatever the memory does. */
  private f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  /** Copies the model's TF.js variables into the padded kernel layout (padding left at 0). */
  private loadWeights(): void {
    loadModelWeights(this.f32(), this.layout, this.model);
    transposeAll(this.k, this.layout);
  }

  private initialiseOptimizerState(): void {
    const { state1, state2, paramFloats } = this.layout;
    const memory = this.f32();
    if (state1 !== null) memory.fill(0, state1 / 4, state1 / 4 + paramFloats);
    // TF.js Adagrad starts its accumulator at `initialAccumulatorValue` (our `epsilon` field).
    const initial = this.config.optimizer.kind === 'adagrad' ? this.config.optimizer.epsilon : 0;
    if (state2 !== null) memory.fill(initial, state2 / 4, state2 / 4 + paramFloats);
  }

  /**
   * Writes the kernel's weights into the model's TF.js variables, if they changed since the last
   * sync. Call before anything reads the model (evaluation, snapshots, previews).
   */
  syncModel(): void {
    if (!this.dirty) return;
    storeModelWeights(this.f32(), this.layout, this.model);
    this.dirty = false;
  }

  /**
   * The sequential part of loading a batch (thread 0): the training-file rows and labels of
   * training-split `positions`, and, when augmenting, the augmented bytes drawn from the
   * augmentation stream. The rows section gathers and normalises them in parallel.
   */
  private stageBatch(positions: Int32Array): void {
    const { images, trainIndices } = this.options;
    const { rows, labels, pixels } = this.layout;
    const count = positions.length;
    const ints = new Int32Array(this.memory.buffer);
    for (let r = 0; r < count; r++) {
      const index = trainIndices[positions[r] ?? 0] ?? 0;
      ints[rows / 4 + r] = index;
      ints[labels / 4 + r] = images.labels[index] ?? 0;
    }
    if (!this.augmenting) return;
    const staging = new Uint8Array(this.memory.buffer);
    for (let r = 0; r < count; r++) {
      const index = ints[rows / 4 + r] ?? 0;
      augmentImage(
        images.pixels,
        index * MNIST_PIXELS,
        staging,
        pixels + r * MNIST_PIXELS,
        this.config.data,
        this.options.augmentRng,
      );
    }
  }

  /**
   * Every dropout mask of the batch, in the TF.js path's order (input, then each layer's), drawn
   * by the kernel (`dropoutMask`) from the run's dropout stream, continued from and handed back to
   * the TypeScript generator, so both engines drop the same units.
   */
  private fillMasks(batch: number): void {
    const { inputMask, layers, rngState } = this.layout;
    if (inputMask === null && layers.every((l) => l.mask === null)) return;
    const rng = this.options.dropoutRng;
    const words = new Uint32Array(this.memory.buffer, rngState, 4);
    words.set(rng.state());
    const fill = (at: number, width: number, ld: number, rate: number) =>
      this.k.dropoutMask(rngState, at, batch, width, ld, (1 - rate) * 4294967296, 1 / (1 - rate));
    if (inputMask !== null) fill(inputMask, MNIST_PIXELS, MNIST_PIXELS, this.model.inputDropout);
    for (const l of layers) {
      if (l.mask !== null) fill(l.mask, l.fanOut, l.outPad, l.dropout);
    }
    rng.setState(words);
  }

  /** This step's arguments: Adam's bias corrections from the step count. */
  private stepArguments(batch: number, learningRate: number): StepArguments {
    const o = this.config.optimizer;
    const adam = o.kind === 'adam' || o.kind === 'adamw';
    return {
      batch,
      learningRate,
      c1: adam ? 1 / (1 - Math.pow(o.beta1, this.step)) : 1,
      c2: adam ? 1 / (1 - Math.pow(o.beta2, this.step)) : 1,
    };
  }

  /** One optimisation step on training-split `positions` at `learningRate` (with its layer norms if asked). */
  trainStep(positions: Int32Array, learningRate: number, measureNorms = false): FusedStepResult {
    const norms = measureNorms ? new FusedStepNorms(this.layout) : null;
    const before = norms?.before(this.f32()) ?? null;
    const started = performance.now();
    const k = this.k;
    const batch = positions.length;
    const threads = this.tuner.threadsFor(this.pool?.allReady ? this.threads : 1);
    this.step += 1;
    this.stageBatch(positions);
    this.fillMasks(batch);
    const args = this.stepArguments(batch, learningRate);
    const sections = this.plan.sections.length;
    const weights = sections - 1;
    inputBase(k, this.plan);
    if (threads === 1 || this.pool === null) {
      const split = this.options.sequentialSplit ?? 1;
      for (let i = 0; i < sections; i++) {
        if (i === weights) inputGradientSums(k, this.plan, batch);
        for (let thread = 0; thread < split; thread++) runSection(k, this.plan, i, args, thread, split);
      }
    } else {
      writeArguments(this.memory.buffer, this.layout.control, args);
      const blocks = Math.min(MAX_BLOCKS, threads * BLOCKS_PER_THREAD);
      for (let i = 0; i < sections; i++) {
        if (i === weights) inputGradientSums(k, this.plan, batch);
        this.pool.run(sectionCommand(i), threads, blocks, (block, count) =>
          runSection(k, this.plan, i, args, block, count),
        );
      }
      this.threadedStepCount += 1;
    }
    const loss = k.batchLoss(this.layout.rowLosses, this.layout.rowHits, batch);
    const correct = k.lastCorrect();
    this.dirty = true;
    this.tuner.record(threads, batch, performance.now() - started);
    const measured = norms === null || before === null ? {} : { norms: norms.after(this.f32(), before) };
    return { loss, accuracy: correct / batch, ...measured };
  }
}

function neverNull(): never {
  throw new Error('could not make the kernel memory');
}
