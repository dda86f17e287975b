import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { LineChartView, type LineChartSpec } from './lineChartView.ts';

export interface LineChartViewRefs {
  /** For the `<canvas>` the view draws on. */
  readonly canvasRef: RefObject<HTMLCanvasElement | null>;
  /** For the cursor readout `<div>` beside it. */
  readonly readoutRef: RefObject<HTMLDivElement | null>;
  /** The mounted view (null before mount and after unmount), e.g. for an image export. */
  readonly viewRef: RefObject<LineChartView | null>;
}

/**
 * Mounts a {@link LineChartView} on a canvas once and feeds it each new spec. The spec should be
 * memoised: the view compares it field by field and redraws (in the next animation frame) only
 * when something it draws changed, so a re-render for anything else costs nothing.
 */
export function useLineChartView(spec: LineChartSpec): LineChartViewRefs {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const readoutRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<LineChartView | null>(null);
  const specRef = useRef(spec);

  useLayoutEffect(() => {
    specRef.current = spec;
    viewRef.current?.update(spec);
  }, [spec]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const readout = readoutRef.current;
    if (!canvas || !readout) return;
    const view = new LineChartView(canvas, readout, specRef.current);
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, []);

  return { canvasRef, readoutRef, viewRef };
}
