import { augmentImage } from '../../core/augment.ts';
import type { GpuLayout } from '../../core/gpuLayout.ts';
import { MNIST_PIXELS } from '../../core/idx.ts';
import type { SeededRandom } from '../../core/random.ts';
import type { FusedEngineOptions } from '../fused/fusedEngine.ts';
import type { GpuBuffers } from './gpuBuffers.ts';

/**
 * What the CPU decides for each step of the fused WebGPU engine, from the run's seeded streams
 * exactly as the other engines do, uploaded with `queue.writeBuffer` before the step's submit:
 * the batch's training-file rows and labels, the augmented images (augmenting runs; drawn row by
 * row from the augmentation stream, as `FusedEngine.stageBatch`), the inverted-dropout masks
 * (input first, then each hidden layer's, row-major, `nextFloat() < keep ? 1/keep : 0` from the
 * dropout stream, as `dropout` in `src/ml/mlp.ts`), and the step uniform (batch size, stats slot).
 */
export class StepInputs {
  private readonly rows: Int32Array;
  private readonly labels: Int32Array;
  private readonly augmented: Uint8Array | null;
  private readonly mask: Float32Array;
  private readonly uniform = new Uint32Array(4);
  /** The masks a step draws, in stream order: byte offset into `activations`, width, rate. */
  private readonly masks: readonly {
    readonly offset: number;
    readonly width: number;
    readonly rate: number;
  }[];

  constructor(
    private readonly queue: GPUQueue,
    private readonly layout: GpuLayout,
    private readonly buffers: GpuBuffers,
    private readonly options: FusedEngineOptions,
    augmenting: boolean,
  ) {
    const { batch } = layout;
    this.rows = new Int32Array(batch);
    this.labels = new Int32Array(batch);
    this.augmented = augmenting ? new Uint8Array(batch * MNIST_PIXELS) : null;
    const masks: { offset: number; width: number; rate: number }[] = [];
    if (layout.inputMask !== null) {
      masks.push({ offset: layout.inputMask, width: MNIST_PIXELS, rate: options.config.model.inputDropout });
    }
    for (const l of layout.layers)
      if (l.mask !== null) masks.push({ offset: l.mask, width: l.fanOut, rate: l.dropout });
    this.masks = masks;
    this.mask = new Float32Array(batch * Math.max(0, ...masks.map((m) => m.width)));
  }

  /** Uploads step inputs for training-split `positions`; the loss goes to stats slot `slot`. */
  write(positions: Int32Array, slot: number): void {
    const { images, trainIndices, config, augmentRng, dropoutRng } = this.options;
    const count = positions.length;
    for (let r = 0; r < count; r++) {
      const row = trainIndices[positions[r] ?? 0] ?? 0;
      this.rows[r] = row;
      this.labels[r] = images.labels[row] ?? 0;
    }
    const { batchRows, pixels, activations, step } = this.buffers;
    this.queue.writeBuffer(batchRows, 0, this.rows, 0, count);
    this.queue.writeBuffer(batchRows, this.layout.batch * 4, this.labels, 0, count);
    if (this.augmented !== null) {
      for (let r = 0; r < count; r++) {
        const row = this.rows[r] ?? 0;
        augmentImage(
          images.pixels,
          row * MNIST_PIXELS,
          this.augmented,
          r * MNIST_PIXELS,
          config.data,
          augmentRng,
        );
      }
      this.queue.writeBuffer(pixels, 0, this.augmented, 0, count * MNIST_PIXELS);
    }
    for (const { offset, width, rate } of this.masks) {
      fillDropoutMask(this.mask, count * width, rate, dropoutRng);
      this.queue.writeBuffer(activations, offset, this.mask, 0, count * width);
    }
    this.uniform[0] = count;
    this.uniform[1] = slot;
    this.queue.writeBuffer(step, 0, this.uniform);
  }
}

/** The first `count` values of `out`: 1/keep where the stream keeps a unit, else 0 (keep = 1 − rate). */
function fillDropoutMask(out: Float32Array, count: number, rate: number, rng: SeededRandom): void {
  const keep = 1 - rate;
  const kept = 1 / keep;
  for (let i = 0; i < count; i++) out[i] = rng.nextFloat() < keep ? kept : 0;
}
