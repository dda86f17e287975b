/**
 * A small line-chart engine for live training metrics: one draw call on a
 * CanvasRenderingContext2D, from the plan of lineChartPlan.ts (ticks and scales from
 * chartTicks.ts). It never queries the DOM: the view (lineChartView.ts) owns the canvas, sizes it,
 * reads the theme and decides when to draw. A draw of two 400-point series is a fraction of a
 * millisecond, so it can run on every update without the main-thread cost of an SVG chart
 * library (which took 40–140 ms per update here while the training worker held the other core).
 */
import { formatEpoch, type Scale } from './chartTicks.ts';
import {
  MARGIN,
  planChart,
  pointsAtCursor,
  type ChartFrame,
  type ChartPlan,
  type LineBand,
  type LineSeries,
} from './lineChartPlan.ts';

/** Tick labels and the axis title, CSS px; the plan measures labels in the same font. */
export const FONT_SIZE = 12;

/** Colours and font, read from CSS by the view so the chart follows the page theme. */
export interface ChartTheme {
  readonly grid: string;
  readonly axis: string;
  readonly text: string;
  readonly muted: string;
  readonly background: string;
  readonly fontFamily: string;
}

/**
 * Paints a frame: grid, axes and labels, then each series (a polyline; per-epoch series dashed
 * with dots), then the cursor line and markers. The context's backing store is `dpr` device
 * pixels per CSS pixel; everything here is in CSS pixels, with 1-px lines aligned to device pixels.
 */
export function drawLineChart(
  ctx: CanvasRenderingContext2D,
  frame: ChartFrame,
  theme: ChartTheme,
  dpr: number,
): ChartPlan {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, frame.width, frame.height);
  ctx.font = `${FONT_SIZE}px ${theme.fontFamily}`;
  const plan = planChart(frame, (text) => ctx.measureText(text).width);
  const { plot, x, y, xTicks, yTicks, yLabels } = plan;
  // A hairline of whole device pixels sits on a pixel centre: crisp at any devicePixelRatio.
  const hairline = Math.max(1, Math.round(dpr));
  const crisp = (v: number) => (Math.round(v * dpr - (hairline % 2) / 2) + (hairline % 2) / 2) / dpr;

  ctx.lineWidth = hairline / dpr;
  ctx.strokeStyle = theme.grid;
  ctx.setLineDash([]);
  ctx.beginPath();
  for (const t of yTicks.ticks) {
    const py = crisp(y.map(t));
    ctx.moveTo(plot.left, py);
    ctx.lineTo(plot.right, py);
  }
  for (const t of xTicks.ticks) {
    const px = crisp(x.map(t));
    ctx.moveTo(px, plot.top);
    ctx.lineTo(px, plot.bottom);
  }
  ctx.stroke();

  ctx.strokeStyle = theme.axis;
  ctx.beginPath();
  ctx.moveTo(crisp(plot.left), plot.top);
  ctx.lineTo(crisp(plot.left), crisp(plot.bottom));
  ctx.lineTo(plot.right, crisp(plot.bottom));
  ctx.stroke();

  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  yTicks.ticks.forEach((t, i) => ctx.fillText(yLabels[i] ?? '', plot.left - MARGIN.tickGap, y.map(t)));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const formatX = frame.xAxis?.formatTick ?? formatEpoch;
  for (const t of xTicks.ticks) ctx.fillText(formatX(t), x.map(t), plot.bottom + MARGIN.tickGap);
  ctx.fillStyle = theme.text;
  ctx.textBaseline = 'bottom';
  ctx.fillText(frame.xAxis?.label ?? 'epoch', (plot.left + plot.right) / 2, frame.height - 2);

  ctx.save();
  ctx.beginPath();
  // A little beyond the plot so a dot on the edge (epoch xMax, accuracy 100%) is not cut in half.
  ctx.rect(plot.left - 4, plot.top - 4, plot.right - plot.left + 8, plot.bottom - plot.top + 8);
  ctx.clip();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const band of frame.bands ?? []) drawBand(ctx, band, x, y);
  for (const s of frame.series) drawSeries(ctx, s, x, y, theme);
  if (frame.cursorX !== null) drawCursor(ctx, frame, plan, theme, crisp, hairline / dpr);
  ctx.restore();
  return plan;
}

/** Opacity of a band's fill: the lines over it stay readable. */
const BAND_ALPHA = 0.25;

/** A band as one filled polygon: along the upper bound, back along the lower. */
function drawBand(ctx: CanvasRenderingContext2D, band: LineBand, x: Scale, y: Scale) {
  if (band.points.length === 0) return;
  ctx.fillStyle = band.color;
  ctx.globalAlpha = BAND_ALPHA;
  ctx.beginPath();
  band.points.forEach((p, i) => {
    if (i === 0) ctx.moveTo(x.map(p.x), y.map(p.upper));
    else ctx.lineTo(x.map(p.x), y.map(p.upper));
  });
  for (let i = band.points.length - 1; i >= 0; i--) {
    const p = band.points[i] as LineBand['points'][number];
    ctx.lineTo(x.map(p.x), y.map(p.lower));
  }
  ctx.closePath();
  ctx.fill();
  ctx.globalAlpha = 1;
}

function drawSeries(ctx: CanvasRenderingContext2D, s: LineSeries, x: Scale, y: Scale, theme: ChartTheme) {
  if (s.points.length === 0) return;
  ctx.strokeStyle = s.color;
  ctx.lineWidth = s.dots ? 2 : 1.5;
  ctx.setLineDash(s.dashed ? [6, 3] : []);
  ctx.beginPath();
  s.points.forEach((p, i) => {
    if (i === 0) ctx.moveTo(x.map(p.x), y.map(p.y));
    else ctx.lineTo(x.map(p.x), y.map(p.y));
  });
  ctx.stroke();
  ctx.setLineDash([]);
  if (!s.dots) return;
  ctx.fillStyle = s.color;
  ctx.strokeStyle = theme.background;
  ctx.lineWidth = 1;
  for (const p of s.points) {
    ctx.beginPath();
    ctx.arc(x.map(p.x), y.map(p.y), 3.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}

function drawCursor(
  ctx: CanvasRenderingContext2D,
  frame: ChartFrame,
  { plot, x, y }: ChartPlan,
  theme: ChartTheme,
  crisp: (v: number) => number,
  lineWidth: number,
) {
  const cursorX = frame.cursorX ?? 0;
  const px = crisp(x.map(cursorX));
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = lineWidth;
  ctx.globalAlpha = 0.6;
  ctx.beginPath();
  ctx.moveTo(px, plot.top);
  ctx.lineTo(px, plot.bottom);
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2;
  ctx.strokeStyle = theme.background;
  for (const { series, point } of pointsAtCursor(frame.series, cursorX, x)) {
    ctx.fillStyle = series.color;
    ctx.beginPath();
    ctx.arc(x.map(point.x), y.map(point.y), 4.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}
