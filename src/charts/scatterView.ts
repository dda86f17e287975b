/**
 * The imperative half of the PCA scatter: draws on one canvas (a CanvasSurface sizes it and
 * delivers its input) in an animation frame, only when something changed, and turns pointer and
 * keyboard input into an "active point" it reports to its owner (who draws the readout).
 */
import { moveByKey } from '../core/keyMoves.ts';
import { CanvasSurface, cssValue } from './canvasSurface.ts';
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
  private active: number | null = null;
  private plan: ScatterPlan | null = null;
  private readonly surface: CanvasSurface;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    spec: ScatterSpec,
    private readonly onActive: (point: ActivePoint | null) => void,
  ) {
    this.spec = spec;
    this.surface = new CanvasSurface(canvas, () => this.draw(), {
      move: (x, y) => this.pointAt(x, y),
      leave: () => this.setActive(null),
      key: (e) => this.onKey(e),
    });
  }

  update(spec: ScatterSpec): void {
    if (spec.data === this.spec.data && spec.highlight === this.spec.highlight) return;
    const pointsChanged = spec.data.xy.length !== this.spec.data.xy.length;
    this.spec = spec;
    if (pointsChanged) this.setActive(null);
    this.surface.requestDraw();
  }

  destroy(): void {
    this.surface.destroy();
  }

  private draw(): void {
    const dpr = window.devicePixelRatio || 1;
    const ctx = this.surface.context(dpr);
    if (!ctx) return;
    const frame = { ...this.surface.size, highlight: this.spec.highlight, active: this.active };
    this.plan = drawScatter(ctx, this.spec.data, frame, this.theme(), dpr);
    this.canvas.dataset.points = String(Math.floor(this.spec.data.xy.length / 2));
    this.report();
  }

  private theme(): ScatterTheme {
    const css = cssValue(this.canvas);
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
    const moves = {
      next: () => search(at === null ? 0 : (at + 1) % n, 1),
      previous: () => search(at === null ? n - 1 : (at - 1 + n) % n, -1),
      first: () => search(0, 1),
      last: () => search(n - 1, -1),
      clear: () => null,
    };
    const next = moveByKey(e.key, moves, { upDown: true });
    if (next === undefined) return;
    e.preventDefault();
    this.setActive(next);
  }

  private setActive(index: number | null): void {
    if (index === this.active) return;
    this.active = index;
    this.surface.requestDraw();
  }

  private report(): void {
    if (this.active === null || this.plan === null) {
      this.onActive(null);
      return;
    }
    const [x, y] = this.plan.map(this.active);
    this.onActive({ index: this.active, x, y, flip: x > this.surface.size.width / 2 });
  }
}
