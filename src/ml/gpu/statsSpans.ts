import { GPU_STATS_SPAN_STEPS } from '../../core/gpuLayout.ts';
import type { DeferredValues } from '../pending.ts';

/**
 * Per-step loss and accuracy of the fused WebGPU engine, read back a span of steps at a time.
 * Each step's loss pass writes `[loss, accuracy]` into its slot of the stats buffer
 * (`stats[2·slot]`, `stats[2·slot + 1]`); the slots of consecutive steps form a span
 * ({@link StatsSpan}, the steps' {@link DeferredValues}). A span closes when someone first reads
 * it (the training loop drains about ten times a second) or when it is full: one copy of its
 * slots into a staging buffer, one `mapAsync` — never a read per step. The next step opens a new
 * span from slot 0; the queue runs the copy before any later step overwrites the slots.
 */

const BYTES_PER_STEP = 8;

/** One span of steps' `[loss, accuracy]` pairs: value 2·i is step i's loss, 2·i + 1 its accuracy. */
export class StatsSpan implements DeferredValues {
  /** Steps written into this span so far. */
  used = 0;
  /** Where the span's slots were copied once it closed; null while open. */
  staging: GPUBuffer | null = null;
  private values: Promise<Float32Array> | null = null;

  constructor(private readonly owner: StatsSpans) {}

  /** The span's values (`2·used` floats); closes it first if still open. Idempotent. */
  read(): Promise<Float32Array> {
    if (this.values !== null) return this.values;
    if (this.staging === null) this.owner.close(this, null);
    const staging = this.staging;
    const bytes = this.used * BYTES_PER_STEP;
    this.values =
      staging === null
        ? Promise.resolve(new Float32Array(2 * this.used).fill(Number.NaN))
        : this.owner.readStaging(staging, bytes);
    return this.values;
  }
}

export class StatsSpans {
  private current: StatsSpan | null = null;
  private readonly free: GPUBuffer[] = [];
  private readonly made = new Set<GPUBuffer>();
  private disposed = false;

  /**
   * @param stats the `[2·capacity]` f32 stats buffer the loss pass writes (usage must include COPY_SRC).
   */
  constructor(
    private readonly device: GPUDevice,
    private readonly stats: GPUBuffer,
    readonly capacity: number = GPU_STATS_SPAN_STEPS,
  ) {}

  /** The span and slot of the next step, opening a span when none is open. */
  nextSlot(): { readonly span: StatsSpan; readonly slot: number } {
    if (this.disposed) throw new Error('GpuEngine: the engine was disposed');
    const span = this.current ?? (this.current = new StatsSpan(this));
    const slot = span.used;
    span.used += 1;
    return { span, slot };
  }

  /**
   * Call after recording a step into `encoder`: closes the span there when it is full, so the
   * copy goes out with the step's own submit.
   */
  afterStep(encoder: GPUCommandEncoder): void {
    if (this.current !== null && this.current.used >= this.capacity) this.close(this.current, encoder);
  }

  /** Copies `span`'s slots to a staging buffer (in `encoder`, or a submit of its own) and closes it. */
  close(span: StatsSpan, encoder: GPUCommandEncoder | null): void {
    if (span.staging !== null) return;
    if (this.current === span) this.current = null;
    if (this.disposed || span.used === 0) return;
    const staging = this.free.pop() ?? this.makeStaging();
    const own = encoder ?? this.device.createCommandEncoder({ label: 'fused webgpu stats read' });
    own.copyBufferToBuffer(this.stats, 0, staging, 0, span.used * BYTES_PER_STEP);
    if (encoder === null) this.device.queue.submit([own.finish()]);
    span.staging = staging;
  }

  /**
   * The first `bytes` of `staging` as floats, then the buffer back to the pool. NaN where the
   * read cannot happen (the engine was disposed or the device lost before the map finished).
   */
  async readStaging(staging: GPUBuffer, bytes: number): Promise<Float32Array> {
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, bytes);
      const values = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
      staging.unmap();
      if (this.disposed) staging.destroy();
      else this.free.push(staging);
      return values;
    } catch {
      return new Float32Array(bytes / 4).fill(Number.NaN);
    }
  }

  private makeStaging(): GPUBuffer {
    const buffer = this.device.createBuffer({
      label: 'fused webgpu stats staging',
      size: this.capacity * BYTES_PER_STEP,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.made.add(buffer);
    return buffer;
  }

  /** Destroys every staging buffer (reads still pending resolve to NaN). */
  dispose(): void {
    this.disposed = true;
    this.current = null;
    for (const buffer of this.made) buffer.destroy();
    this.made.clear();
    this.free.length = 0;
  }
}
