import { useEffect, useRef, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import type { InkRaster } from '../../core/digitPreprocess.ts';
import { PAD_SIDE, drawStrokes, readInk, type PadPoint, type Stroke } from './strokes.ts';
import './draw.css';
import './padSaliency.css';

/** The pad's 2D context (the same one on every call: the options must match). */
function padContext(canvas: HTMLCanvasElement | null): CanvasRenderingContext2D | null {
  return canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
}

function paint(canvas: HTMLCanvasElement | null, strokes: readonly Stroke[]): void {
  const context = padContext(canvas);
  if (context) drawStrokes(context, strokes);
}

function readPad(canvas: HTMLCanvasElement | null): InkRaster {
  const context = padContext(canvas);
  return context ? readInk(context) : { width: PAD_SIDE, height: PAD_SIDE, data: new Uint8Array(0) };
}

interface DrawPadProps {
  readonly strokes: readonly Stroke[];
  readonly brush: number;
  /** A stroke began (the pad now shows a drawing, not a picked test image). */
  readonly onStrokeStart: () => void;
  /** The stroke in progress moved; `read` rasterises the pad as it is now. */
  readonly onDrawing: (read: () => InkRaster) => void;
  /** A stroke ended (pointer up) at `at` (performance.now()). */
  readonly onStrokeEnd: (stroke: Stroke, at: number) => void;
  /** The committed strokes were drawn (after a stroke end, Undo or Clear). */
  readonly onRedrawn: (read: () => InkRaster) => void;
  readonly describedBy: string;
  /** Drawn over the pad (the saliency); it must let the pointer through (`pointer-events: none`). */
  readonly overlay?: ReactNode;
}

/**
 * The drawing pad: pointer events (mouse, touch, pen) with pointer capture, so a stroke that
 * leaves the pad keeps drawing. The stroke in progress lives in a ref and is drawn straight onto
 * the canvas; React only hears of finished strokes.
 */
export function DrawPad({
  strokes,
  brush,
  onStrokeStart,
  onDrawing,
  onStrokeEnd,
  onRedrawn,
  describedBy,
  overlay,
}: DrawPadProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const liveRef = useRef<{ pointerId: number; stroke: { size: number; points: PadPoint[] } } | null>(null);
  const onRedrawnRef = useRef(onRedrawn);
  useEffect(() => {
    onRedrawnRef.current = onRedrawn;
  }, [onRedrawn]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const live = liveRef.current;
    paint(canvas, live ? [...strokes, live.stroke] : strokes);
    onRedrawnRef.current(() => readPad(canvas));
  }, [strokes]);

  const position = (event: ReactPointerEvent<HTMLCanvasElement> | PointerEvent): PadPoint => {
    const rect = (canvasRef.current as HTMLCanvasElement).getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * PAD_SIDE) / rect.width,
      y: ((event.clientY - rect.top) * PAD_SIDE) / rect.height,
    };
  };

  const down = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    liveRef.current = { pointerId: event.pointerId, stroke: { size: brush, points: [position(event)] } };
    onStrokeStart();
    paint(canvasRef.current, [...strokes, liveRef.current.stroke]);
  };

  const move = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const live = liveRef.current;
    if (!live || live.pointerId !== event.pointerId) return;
    const samples = event.nativeEvent.getCoalescedEvents?.() ?? [];
    for (const sample of samples.length > 0 ? samples : [event.nativeEvent]) {
      live.stroke.points.push(position(sample));
    }
    paint(canvasRef.current, [...strokes, live.stroke]);
    const canvas = canvasRef.current;
    onDrawing(() => readPad(canvas));
  };

  const up = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const live = liveRef.current;
    if (!live || live.pointerId !== event.pointerId) return;
    liveRef.current = null;
    onStrokeEnd(live.stroke, performance.now());
  };

  return (
    <div className="draw-pad-frame">
      <canvas
        ref={canvasRef}
        className="draw-pad"
        width={PAD_SIDE}
        height={PAD_SIDE}
        role="img"
        aria-label="Drawing pad"
        aria-describedby={describedBy}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      {overlay}
    </div>
  );
}
