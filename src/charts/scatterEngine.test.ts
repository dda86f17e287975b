import { describe, expect, it } from 'vitest';
import { nearestPoint, planScatter, type ScatterData } from './scatterEngine.ts';

const data: ScatterData = {
  xy: Float32Array.of(0, 0, 10, 5, 5, 10),
  classes: Uint8Array.of(0, 1, 1),
  colors: ['#000', '#111'],
};

describe('scatter engine', () => {
  it('fits the points inside the plot, up being positive', () => {
    const plan = planScatter(data, 300, 200);
    const [x0, y0] = plan.map(0);
    const [x1] = plan.map(1);
    const [, y2] = plan.map(2);
    expect(x0).toBeGreaterThan(plan.left);
    expect(x1).toBeLessThan(plan.right);
    expect(y0).toBeLessThan(plan.bottom);
    expect(y2).toBeGreaterThan(plan.top);
    expect(y2).toBeLessThan(y0);
  });

  it('finds the nearest point within the tolerance, preferring the highlighted class', () => {
    const plan = planScatter(data, 300, 200);
    const [x, y] = plan.map(1);
    expect(nearestPoint(data, plan, x + 2, y - 1, 10)).toBe(1);
    expect(nearestPoint(data, plan, x + 50, y + 50, 10)).toBeNull();
    const [x0, y0] = plan.map(0);
    // Highlighting class 1 skips point 0 unless nothing of class 1 is near.
    expect(nearestPoint(data, plan, x0, y0, 10, 1)).toBe(0);
  });

  it('copes with a single point and with no points', () => {
    const one = { ...data, xy: Float32Array.of(3, 3), classes: Uint8Array.of(0) };
    const [x, y] = planScatter(one, 100, 100).map(0);
    expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
    const none = { ...data, xy: new Float32Array(), classes: new Uint8Array() };
    expect(nearestPoint(none, planScatter(none, 100, 100), 50, 50, 10)).toBeNull();
  });
});
