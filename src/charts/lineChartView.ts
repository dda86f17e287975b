/**
 * The imperative half of a live line chart: draws on one canvas (a CanvasSurface sizes it and
 * delivers its input) in an animation frame, only when something changed (new data, a resize,
 * the cursor, the theme). No React here; LineChartFigure mounts it (useLineChartView) and feeds it specs.
 */
import { moveByKey } from '../core/keyMoves.ts';
import { CanvasSurface, cssValue } from './canvasSurface.ts';
import { formatEpoch } from './chartTicks.ts';
import { drawLineChart, type ChartTheme } from './lineChartEngine.ts';
import {
  pointsAtCursor,
  type ChartFrame,
  type ChartPlan,
  type DomainBound,
  type LineBand,
  type LineSeries,
  type XAxis,
} from './lineChartPlan.ts';

export interface LineChartSpec {
  /** Already downsampled. */
  readonly series: readonly LineSeries[];
  /** Shaded bands under the series (see {@link LineBand}); keep each one's identity while unchanged. */
  readonly bands?: readonly LineBand[] | undefined;
  readonly xMax: number;
  /** Another x axis than epochs 0…xMax (see {@link XAxis}); keep its identity while unchanged. */
  readonly xAxis?: XAxis;
  readonly yDomain: readonly [DomainBound, DomainBound];
  /** A log y axis ticked on powers of ten (see `ChartFrame.yTicks`); 1-2-5 ticks when absent. */
  readonly yTicks?: 'nice' | 'decades' | undefined;
  readonly formatY: (value: number) => string;
  readonly formatTick: (value: number) => string;
}

function sameSpec(a: LineChartSpec, b: LineChartSpec): boolean {
  return (
    a.xMax === b.xMax &&
    sameAxis(a.xAxis, b.xAxis) &&
    a.yDomain[0] === b.yDomain[0] &&
    a.yDomain[1] === b.yDomain[1] &&
    a.yTicks === b.yTicks &&
    a.formatY === b.formatY &&
    a.formatTick === b.formatTick &&
    sameBands(a.bands, b.bands) &&
    a.series.length === b.series.length &&
    a.series.every((s, i) => {
      const t = b.series[i];
      return (
        t !== undefined &&
        s.points === t.points &&
        s.name === t.name &&
        s.color === t.color &&
        s.dots === t.dots &&
        s.dashed === t.dashed
      );
    })
  );
}

function sameBands(a: readonly LineBand[] = [], b: readonly LineBand[] = []): boolean {
  return (
    a.length === b.length &&
    a.every((band, i) => {
      const other = b[i];
      return other !== undefined && band.points === other.points && band.color === other.color;
    })
  );
}

function sameAxis(a: XAxis | undefined, b: XAxis | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (
    a.max === b.max &&
    a.min === b.min &&
    a.label === b.label &&
    a.ticks === b.ticks &&
    a.formatTick === b.formatTick &&
    a.formatValue === b.formatValue
  );
}

/** The chart's colours and font from the page's CSS variables, so it follows the theme. */
export function readChartTheme(element: Element): ChartTheme {
  const css = cssValue(element);
  return {
    grid: css('--grid', '#e3e6ea'),
    axis: css('--border', '#d0d7de'),
    text: css('--text', '#1b1f24'),
    muted: css('--muted', '#57606a'),
    background: css('--panel', '#ffffff'),
    fontFamily: css('font-family', 'sans-serif'),
  };
}

