import type { TrainingConfig } from './config.ts';
import type { LabelledImages } from './idx.ts';
import { MNIST_PIXELS, MNIST_SIDE } from './idx.ts';
import { SeededRandom } from './random.ts';

/**
 * Data augmentation on raw 28×28 byte images, pure and seeded so a run (and the UI's preview of
 * it) is reproducible. Applied to training batches only; labels never change. The three
 * transforms run in this order, each filling uncovered pixels with 0 (background):
 *
 * 1. rotation by an angle uniform in ±`rotationDegrees` about the image centre (13.5, 13.5),
 *    bilinear sampling (torchvision `RandomRotation` uses nearest by default; bilinear keeps
 *    thin strokes from breaking up);
 * 2. random crop of 28×28 from the image zero-padded by `cropPadding` px on each side, i.e. an
 *    integer offset uniform in [−P, P] per axis (torchvision `RandomCrop(28, padding=P)`);
 * 3. random shift by an integer uniform in [−S, S] per axis (`shiftPixels`).
 *
 * All three are evaluated in one inverse-mapping pass per output pixel, with the clipping of
 * each stage honoured, so the result equals applying them one after the other.
 */

/** The `data` fields that drive augmentation. */
export type AugmentationOptions = Pick<
  TrainingConfig['data'],
  'rotationDegrees' | 'cropPadding' | 'shiftPixels'
>;

/** Whether any augmentation is on (then training batches are built on the CPU). */
export function augmentationEnabled(options: AugmentationOptions): boolean {
  return options.rotationDegrees > 0 || options.cropPadding > 0 || options.shiftPixels > 0;
}

const CENTRE = (MNIST_SIDE - 1) / 2;

function uniformInt(rng: SeededRandom, radius: number): number {
  return radius > 0 ? rng.nextInt(2 * radius + 1) - radius : 0;
}

/** Bilinear sample of `source` (28×28 at `offset`) at real coordinates, 0 outside. */
function bilinear(source: Uint8Array, offset: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  let value = 0;
  for (let dy = 0; dy <= 1; dy++) {
    const yy = y0 + dy;
    const wy = dy === 0 ? 1 - fy : fy;
    if (yy < 0 || yy >= MNIST_SIDE || wy === 0) continue;
    for (let dx = 0; dx <= 1; dx++) {
      const xx = x0 + dx;
      const wx = dx === 0 ? 1 - fx : fx;
      if (xx < 0 || xx >= MNIST_SIDE || wx === 0) continue;
      value += wx * wy * (source[offset + yy * MNIST_SIDE + xx] ?? 0);
    }
  }
  return value;
}

/**
 * Writes one augmented copy of the 784-byte image at `source[sourceOffset…]` into
 * `target[targetOffset…]` (which must not overlap it), drawing the angle and offsets from `rng`.
 * With all three options 0 it copies the image unchanged and draws nothing.
 */
export function augmentImage(
  source: Uint8Array,
  sourceOffset: number,
  target: Uint8Array,
  targetOffset: number,
  options: AugmentationOptions,
  rng: SeededRandom,
): void {
  const angle =
    options.rotationDegrees > 0 ? ((rng.nextFloat() * 2 - 1) * options.rotationDegrees * Math.PI) / 180 : 0;
  const cropX = uniformInt(rng, options.cropPadding);
  const cropY = uniformInt(rng, options.cropPadding);
  const shiftX = uniformInt(rng, options.shiftPixels);
  const shiftY = uniformInt(rng, options.shiftPixels);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const inside = (v: number) => v >= 0 && v < MNIST_SIDE;
  for (let y = 0; y < MNIST_SIDE; y++) {
    for (let x = 0; x < MNIST_SIDE; x++) {
      let value = 0;
      // Undo the shift, then the crop offset; each stage's output is 28×28, zero outside.
      const cx = x - shiftX;
      const cy = y - shiftY;
      const rx = cx - cropX;
      const ry = cy - cropY;
      if (inside(cx) && inside(cy) && inside(rx) && inside(ry)) {
        if (angle === 0) {
          value = source[sourceOffset + ry * MNIST_SIDE + rx] ?? 0;
        } else {
          // Inverse rotation of (rx, ry) about the centre gives the source coordinate.
          const dx = rx - CENTRE;
          const dy = ry - CENTRE;
          value = bilinear(source, sourceOffset, cos * dx + sin * dy + CENTRE, -sin * dx + cos * dy + CENTRE);
        }
      }
      target[targetOffset + y * MNIST_SIDE + x] = Math.round(value);
    }
  }
}

/** Originals and one augmented copy of some images, for a preview grid in the UI. */
export interface AugmentationPreview {
  /** `[n · 784]` bytes, the images as stored. */
  readonly originals: Uint8Array;
  /** `[n · 784]` bytes, one augmented copy of each. */
  readonly augmented: Uint8Array;
  /** `[n]`, unchanged by augmentation. */
  readonly labels: Uint8Array;
}

/**
 * Augments the images at `indices` of `images` with `config.data`'s settings and a PRNG seeded by
 * `seed`, so the same seed shows the same grid. Does not touch any training run's PRNG.
 */
export function previewAugmentations(
  images: LabelledImages,
  indices: readonly number[],
  config: TrainingConfig,
  seed: number,
): AugmentationPreview {
  const n = indices.length;
  const originals = new Uint8Array(n * MNIST_PIXELS);
  const augmented = new Uint8Array(n * MNIST_PIXELS);
  const labels = new Uint8Array(n);
  const rng = new SeededRandom(seed);
  indices.forEach((index, i) => {
    const from = index * MNIST_PIXELS;
    originals.set(images.pixels.subarray(from, from + MNIST_PIXELS), i * MNIST_PIXELS);
    augmentImage(images.pixels, from, augmented, i * MNIST_PIXELS, config.data, rng);
    labels[i] = images.labels[index] ?? 0;
  });
  return { originals, augmented, labels };
}
