/**
 * Image export of a canvas chart with its title and legend, which live in HTML on the page and
 * would be missing from the canvas alone. The layout is pure (measured text in, positions out)
 * and tested; `renderChartPng` paints it with the chart's own snapshot.
 */
import type { ChartTheme } from './lineChartEngine.ts';

/** CSS pixels and font sizes of an exported image (drawn at 2× or more). */
export const EXPORT_STYLE = {
  padding: 16,
  titleSize: 15,
  titleHeight: 22,
  legendSize: 12,
  rowHeight: 18,
  swatchWidth: 26,
  swatchGap: 6,
  itemGap: 18,
  sectionGap: 8,
} as const;

export interface LegendEntry {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly dots?: boolean;
}

/** Where one legend item goes: `x` is the swatch's left end, `y` the row's middle. */
export interface LegendItemPlace {
  readonly text: string;
  readonly x: number;
  readonly y: number;
}

export interface ExportLayout {
  readonly width: number;
  readonly height: number;
  /** Baseline-middle of the title. */
  readonly titleY: number;
  readonly legend: readonly LegendItemPlace[];
  readonly plot: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

/** `text`, shortened with "…" until `measure` says it fits `maxWidth` (at least the ellipsis). */
export function truncateToWidth(text: string, maxWidth: number, measure: (t: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  // The longest prefix whose "prefix…" fits.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(`${text.slice(0, mid).trimEnd()}…`) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}

/**
 * Legend items in rows from `left`, wrapping before an item that would pass `left + maxWidth`;
 * a label too long for a row of its own is shortened. Rows start at `top`; returns the places
 * and the height used (0 with no items).
 */
export function layoutLegend(
  labels: readonly string[],
  left: number,
  top: number,
  maxWidth: number,
  measure: (text: string) => number,
): { readonly items: LegendItemPlace[]; readonly height: number } {
  const { swatchWidth, swatchGap, itemGap, rowHeight } = EXPORT_STYLE;
  const textRoom = Math.max(0, maxWidth - swatchWidth - swatchGap);
  const items: LegendItemPlace[] = [];
  let x = left;
  let row = 0;
  for (const label of labels) {
    const text = truncateToWidth(label, textRoom, measure);
    const width = swatchWidth + swatchGap + measure(text);
    if (x > left && x + width > left + maxWidth) {
      row += 1;
      x = left;
    }
    items.push({ text, x, y: top + row * rowHeight + rowHeight / 2 });
    x += width + itemGap;
  }
  return { items, height: labels.length === 0 ? 0 : (row + 1) * rowHeight };
}

/** Title, then legend rows, then the plot, inside a padded box as wide as the plot. */
export function layoutChartExport(
  labels: readonly string[],
  plotWidth: number,
  plotHeight: number,
  measureLegend: (text: string) => number,
): ExportLayout {
  const { padding, titleHeight, sectionGap } = EXPORT_STYLE;
  const legendTop = padding + titleHeight + sectionGap;
  const legend = layoutLegend(labels, padding, legendTop, plotWidth, measureLegend);
  const plotY = legendTop + legend.height + (legend.height > 0 ? sectionGap : 0);
  return {
    width: plotWidth + 2 * padding,
    height: plotY + plotHeight + padding,
    titleY: padding + titleHeight / 2,
    legend: legend.items,
    plot: { x: padding, y: plotY, width: plotWidth, height: plotHeight },
  };
}

/** "Validation accuracy (%)" → "validation-accuracy": a safe file name stem; "chart" when empty. */
export function slugify(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug === '' ? 'chart' : slug;
}

/**
 * Paints title, legend and `plot` (a snapshot of `plotWidth` × `plotHeight` CSS px, drawn at
 * `scale`) onto a new canvas filled with the panel colour, and encodes it as PNG.
 */
export function renderChartPng(
  title: string,
  entries: readonly LegendEntry[],
  plot: HTMLCanvasElement,
  plotWidth: number,
  plotHeight: number,
  theme: ChartTheme,
  scale: number,
): Promise<Blob> {
  const { titleSize, legendSize, swatchWidth, swatchGap } = EXPORT_STYLE;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('No 2D canvas context'));
  const legendFont = `${legendSize}px ${theme.fontFamily}`;
  ctx.font = legendFont;
  const layout = layoutChartExport(
    entries.map((e) => e.label),
    plotWidth,
    plotHeight,
    (t) => ctx.measureText(t).width,
  );
  canvas.width = Math.round(layout.width * scale);
  canvas.height = Math.round(layout.height * scale);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, layout.width, layout.height);

  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillStyle = theme.text;
  ctx.font = `600 ${titleSize}px ${theme.fontFamily}`;
  ctx.fillText(title, layout.plot.x, layout.titleY, layout.plot.width);

  ctx.font = legendFont;
  layout.legend.forEach((place, i) => {
    const entry = entries[i];
    if (!entry) return;
    ctx.strokeStyle = entry.color;
    ctx.lineWidth = entry.dots ? 2 : 1.5;
    ctx.setLineDash(entry.dashed ? [6, 3] : []);
    ctx.beginPath();
    ctx.moveTo(place.x + 1, place.y);
    ctx.lineTo(place.x + swatchWidth - 1, place.y);
    ctx.stroke();
    ctx.setLineDash([]);
    if (entry.dots) {
      ctx.fillStyle = entry.color;
      ctx.beginPath();
      ctx.arc(place.x + swatchWidth / 2, place.y, 3.5, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.fillStyle = theme.muted;
    ctx.fillText(place.text, place.x + swatchWidth + swatchGap, place.y);
  });

  ctx.drawImage(plot, layout.plot.x, layout.plot.y, layout.plot.width, layout.plot.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}