export class LineChartView {
  private spec: LineChartSpec;
  private cursorX: number | null = null;
  private plan: ChartPlan | null = null;
  private draws = 0;
  private readonly surface: CanvasSurface;
  private readonly colorScheme = matchMedia('(prefers-color-scheme: dark)');
  /** Fires when the page moves to a screen of another pixel ratio (or zooms): redraw sharp. */
  private resolution: MediaQueryList | null = null;
  private watchedDpr = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly readout: HTMLElement,
    spec: LineChartSpec,
  ) {
    this.spec = spec;
    this.surface = new CanvasSurface(canvas, () => this.draw(), {
      move: (x) => this.pointAt(x),
      leave: () => this.setCursor(null),
      key: (e) => this.onKey(e),
    });
    this.colorScheme.addEventListener('change', this.redraw, { signal: this.surface.signal });
  }

  update(spec: LineChartSpec): void {
    if (sameSpec(this.spec, spec)) return;
    this.spec = spec;
    this.redraw();
  }

  destroy(): void {
    this.surface.destroy();
  }

  /** Paints the chart; the surface calls it in an animation frame. */
  private draw(): void {
    const { canvas } = this;
    const dpr = window.devicePixelRatio || 1;
    const ctx = this.surface.context(dpr);
    if (!ctx) return;
    this.watchResolution(dpr);
    this.plan = drawLineChart(ctx, this.frame(this.cursorX), readChartTheme(canvas), dpr);
    this.draws += 1;
    canvas.dataset.points = String(this.spec.series[0]?.points.length ?? 0);
    canvas.dataset.draws = String(this.draws);
    this.renderReadout();
  }

  /**
   * The chart as it is now, without the cursor, on a new canvas of `scale` device pixels per CSS
   * pixel: what an image export draws (at 2× or more, sharp on any screen). Null before layout.
   */
  snapshot(scale: number): HTMLCanvasElement | null {
    const { width, height } = this.size;
    if (width <= 0 || height <= 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    drawLineChart(ctx, this.frame(null), readChartTheme(this.canvas), scale);
    return canvas;
  }

  /** CSS pixels of the chart's box, as last laid out. */
  get size(): { readonly width: number; readonly height: number } {
    return this.surface.size;
  }

  private frame(cursorX: number | null): ChartFrame {
    const { series, bands, xMax, xAxis, yDomain, yTicks, formatTick } = this.spec;
    return { ...this.size, series, bands, xMax, xAxis, yDomain, yTicks, formatTick, cursorX };
  }

  private watchResolution(dpr: number): void {
    if (this.watchedDpr === dpr) return;
    this.watchedDpr = dpr;
    this.resolution?.removeEventListener('change', this.redraw);
    this.resolution = matchMedia(`(resolution: ${dpr}dppx)`);
    this.resolution.addEventListener('change', this.redraw, { signal: this.surface.signal });
  }

  private readonly redraw = () => this.surface.requestDraw();

  /** The right end of the x axis (epochs: at least 1; 'nice': as last drawn): the cursor stays inside. */
  private get xMax(): number {
    const { xAxis, xMax } = this.spec;
    if (xAxis?.ticks !== 'epoch' && xAxis !== undefined && this.plan) return this.plan.xTicks.domain[1];
    return Math.max(xAxis?.max ?? xMax, 1);
  }

  /** The left end of the x axis: 0, or where a log ('decades') axis starts as last drawn. */
  private get xMin(): number {
    return this.spec.xAxis?.ticks === 'decades' && this.plan ? this.plan.xTicks.domain[0] : 0;
  }

  private pointAt(offsetX: number): void {
    if (!this.plan) return;
    this.setCursor(Math.min(this.xMax, Math.max(this.xMin, this.plan.x.invert(offsetX))));
  }

  /** Arrows step 1/50 of the axis (Shift: 1/10); Home and End jump to the start and the latest point. */
  private onKey(e: KeyboardEvent): void {
    const { xMin } = this;
    const step = ((this.xMax - xMin) / 50) * (e.shiftKey ? 5 : 1);
    const latest = Math.max(xMin, ...this.spec.series.map((s) => s.points[s.points.length - 1]?.x ?? xMin));
    const at = this.cursorX;
    const next = moveByKey(e.key, {
      next: () => (at === null ? xMin : at + step),
      previous: () => (at === null ? latest : at - step),
      first: () => xMin,
      last: () => latest,
      clear: () => null,
    });
    if (next === undefined) return;
    e.preventDefault();
    this.setCursor(next === null ? null : Math.min(this.xMax, Math.max(xMin, next)));
  }

  private setCursor(x: number | null): void {
    if (x === this.cursorX) return;
    this.cursorX = x;
    this.redraw();
  }

  /** The readout beside the cursor: the x (epoch), then each series with a point near it. */
  private renderReadout(): void {
    const { readout, plan, cursorX } = this;
    if (cursorX === null || plan === null) {
      readout.hidden = true;
      return;
    }
    const rows = pointsAtCursor(this.spec.series, cursorX, plan.x).map(({ series, point }) => {
      const row = document.createElement('div');
      const swatch = document.createElement('span');
      swatch.className = 'chart-readout-swatch';
      swatch.style.background = series.color;
      row.append(swatch, `${series.name} ${this.spec.formatY(point.y)}`);
      return row;
    });
    const head = document.createElement('div');
    head.className = 'chart-readout-epoch';
    const { xAxis } = this.spec;
    head.textContent = xAxis
      ? xAxis.formatValue(cursorX)
      : `epoch ${formatEpoch(Number(cursorX.toFixed(2)))}`;
    readout.replaceChildren(head, ...rows);
    const px = plan.x.map(cursorX);
    const flip = px > (plan.plot.left + plan.plot.right) / 2;
    readout.hidden = false;
    readout.style.left = '0px'; // measured at full room, not squeezed at its last place
    // Beside the cursor, on the roomier side; shifted back inside the chart when too wide for it
    // (long run labels in a comparison), rather than running off the page.
    const width = readout.offsetWidth;
    const left = flip ? px - 10 - width : px + 10;
    readout.style.left = `${Math.max(0, Math.min(left, this.size.width - width))}px`;
    readout.style.top = `${plan.plot.top}px`;
    readout.style.transform = '';
  }
}
