import { memo, useEffect, useMemo, useRef } from 'react';
import { gridSize, paintDigits, paintWeights, SIDE, type GridLayout } from '../../charts/digitPixels.ts';
import { DigitCanvas } from '../DigitCanvas.tsx';
import './digitGrid.css';

type GridSource =
  /** Tile t shows `images[indices[t]]`, `images` being `[n, 784]` grey bytes. */
  | { readonly kind: 'digits'; readonly images: Uint8Array; readonly indices: ArrayLike<number> }
  /** Tile t shows unit t's `[784]` weights on the diverging scale. */
  | { readonly kind: 'weights'; readonly values: Float32Array; readonly units: number };

interface DigitGridProps {
  readonly source: GridSource;
  readonly columns: number;
  /** CSS pixels per image pixel. */
  readonly scale?: number;
  readonly gap?: number;
  /** The accessible name: what the images are. */
  readonly label: string;
  readonly className?: string;
}

function tilesOf(source: GridSource): number {
  return source.kind === 'digits' ? source.indices.length : source.units;
}

/**
 * Many 28×28 tiles on one canvas, painted with one putImageData when the source changes (the
 * caller keeps `source` stable between renders), scaled up by CSS without smoothing.
 */
export const DigitGrid = memo(function DigitGrid({
  source,
  columns,
  scale = 2,
  gap = 2,
  label,
  className,
}: DigitGridProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const layout: GridLayout = { tiles: tilesOf(source), columns, gap };
  const { width, height } = gridSize(layout);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const grid: GridLayout = { tiles: tilesOf(source), columns, gap };
    const size = gridSize(grid);
    const image = context.createImageData(size.width, size.height);
    if (source.kind === 'digits') paintDigits(image.data, grid, source.images, source.indices);
    else paintWeights(image.data, grid, source.values);
    context.putImageData(image, 0, 0);
  }, [source, columns, gap]);
  return (
    <canvas
      ref={ref}
      className={`digit-grid-canvas ${className ?? ''}`}
      width={width}
      height={height}
      role="img"
      aria-label={label}
      data-tiles={layout.tiles}
      style={{ width: width * scale, height: height * scale }}
    />
  );
});

interface DigitTileProps {
  readonly images: Uint8Array;
  /** Which image of `images` (`[n, 784]` bytes). */
  readonly index: number;
  readonly label: string;
  readonly scale?: number;
}

/** One digit on its own small canvas; redrawn only when the image buffer or the index changes. */
export const DigitTile = memo(function DigitTile({ images, index, label, scale = 2 }: DigitTileProps) {
  const pixels = useMemo(
    () => images.subarray(index * SIDE * SIDE, (index + 1) * SIDE * SIDE),
    [images, index],
  );
  return <DigitCanvas pixels={pixels} label={label} scale={scale} />;
});
