import type { InkRaster } from '../../core/digitPreprocess.ts';

/** Side of the drawing pad's bitmap, in pad pixels (ten per MNIST pixel at full size). */
export const PAD_SIDE = 280;

export interface PadPoint {
  readonly x: number;
  readonly y: number;
}

/** One pointer-down-to-up stroke, in pad pixels, with the brush diameter it was drawn with. */
export interface Stroke {
  readonly size: number;
  readonly points: readonly PadPoint[];
}

const INK = '#111418';

/**
 * Draws strokes with round caps and joins, smoothed by quadratic curves through the midpoints of
 * successive points (the sampled points are the control points), so fast strokes are not polygons.
 */
export function drawStrokes(context: CanvasRenderingContext2D, strokes: readonly Stroke[]): void {
  context.clearRect(0, 0, PAD_SIDE, PAD_SIDE);
  context.lineCap = 'round';
  context.lineJoin = 'round';
  context.strokeStyle = INK;
  context.fillStyle = INK;
  for (const stroke of strokes) {
    const [first, ...rest] = stroke.points;
    if (!first) continue;
    if (rest.length === 0) {
      context.beginPath();
      context.arc(first.x, first.y, stroke.size / 2, 0, 2 * Math.PI);
      context.fill();
      continue;
    }
    context.lineWidth = stroke.size;
    context.beginPath();
    context.moveTo(first.x, first.y);
    for (let i = 0; i < rest.length - 1; i++) {
      const p = rest[i] as PadPoint;
      const q = rest[i + 1] as PadPoint;
      context.quadraticCurveTo(p.x, p.y, (p.x + q.x) / 2, (p.y + q.y) / 2);
    }
    const last = rest[rest.length - 1] as PadPoint;
    context.lineTo(last.x, last.y);
    context.stroke();
  }
}

/** The pad's ink as a grey raster: the alpha channel (the pad is transparent where undrawn). */
export function readInk(context: CanvasRenderingContext2D): InkRaster {
  const rgba = context.getImageData(0, 0, PAD_SIDE, PAD_SIDE).data;
  const data = new Uint8Array(PAD_SIDE * PAD_SIDE);
  for (let i = 0; i < data.length; i++) data[i] = rgba[4 * i + 3] as number;
  return { width: PAD_SIDE, height: PAD_SIDE, data };
}
