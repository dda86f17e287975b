/**
 * Metric series for charts. The worker streams one point per batch; a batch-1 run makes
 * hundreds of thousands, so charts draw a bucket-averaged copy of bounded size.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Averages consecutive points into at most `maxPoints` buckets, so the cost of drawing stays
 * bounded and the noisy per-batch curve reads as its trend. Non-finite y values are skipped.
 */
export function downsample(points: readonly Point[], maxPoints: number): Point[] {
  const finite = points.filter((p) => Number.isFinite(p.y));
  if (finite.length <= maxPoints) return finite;
  const out: Point[] = [];
  const bucket = finite.length / maxPoints;
  for (let b = 0; b < maxPoints; b++) {
    const start = Math.floor(b * bucket);
    const end = Math.floor((b + 1) * bucket);
    let sx = 0;
    let sy = 0;
    for (let i = start; i < end; i++) {
      const p = finite[i] as Point;
      sx += p.x;
      sy += p.y;
    }
    const n = end - start;
    if (n > 0) out.push({ x: sx / n, y: sy / n });
  }
  return out;
}
