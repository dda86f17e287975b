import { memo, useEffect, useRef } from 'react';
import { DIVERGING_TABLE } from '../../charts/classColors.ts';
import { divergingEntry, maxAbs } from '../../core/neuronInspector.ts';

interface SaliencyOverlayProps {
  /** `[784]` gradient of the top logit per input byte, row-major 28×28. */
  readonly saliency: Float32Array;
  /** The digit the gradient is of (the top prediction). */
  readonly digit: number;
}

/** Opacity of a pixel at the largest |gradient|; weaker ones fade out so the input shows through. */
const MAX_ALPHA = 200;

/**
 * Paints `saliency` (`[784]`) into the top-left 28×28 pixels of `context`: the diverging colour of
 * each gradient on the scale of the largest magnitude, opacity growing with |gradient|.
 */
export function paintSaliency(context: CanvasRenderingContext2D, saliency: Float32Array): void {
  const scale = maxAbs(saliency);
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const value = saliency[i] ?? 0;
    const entry = divergingEntry(value, scale);
    image.data[4 * i] = DIVERGING_TABLE[3 * entry] ?? 0;
    image.data[4 * i + 1] = DIVERGING_TABLE[3 * entry + 1] ?? 0;
    image.data[4 * i + 2] = DIVERGING_TABLE[3 * entry + 2] ?? 0;
    image.data[4 * i + 3] = scale > 0 ? Math.round((MAX_ALPHA * Math.abs(value)) / scale) : 0;
  }
  context.putImageData(image, 0, 0);
}

/**
 * The saliency laid over the 28×28 model input: red where more ink would raise the top logit,
 * blue where it would lower it, transparent where it does not matter (scaled to the largest
 * magnitude). The `figcaption` beside it says the same in words.
 */
export const SaliencyOverlay = memo(function SaliencyOverlay({ saliency, digit }: SaliencyOverlayProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const scale = maxAbs(saliency);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (context) paintSaliency(context, saliency);
  }, [saliency]);
  const positive = saliency.reduce((n, g) => n + (g > 0.1 * scale ? 1 : 0), 0);
  const negative = saliency.reduce((n, g) => n + (g < -0.1 * scale ? 1 : 0), 0);
  // Σ|g| / max|g|: how spread out the saliency is; changes with the input (tests read it).
  const spread = scale > 0 ? saliency.reduce((sum, g) => sum + Math.abs(g), 0) / scale : 0;
  return (
    <canvas
      ref={ref}
      className="saliency-overlay"
      width={28}
      height={28}
      role="img"
      aria-label={`Saliency for ${digit}: ${positive} pixels where ink raises it (red), ${negative} where ink lowers it (blue)`}
      data-testid="saliency-overlay"
      data-positive={positive}
      data-negative={negative}
      data-spread={spread.toFixed(3)}
    />
  );
});
