import { MNIST_PIXELS, type LabelledImages } from '../core/idx.ts';
import { topIndices, type UnitTopImages } from '../core/topActivations.ts';
import type { Predictor } from '../ml/predictor.ts';

/** Images between looks at the clock. */
const BLOCK = 50;
/** A slice of a scan works this long at most (plus one block) before the worker yields. */
const SLICE_MS = 8;
/** Units remembered per set of weights. */
const CACHED_UNITS = 32;

/** A scan overtaken by a newer one: its request is answered with this error, which nobody shows. */
export const SUPERSEDED = 'A newer unit was asked for.';

/**
 * The neuron inspector's "nine test images that activate this unit most": one scan of the test
 * split in inference mode ({@link Predictor.unitActivations}), in slices of about 8 ms with a turn
 * of the event loop between them so training and other requests go on. Only the newest scan runs to its end (an
 * older one stops at its next slice and throws {@link SUPERSEDED}); results are remembered per
 * predictor (a finished or loaded model's weights) and unit, so going back to a unit is instant.
 */
export class UnitTopImageScans {
  private newest = 0;
  private readonly cache = new WeakMap<Predictor, Map<string, UnitTopImages>>();

  constructor(
    private readonly yieldToEventLoop: () => Promise<void>,
    /** Milliseconds, for the length of a slice (`performance.now()` unless a test fakes it). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The top images of `unit` of hidden layer `layer`, or null when the model has no such unit. */
  async scan(
    predictor: Predictor,
    test: LabelledImages,
    layer: number,
    unit: number,
  ): Promise<UnitTopImages | null> {
    const key = `${layer}:${unit}`;
    const cached = this.cache.get(predictor)?.get(key);
    if (cached !== undefined) return copyOf(cached);
    this.newest += 1;
    const generation = this.newest;
    const activations = new Float32Array(test.count);
    let sliceStart = this.now();
    for (let from = 0; from < test.count; from += BLOCK) {
      if (this.now() - sliceStart > SLICE_MS) {
        await this.yieldToEventLoop();
        if (generation !== this.newest) throw new Error(SUPERSEDED);
        sliceStart = this.now();
      }
      const to = Math.min(test.count, from + BLOCK);
      if (!predictor.unitActivations(test.pixels, from, to, { layer, unit }, activations)) return null;
    }
    const indices = Uint32Array.from(topIndices(activations));
    const result: UnitTopImages = {
      layer,
      unit,
      indices,
      activations: Float32Array.from(indices, (i) => activations[i] ?? 0),
      images: gather(test.pixels, indices),
      labels: Uint8Array.from(indices, (i) => test.labels[i] ?? 0),
      scanned: test.count,
    };
    const units = this.cache.get(predictor) ?? new Map<string, UnitTopImages>();
    if (units.size >= CACHED_UNITS) units.delete(units.keys().next().value as string);
    units.set(key, result);
    this.cache.set(predictor, units);
    return copyOf(result);
  }
}

/** The `[indices.length, 784]` bytes of those images. */
function gather(pixels: Uint8Array, indices: Uint32Array): Uint8Array {
  const out = new Uint8Array(indices.length * MNIST_PIXELS);
  indices.forEach((index, k) =>
    out.set(pixels.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS), k * MNIST_PIXELS),
  );
  return out;
}

/** A copy whose buffers can be transferred while the cache keeps its own. */
function copyOf(top: UnitTopImages): UnitTopImages {
  return {
    ...top,
    indices: top.indices.slice(),
    activations: top.activations.slice(),
    images: top.images.slice(),
    labels: top.labels.slice(),
  };
}
