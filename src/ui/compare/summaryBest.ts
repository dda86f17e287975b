/**
 * Which runs the summary table marks "best" in a column: a pure rule, tested apart from React.
 * A mark means something only when runs are compared, so it needs two or more runs with the
 * value; ties mark every tied run, unless all runs tie (then none is better).
 */
export function bestIndices(values: readonly (number | null)[], better: 'high' | 'low'): ReadonlySet<number> {
  const present = values.flatMap((v, i) => (v !== null && Number.isFinite(v) ? [[v, i] as const] : []));
  if (present.length < 2) return new Set();
  const target =
    better === 'high' ? Math.max(...present.map(([v]) => v)) : Math.min(...present.map(([v]) => v));
  const best = present.filter(([v]) => v === target).map(([, i]) => i);
  return best.length === present.length ? new Set() : new Set(best);
}
