import { memo, useEffect, useRef } from 'react';
import { divergingColour, maxAbs } from '../../core/neuronInspector.ts';

interface WeightImageProps {
  /** The values, row-major: `[width·height]`. */
  readonly values: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly label: string;
  /** CSS pixels per value. */
  readonly scale: number;
}

/**
 * Values drawn as a red (positive) / blue (negative) image, scaled to their largest magnitude:
 * a first-layer unit's 784 incoming weights as the 28×28 pattern it looks for.
 */
export const WeightImage = memo(function WeightImage({
  values,
  width,
  height,
  label,
  scale,
}: WeightImageProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    const range = maxAbs(values);
    for (let i = 0; i < width * height; i++) {
      const [r, g, b] = divergingColour(values[i] ?? 0, range);
      image.data.set([r, g, b, 255], 4 * i);
    }
    context.putImageData(image, 0, 0);
  }, [values, width, height]);
  return (
    <canvas
      ref={ref}
      className="weight-image"
      width={width}
      height={height}
      role="img"
      aria-label={label}
      style={{ width: width * scale, height: height * scale }}
    />
  );
});
