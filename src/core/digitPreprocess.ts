/**
 * Turns a hand-drawn digit into the 28×28 input an MNIST model expects, the way MNIST itself was
 * made: the ink's bounding box is fitted into a 20×20 box (aspect ratio kept, grey levels from
 * area averaging), then the image is shifted so its centre of mass sits at the centre of the
 * 28×28 field. Without this, a digit drawn small in a corner looks nothing like the training data.
 *
 * Conventions: rasters are row-major, ink high, on a 0–255 scale (bytes or floats). Pixel `i`
 * covers the interval [i, i + 1), so its centre is at i + 0.5 and the centre of the 28×28 field
 * is (14, 14). The model-side normalisation (mean/std of the training pixels) is not done here:
 * the worker applies it to the bytes, exactly as for the training images.
 */

/** Side of the MNIST field, in pixels. */
export const MNIST_SIDE = 28;
/** Side of the box the digit's longer side is fitted to. */
export const MNIST_BOX = 20;

/** A grey ink raster, `width × height`, row-major, ink high (0 = background, 255 = full ink). */
export interface InkRaster {
  readonly width: number;
  readonly height: number;
  readonly data: ArrayLike<number>;
}

/** Half-open pixel rectangle [x0, x1) × [y0, y1). */
export interface PixelBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** The smallest box holding every pixel with ink (> 0), over all strokes; null when empty. */
export function inkBounds(raster: InkRaster): PixelBox | null {
  const { width, height, data } = raster;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if ((data[row + x] ?? 0) > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Centre of mass of a `width × height` grey image, pixel centres at i + 0.5; null when the image
 * has no mass.
 */
export function centreOfMass(
  values: ArrayLike<number>,
  width: number,
  height: number,
): { x: number; y: number } | null {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x] ?? 0;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return mass > 0 ? { x: mx / mass, y: my / mass } : null;
}

/**
 * Box-filter taps along one axis: destination pixel j covers the source interval
 * [origin + (j − offset) / scale, origin + (j + 1 − offset) / scale), clipped to [lo, hi); each
 * source pixel's weight is its overlap with that interval times `scale`, so a destination pixel
 * fully covered by ink of value v gets v (grey levels kept; partial coverage gives grey).
 */
interface Taps {
  readonly start: Int32Array;
  readonly weights: Float32Array[];
}

function boxTaps(dstN: number, origin: number, scale: number, offset: number, lo: number, hi: number): Taps {
  const start = new Int32Array(dstN);
  const weights: Float32Array[] = [];
  for (let j = 0; j < dstN; j++) {
    const a = origin + (j - offset) / scale;
    const b = origin + (j + 1 - offset) / scale;
    const k0 = Math.max(lo, Math.floor(a));
    const k1 = Math.min(hi, Math.ceil(b));
    start[j] = k0;
    const w = new Float32Array(Math.max(0, k1 - k0));
    for (let k = k0; k < k1; k++) {
      w[k - k0] = Math.max(0, Math.min(b, k + 1) - Math.max(a, k)) * scale;
    }
    weights.push(w);
  }
  return { start, weights };
}

/**
 * Where a pad raster's ink lands in the 28×28 field: per axis the affine map
 * `field = (pad − box.x0) · scaleX + offsetX` (and likewise in y), in pixel-edge coordinates (pixel
 * i spans [i, i + 1)); ink outside `box` is not used. {@link fieldToPad} inverts it, which is how the
 * pad shows the saliency of the 28×28 input.
 */
export interface Placement {
  readonly box: PixelBox;
  readonly scaleX: number;
  readonly scaleY: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

/** Area-averages the source region into a `side × side` float image (separable box filter). */
function areaResample(raster: InkRaster, p: Placement, side = MNIST_SIDE): Float32Array {
  const { width, data } = raster;
  const { box } = p;
  const tx = boxTaps(side, box.x0, p.scaleX, p.offsetX, box.x0, box.x1);
  const ty = boxTaps(side, box.y0, p.scaleY, p.offsetY, box.y0, box.y1);
  // Horizontal pass over the rows in the box: rows[y - y0][j].
  const rows = new Float32Array((box.y1 - box.y0) * side);
  for (let y = box.y0; y < box.y1; y++) {
    const src = y * width;
    const dst = (y - box.y0) * side;
    for (let j = 0; j < side; j++) {
      const w = tx.weights[j] as Float32Array;
      const k0 = tx.start[j] as number;
      let sum = 0;
      for (let t = 0; t < w.length; t++) sum += (w[t] as number) * (data[src + k0 + t] ?? 0);
      rows[dst + j] = sum;
    }
  }
  const out = new Float32Array(side * side);
  for (let i = 0; i < side; i++) {
    const w = ty.weights[i] as Float32Array;
    const l0 = (ty.start[i] as number) - box.y0;
    for (let j = 0; j < side; j++) {
      let sum = 0;
      for (let t = 0; t < w.length; t++) sum += (w[t] as number) * (rows[(l0 + t) * side + j] as number);
      out[i * side + j] = sum;
    }
  }
  return out;
}

function toBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = Math.min(255, Math.max(0, Math.round(values[i] as number)));
  return out;
}

/**
 * MNIST-style preprocessing: `[784]` bytes, ink high, or null when the raster has no ink.
 *
 * The longer side of the ink's bounding box becomes 20 px; the image is then placed so its centre
 * of mass is at (14, 14). The shift is sub-pixel and exact: instead of resampling the 28×28 image
 * again (which would blur it), the source is area-averaged once more with the shifted placement,
 * twice, so the centre of mass lands within a few hundredths of a pixel of the centre. Ink shifted
 * past the border is cut off, as in MNIST.
 */
export function preprocessMnist(raster: InkRaster): Uint8Array | null {
  return placeDigit(raster, 'mnist')?.pixels ?? null;
}

/** The MNIST placement of `raster` (see {@link preprocessMnist}) and the float image it gives. */
function mnistPlacement(raster: InkRaster): { placement: Placement; image: Float32Array } | null {
  const box = inkBounds(raster);
  if (box === null) return null;
  const scale = MNIST_BOX / Math.max(box.x1 - box.x0, box.y1 - box.y0);
  const centre = MNIST_SIDE / 2;
  let placement: Placement = {
    box,
    scaleX: scale,
    scaleY: scale,
    offsetX: centre - ((box.x1 - box.x0) * scale) / 2,
    offsetY: centre - ((box.y1 - box.y0) * scale) / 2,
  };
  let image = areaResample(raster, placement);
  for (let pass = 0; pass < 2; pass++) {
    const mass = centreOfMass(image, MNIST_SIDE, MNIST_SIDE);
    if (mass === null) return null;
    placement = {
      ...placement,
      offsetX: placement.offsetX + (centre - mass.x),
      offsetY: placement.offsetY + (centre - mass.y),
    };
    image = areaResample(raster, placement);
  }
  return { placement, image };
}

/**
 * The naive alternative, for teaching: the whole raster squeezed to 28×28 by area averaging, no
 * cropping, fitting or centring. `[784]` bytes, or null when the raster has no ink.
 */
export function naiveResize(raster: InkRaster): Uint8Array | null {
  return placeDigit(raster, 'naive')?.pixels ?? null;
}

/** How the pad becomes the model's input. */
export type PreprocessMode = 'mnist' | 'naive';

/** The model input for a pad raster under `mode`; null when nothing is drawn. */
export function digitInput(raster: InkRaster, mode: PreprocessMode): Uint8Array | null {
  return placeDigit(raster, mode)?.pixels ?? null;
}

/**
 * The model input for a pad raster under `mode` (`[784]` bytes) and the placement that made it,
 * so the pad can map the 28×28 field back onto itself; null when nothing is drawn.
 */
export function placeDigit(
  raster: InkRaster,
  mode: PreprocessMode,
): { pixels: Uint8Array; placement: Placement } | null {
  if (mode === 'mnist') {
    const placed = mnistPlacement(raster);
    return placed && { pixels: toBytes(placed.image), placement: placed.placement };
  }
  if (inkBounds(raster) === null) return null;
  const placement: Placement = {
    box: { x0: 0, y0: 0, x1: raster.width, y1: raster.height },
    scaleX: MNIST_SIDE / raster.width,
    scaleY: MNIST_SIDE / raster.height,
    offsetX: 0,
    offsetY: 0,
  };
  return { pixels: toBytes(areaResample(raster, placement)), placement };
}

/** A point of the 28×28 field (pixel-edge coordinates) mapped to the pad: the placement's inverse. */
export function fieldToPad(placement: Placement, x: number, y: number): { x: number; y: number } {
  const { box, scaleX, scaleY, offsetX, offsetY } = placement;
  return { x: box.x0 + (x - offsetX) / scaleX, y: box.y0 + (y - offsetY) / scaleY };
}

/** A pad point mapped into the 28×28 field, as the preprocessing places the ink. */
export function padToField(placement: Placement, x: number, y: number): { x: number; y: number } {
  const { box, scaleX, scaleY, offsetX, offsetY } = placement;
  return { x: (x - box.x0) * scaleX + offsetX, y: (y - box.y0) * scaleY + offsetY };
}
