import { useCallback, useState, type RefObject } from 'react';
import { renderChartPng, slugify } from './chartExport.ts';
import { downloadBlob } from './downloadBlob.ts';
import type { LineSeries } from './lineChartPlan.ts';
import { readChartTheme, type LineChartView } from './lineChartView.ts';

/**
 * "Save PNG" for a mounted line chart: the plot redrawn at ≥ 2× with its title and legend on an
 * offscreen canvas, downloaded as `<title>.png`. Returns the action and the last failure in words.
 */
export function useSavePng(
  viewRef: RefObject<LineChartView | null>,
  canvasRef: RefObject<HTMLCanvasElement | null>,
  title: string,
  series: readonly LineSeries[],
): { readonly save: () => Promise<void>; readonly error: string | null } {
  const [error, setError] = useState<string | null>(null);
  const save = useCallback(async () => {
    const view = viewRef.current;
    const canvas = canvasRef.current;
    const scale = Math.max(2, window.devicePixelRatio || 1);
    const plot = view?.snapshot(scale);
    if (!view || !canvas || !plot) return;
    const entries = series.map((s) => ({ label: s.name, color: s.color, dashed: s.dashed, dots: s.dots }));
    const { width, height } = view.size;
    try {
      const blob = await renderChartPng(title, entries, plot, width, height, readChartTheme(canvas), scale);
      downloadBlob(blob, `${slugify(title)}.png`);
      setError(null);
    } catch (failure) {
      setError(`Could not save the image: ${(failure as Error).message}`);
    }
  }, [series, title, viewRef, canvasRef]);
  return { save, error };
}
