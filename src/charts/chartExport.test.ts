import { describe, expect, it } from 'vitest';
import { EXPORT_STYLE, layoutChartExport, layoutLegend, slugify, truncateToWidth } from './chartExport.ts';

/** A monospace stand-in for canvas measureText: 6 px a character. */
const measure = (text: string) => text.length * 6;
const { swatchWidth, swatchGap, itemGap, rowHeight, padding } = EXPORT_STYLE;
const itemWidth = (text: string) => swatchWidth + swatchGap + measure(text);

describe('layoutLegend', () => {
  it('puts items on one row while they fit', () => {
    const { items, height } = layoutLegend(['Adam', 'SGD'], 10, 40, 400, measure);
    expect(height).toBe(rowHeight);
    expect(items).toEqual([
      { text: 'Adam', x: 10, y: 40 + rowHeight / 2 },
      { text: 'SGD', x: 10 + itemWidth('Adam') + itemGap, y: 40 + rowHeight / 2 },
    ]);
  });

  it('wraps before an item that would pass the right edge, and never overlaps', () => {
    const labels = Array.from({ length: 7 }, (_, i) => `optimizer ${i} · learning rate 0.00${i}`);
    const maxWidth = 500;
    const { items, height } = layoutLegend(labels, 16, 0, maxWidth, measure);
    const rows = new Set(items.map((p) => p.y));
    expect(height).toBe(rows.size * rowHeight);
    expect(rows.size).toBeGreaterThan(1);
    items.forEach((p, i) => {
      expect(p.x).toBeGreaterThanOrEqual(16);
      expect(p.x + itemWidth(p.text)).toBeLessThanOrEqual(16 + maxWidth);
      const prev = items[i - 1];
      if (prev && prev.y === p.y) expect(p.x).toBeGreaterThanOrEqual(prev.x + itemWidth(prev.text) + itemGap);
      if (prev && prev.y !== p.y) expect(p.x).toBe(16);
    });
  });

  it('shortens a label too long for a row of its own', () => {
    const long = 'x'.repeat(200);
    const { items } = layoutLegend([long, 'b'], 0, 0, 300, measure);
    expect(items[0]?.text.endsWith('…')).toBe(true);
    expect(itemWidth(items[0]?.text ?? '')).toBeLessThanOrEqual(300);
    expect(items[1]?.x).toBe(0); // wrapped below
  });

  it('takes no room without items', () => {
    expect(layoutLegend([], 0, 0, 300, measure)).toEqual({ items: [], height: 0 });
  });
});

describe('layoutChartExport', () => {
  it('stacks title, legend and plot inside the padding', () => {
    const layout = layoutChartExport(['a', 'b'], 600, 220, measure);
    expect(layout.width).toBe(600 + 2 * padding);
    expect(layout.plot).toMatchObject({ x: padding, width: 600, height: 220 });
    expect(layout.titleY).toBeLessThan(layout.legend[0]?.y ?? 0);
    expect(layout.legend[0]?.y ?? 0).toBeLessThan(layout.plot.y);
    expect(layout.height).toBe(layout.plot.y + 220 + padding);
  });

  it('grows with legend rows', () => {
    const one = layoutChartExport(['a'], 300, 200, measure);
    const many = layoutChartExport(
      Array.from({ length: 6 }, () => 'm'.repeat(40)),
      300,
      200,
      measure,
    );
    expect(many.height - one.height).toBe(5 * rowHeight);
  });
});

describe('truncateToWidth and slugify', () => {
  it('keeps what fits and cuts the rest with an ellipsis', () => {
    expect(truncateToWidth('short', 100, measure)).toBe('short');
    expect(truncateToWidth('abcdefghij', 30, measure)).toBe('abcd…');
    expect(truncateToWidth('abcdefghij', 0, measure)).toBe('…');
  });

  it('makes a file-name stem of a title', () => {
    expect(slugify('Validation accuracy')).toBe('validation-accuracy');
    expect(slugify('  Loss (café, 2×)! ')).toBe('loss-cafe-2');
    expect(slugify('***')).toBe('chart');
  });
});
