/**
 * What every canvas chart view needs from its canvas, written once: the CSS box it is laid out
 * in (a ResizeObserver), a backing store sized to that box at the device pixel ratio, the pointer
 * and keyboard input a reader explores the chart with, and when to draw (in the next animation
 * frame, only after a change). The views (LineChartView, ScatterView) decide what to draw.
 */

/**
 * One animation frame paints every surface that asked: charts updated from the same state (the
 * Loss and Accuracy charts) repaint in the same task, and a page observer sees one redraw, not two.
 */
const pending = new Set<() => void>();
let frameId = 0;

function flush(): void {
  frameId = 0;
  const paints = [...pending];
  pending.clear();
  for (const paint of paints) paint();
}

/** The chart's answers to input on its canvas; positions are CSS px within the canvas. */
export interface SurfaceInput {
  readonly move: (x: number, y: number) => void;
  /** The pointer left or the canvas lost focus: forget what was pointed at. */
  readonly leave: () => void;
  readonly key: (event: KeyboardEvent) => void;
}

export class CanvasSurface {
  private width = 0;
  private height = 0;
  private readonly resizeObserver: ResizeObserver;
  private readonly controller = new AbortController();

  /**
   * Starts observing `canvas` until {@link destroy}: `paint` draws it in an animation frame after
   * {@link requestDraw} or a change of its box; `input` answers pointer and key events.
   */
  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly paint: () => void,
    input: SurfaceInput,
  ) {
    this.resizeObserver = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (!box || (box.width === this.width && box.height === this.height)) return;
      this.width = box.width;
      this.height = box.height;
      this.requestDraw();
    });
    this.resizeObserver.observe(canvas);
    const { signal } = this;
    canvas.addEventListener('pointermove', (e) => input.move(e.offsetX, e.offsetY), { signal });
    canvas.addEventListener('pointerleave', input.leave, { signal });
    canvas.addEventListener('blur', input.leave, { signal });
    canvas.addEventListener('keydown', input.key, { signal });
  }

  /** Paints in the next animation frame (once, however often asked before it). */
  requestDraw(): void {
    pending.add(this.paint);
    if (frameId === 0) frameId = requestAnimationFrame(flush);
  }

  /** Aborts when the surface is destroyed: for the view's own listeners (theme, resolution). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** CSS pixels of the canvas's box, as last laid out (0 × 0 before layout). */
  get size(): { readonly width: number; readonly height: number } {
    return { width: this.width, height: this.height };
  }

  /**
   * The 2-D context, with the backing store resized (only when it changed: resizing clears it) to
   * `dpr` device pixels per CSS pixel; null before layout, when there is nothing to draw on.
   */
  context(dpr: number): CanvasRenderingContext2D | null {
    const { canvas, width, height } = this;
    if (width <= 0 || height <= 0) return null;
    const w = Math.round(width * dpr);
    const h = Math.round(height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    return canvas.getContext('2d');
  }

  destroy(): void {
    this.controller.abort();
    this.resizeObserver.disconnect();
    pending.delete(this.paint);
  }
}

/** A CSS custom property or property of `element`, or `fallback` where it is unset. */
export function cssValue(element: Element): (name: string, fallback: string) => string {
  const style = getComputedStyle(element);
  return (name, fallback) => style.getPropertyValue(name).trim() || fallback;
}
