import { memo, useEffect, useRef } from 'react';
import './digitCanvas.css';

const SIDE = 28;

interface DigitCanvasProps {
  /** One image, 784 grey bytes (0 = black background, 255 = white ink), row-major. */
  readonly pixels: Uint8Array;
  readonly label: string;
  readonly scale?: number;
}

/** A 28×28 digit drawn from bytes into ImageData, scaled up by CSS without smoothing. */
export const DigitCanvas = memo(function DigitCanvas({ pixels, label, scale = 2 }: DigitCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(SIDE, SIDE);
    for (let i = 0; i < SIDE * SIDE; i++) {
      const v = pixels[i] ?? 0;
      image.data[4 * i] = v;
      image.data[4 * i + 1] = v;
      image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [pixels]);
  return (
    <canvas
      ref={ref}
      className="digit"
      width={SIDE}
      height={SIDE}
      role="img"
      aria-label={label}
      style={{ width: SIDE * scale, height: SIDE * scale }}
    />
  );
});
