import { memo, useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import type { ScatterData } from './scatterEngine.ts';
import { ScatterView, type ActivePoint, type ScatterSpec } from './scatterView.ts';
import './readout.css';
import './scatterChart.css';

interface ScatterChartProps {
  readonly data: ScatterData;
  readonly highlight: number | null;
  /** The canvas's accessible name (what it shows and how to read it). */
  readonly label: string;
  /** Called with the hovered or keyboard-selected point, null when none. */
  readonly onActive: (point: ActivePoint | null) => void;
  /** The readout for the active point, placed beside it by the caller's CSS. */
  readonly children?: ReactNode;
}

/**
 * A class-coloured scatter drawn on a canvas by ScatterView; React only passes new data (a few
 * times a run) and hosts the readout. Focus the canvas and use the arrow keys to step through
 * the points.
 */
export const ScatterChart = memo(function ScatterChart({
  data,
  highlight,
  label,
  onActive,
  children,
}: ScatterChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<ScatterView | null>(null);
  const specRef = useRef<ScatterSpec>({ data, highlight });
  const onActiveRef = useRef(onActive);

  useLayoutEffect(() => {
    onActiveRef.current = onActive;
    specRef.current = { data, highlight };
    viewRef.current?.update(specRef.current);
  }, [data, highlight, onActive]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const view = new ScatterView(canvas, specRef.current, (point) => onActiveRef.current(point));
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, []);

  const classes = new Set(data.classes).size;
  return (
    <div className="scatter-plot">
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={label}
        aria-keyshortcuts="ArrowLeft ArrowRight Home End Escape"
        tabIndex={0}
        data-classes={classes}
      />
      {children}
    </div>
  );
});
