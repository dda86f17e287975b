/**
 * The imperative half of the PCA scatter: owns one canvas, sizes it to the element and
 * devicePixelRatio, redraws in an animation frame only when something changed, and turns pointer
 * and keyboard input into an "active point" it reports to its owner (who draws the readout).
 */
import {
  drawScatter,
  nearestPoint,
  type ScatterData,
  type ScatterPlan,
  type ScatterTheme,
} from './scatterEngine.ts';

export interface ScatterSpec {
  readonly data: ScatterData;
  readonly highlight: number | null;
}

/** The point read out, with its position in CSS pixels within the canvas. */
export interface ActivePoint {
  readonly index: number;
  readonly x: number;
  readonly y: number;
  /** In the right half of the plot: put the readout on the point's left. */
  readonly flip: boolean;
}

const HOVER_TOLERANCE_PX = 10;

export class ScatterView {
  private spec: ScatterSpec;
  private width = 0;
  private height = 0;
  private active: number | null = null;
  private plan: ScatterPlan | null = null;
  private frame = 0;
  private readonly resizeObserver: ResizeObserver;
  private readonly controller = new AbortController();

  constructor(
    private readonly canvas: HTMLCanvasElement,
    spec: ScatterSpec,
    private readonly onActive: (point: ActivePoint | null) => void,
  ) {
    this.spec = spec;
    this.resizeObserver = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (!box || (box.width === this.width && box.height === this.height)) return;
      this.width = box.width;
      this.height = box.height;
      this.schedule();
    });
    this.resizeObserver.observe(canvas);
    const signal = this.controller.signal;
    canvas.addEventListener('pointermove', (e) => this.pointAt(e.offsetX, e.offsetY), { signal });
    canvas.addEventListener('pointerleave', () => this.setActive(null), { signal });
    canvas.addEventListener('blur', () => this.setActive(null), { signal });
    canvas.addEventListener('keydown', (e) => this.onKey(e), { signal });
  }

  update(spec: ScatterSpec): void {
    if (spec.data === this.spec.data && spec.highlight === this.spec.highlight) return;
    const pointsChanged = spec.data.xy.length !== this.spec.data.xy.length;
    this.spec = spec;
    if (pointsChanged) this.setActive(null);
    this.schedule();
  }

  destroy(): void {
    this.controller.abort();
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
  }

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const { canvas, width, height } = this;
    if (width <= 0 || height <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(width * dpr);
    const h = Math.round(height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const frame = { width, height, highlight: this.spec.highlight, active: this.active };
    this.plan = drawScatter(ctx, this.spec.data, frame, this.theme(), dpr);
    canvas.dataset.points = String(Math.floor(this.spec.data.xy.length / 2));
    this.report();
  }

  private theme(): ScatterTheme {
    const style = getComputedStyle(this.canvas);
    const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    // A white plot in both themes: the class colours are chosen for a light background.
    return {
      background: '#ffffff',
      axis: '#d0d7de',
      text: '#1b1f24',
      fontFamily: css('font-family', 'sans-serif'),
    };
  }

  private pointAt(x: number, y: number): void {
    if (!this.plan) return;
    const { data, highlight } = this.spec;
    this.setActive(nearestPoint(data, this.plan, x, y, HOVER_TOLERANCE_PX, highlight));
  }

  /** Arrows step through the points (of the highlighted class, if any); Home/End jump; Escape clears. */
  private onKey(e: KeyboardEvent): void {
    const { classes } = this.spec.data;
    const n = Math.floor(this.spec.data.xy.length / 2);
    if (n === 0) return;
    const { highlight } = this.spec;
    const eligible = (i: number) => highlight === null || classes[i] === highlight;
    const search = (from: number, step: 1 | -1): number | null => {
      for (let k = 0, i = from; k < n; k++, i = (i + step + n) % n) if (eligible(i)) return i;
      return null;
    };
    const at = this.active;
    let next: number | null;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = search(at === null ? 0 : (at + 1) % n, 1);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = search(at === null ? n - 1 : (at - 1 + n) % n, -1);
        break;
      case 'Home':
        next = search(0, 1);
        break;
      case 'End':
        next = search(n - 1, -1);
        break;
      case 'Escape':
        next = null;
        break;
      default:
        return;
    }
    e.preventDefault();
    this.setActive(next);
  }

  private setActive(index: number | null): void {
    if (index === this.active) return;
    this.active = index;
    this.schedule();
  }

  private report(): void {
    if (this.active === null || this.plan === null) {
      this.onActive(null);
      return;
    }
    const [x, y] = this.plan.map(this.active);
    this.onActive({ index: this.active, x, y, flip: x > this.width / 2 });
  }
}
