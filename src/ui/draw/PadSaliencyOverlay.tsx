import { memo, useEffect, useRef } from 'react';
import { fieldToPad, MNIST_SIDE, type Placement } from '../../core/digitPreprocess.ts';
import { paintSaliency } from './SaliencyOverlay.tsx';
import { PAD_SIDE } from './strokes.ts';
import './padSaliency.css';

interface PadSaliencyOverlayProps {
  /** `[784]` gradient of the top logit per input byte, row-major 28×28. */
  readonly saliency: Float32Array;
  /** How the pad's ink was placed in the 28×28 input; the overlay maps the field back with it. */
  readonly placement: Placement;
}

/**
 * The saliency of the 28×28 input drawn back onto the pad, where the ink it came from is: each
 * input pixel becomes the pad rectangle the preprocessing squeezed into it (the exact inverse of
 * its crop, scale and centre-of-mass shift), red where more ink raises the top prediction, blue
 * where it lowers it. Decorative (the preview beside the pad carries the description) and
 * transparent to the pointer, so drawing goes on through it.
 */
export const PadSaliencyOverlay = memo(function PadSaliencyOverlay({
  saliency,
  placement,
}: PadSaliencyOverlayProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const topLeft = fieldToPad(placement, 0, 0);
  const bottomRight = fieldToPad(placement, MNIST_SIDE, MNIST_SIDE);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    const field = document.createElement('canvas');
    field.width = MNIST_SIDE;
    field.height = MNIST_SIDE;
    const fieldContext = field.getContext('2d');
    if (!context || !fieldContext) return;
    paintSaliency(fieldContext, saliency);
    context.clearRect(0, 0, PAD_SIDE, PAD_SIDE);
    context.imageSmoothingEnabled = false;
    context.drawImage(field, topLeft.x, topLeft.y, bottomRight.x - topLeft.x, bottomRight.y - topLeft.y);
  }, [saliency, topLeft.x, topLeft.y, bottomRight.x, bottomRight.y]);
  return (
    <canvas
      ref={ref}
      className="pad-saliency-overlay"
      width={PAD_SIDE}
      height={PAD_SIDE}
      aria-hidden="true"
      data-testid="pad-saliency-overlay"
      data-field-box={[topLeft.x, topLeft.y, bottomRight.x, bottomRight.y].map((v) => v.toFixed(1)).join()}
    />
  );
});
