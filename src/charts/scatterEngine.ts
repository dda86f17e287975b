/**
 * A small scatter-plot engine for the PCA view: fit the points to the plot, find the point under
 * the cursor, and draw ~2,000 class-coloured dots on a CanvasRenderingContext2D (one path and one
 * fill per class, about a millisecond). Pure apart from the draw call; the view owns the canvas.
 */

export interface ScatterData {
  /** `[n, 2]` row-major coordinates. */
  readonly xy: Float32Array;
  /** `[n]` class of each point, 0…colors.length − 1. */
  readonly classes: Uint8Array;
  readonly colors: readonly string[];
}

export interface ScatterFrame {
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** Class drawn on top at full strength, the others faded; null for none. */
  readonly highlight: number | null;
  /** Point ringed as the one read out; null for none. */
  readonly active: number | null;
}

export interface ScatterTheme {
  readonly background: string;
  readonly axis: string;
  readonly text: string;
  readonly fontFamily: string;
}

export interface ScatterPlan {
  readonly map: (i: number) => readonly [number, number];
  /** Plot edges in CSS pixels. */
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export const POINT_RADIUS = 2.5;
const MARGIN = { left: 26, top: 8, right: 8, bottom: 22 } as const;

/** Pixel positions for every point: both axes fitted to the data with equal padding (not equal scale). */
export function planScatter(data: ScatterData, width: number, height: number): ScatterPlan {
  const n = Math.floor(data.xy.length / 2);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = data.xy[2 * i] ?? 0;
    const y = data.xy[2 * i + 1] ?? 0;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (!(maxX >= minX)) [minX, maxX, minY, maxY] = [-1, 1, -1, 1];
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const pad = POINT_RADIUS + 2;
  const left = MARGIN.left + pad;
  const right = Math.max(left + 1, width - MARGIN.right - pad);
  const top = MARGIN.top + pad;
  const bottom = Math.max(top + 1, height - MARGIN.bottom - pad);
  return {
    left: MARGIN.left,
    top: MARGIN.top,
    right: width - MARGIN.right,
    bottom: height - MARGIN.bottom,
    map: (i) => [
      left + (((data.xy[2 * i] ?? 0) - minX) / spanX) * (right - left),
      // Up is positive, as on paper.
      bottom - (((data.xy[2 * i + 1] ?? 0) - minY) / spanY) * (bottom - top),
    ],
  };
}

/** The point nearest (px, py) within `tolerance` CSS pixels, or null; highlighted class first. */
export function nearestPoint(
  data: ScatterData,
  plan: ScatterPlan,
  px: number,
  py: number,
  tolerance: number,
  highlight: number | null = null,
): number | null {
  let best: number | null = null;
  let bestDistance = tolerance * tolerance;
  const n = Math.floor(data.xy.length / 2);
  for (let i = 0; i < n; i++) {
    if (highlight !== null && data.classes[i] !== highlight) continue;
    const [x, y] = plan.map(i);
    const d = (x - px) ** 2 + (y - py) ** 2;
    if (d <= bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best === null && highlight !== null ? nearestPoint(data, plan, px, py, tolerance) : best;
}

/** Draws the frame; returns the plan used, for pointer handling. */
export function drawScatter(
  ctx: CanvasRenderingContext2D,
  data: ScatterData,
  frame: ScatterFrame,
  theme: ScatterTheme,
  dpr: number,
): ScatterPlan {
  const { width, height, highlight, active } = frame;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  const plan = planScatter(data, width, height);

  ctx.strokeStyle = theme.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(plan.left + 0.5, plan.top + 0.5, plan.right - plan.left - 1, plan.bottom - plan.top - 1);
  ctx.fillStyle = theme.text;
  ctx.font = `12px ${theme.fontFamily}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('PC1 →', (plan.left + plan.right) / 2, plan.bottom + 5);
  ctx.save();
  ctx.translate(plan.left - 8, (plan.top + plan.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'bottom';
  ctx.fillText('PC2 →', 0, 0);
  ctx.restore();

  const n = Math.floor(data.xy.length / 2);
  const drawClass = (c: number, alpha: number) => {
    ctx.globalAlpha = alpha;
    ctx.fillStyle = data.colors[c] ?? '#000';
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      if (data.classes[i] !== c) continue;
      const [x, y] = plan.map(i);
      ctx.moveTo(x + POINT_RADIUS, y);
      ctx.arc(x, y, POINT_RADIUS, 0, 2 * Math.PI);
    }
    ctx.fill();
  };
  for (let c = 0; c < data.colors.length; c++) {
    if (c !== highlight) drawClass(c, highlight === null ? 0.8 : 0.12);
  }
  if (highlight !== null) drawClass(highlight, 1);
  ctx.globalAlpha = 1;

  if (active !== null && active < n) {
    const [x, y] = plan.map(active);
    ctx.lineWidth = 2;
    ctx.strokeStyle = theme.text;
    ctx.beginPath();
    ctx.arc(x, y, POINT_RADIUS + 4, 0, 2 * Math.PI);
    ctx.stroke();
  }
  return plan;
}
