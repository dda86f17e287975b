/**
 * Axis maths for the line charts: "nice" tick steps (1-2-5 × 10^k, epochs in quarters or whole
 * numbers) and linear scales from data to pixels. Pure numbers, no canvas: the plan
 * (lineChartPlan.ts) picks ticks to fit the plot, and the engine (lineChartEngine.ts) draws them.
 */

/** Tick positions and the domain they span. `domain` is where the plot's edges are, in data units. */
export interface Ticks {
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly step: number;
}

/** A linear map from data to pixels (CSS px) and back. */
export interface Scale {
  readonly map: (value: number) => number;
  readonly invert: (pixel: number) => number;
}

/** Rounds away float noise: 0.30000000000000004 → 0.3, for a tick that is a multiple of `step`. */
function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 20)));
}

/**
 * Step multipliers per decade, tried in order: 1-2-5 reads best; 2.5 when 1-2-5 cannot give 4–6
 * ticks; the last set, no two neighbours more than 1.5× apart, always can, even with both ends
 * fixed at arbitrary values (a window of 4–6 steps spans a factor of 1.5).
 */
const STEP_SETS: readonly (readonly number[])[] = [
  [1, 2, 5],
  [1, 2, 2.5, 5],
  [1, 1.5, 2, 2.5, 3, 4, 5, 7.5],
];

/**
 * Nice ticks for [min, max]: multiples of 1, 2 or 5 × 10^k (others as fallbacks), between
 * `minCount` and `maxCount` of them, the smallest such step. An unlocked side grows outward to a
 * tick (the domain then starts and ends on a labelled line); a locked side stays exactly where
 * the caller fixed it, and the ticks are the multiples inside. Equal bounds are widened first.
 */
export function niceTicks(
  min: number,
  max: number,
  { lockMin = false, lockMax = false, minCount = 4, maxCount = 6 } = {},
): Ticks {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    if (lockMin && lockMax)
      hi += pad; // both fixed and equal: grow the top
    else {
      if (!lockMin) lo -= pad;
      if (!lockMax) hi += pad;
    }
  }
  const span = hi - lo;
  const exponent = Math.floor(Math.log10(span / maxCount));
  const eps = 1e-9;
  let fallback: { step: number; a: number; b: number; miss: number } | null = null;
  for (const multipliers of STEP_SETS) {
    for (let e = exponent - 1; e <= exponent + 2; e++) {
      for (const m of multipliers) {
        const step = m * 10 ** e;
        const a = lockMin ? Math.ceil(lo / step - eps) : Math.floor(lo / step + eps);
        const b = lockMax ? Math.floor(hi / step + eps) : Math.ceil(hi / step - eps);
        const count = b - a + 1;
        if (count >= minCount && count <= maxCount) return build(step, a, b);
        const miss = count < minCount ? minCount - count : count - maxCount;
        if (fallback === null || miss < fallback.miss) fallback = { step, a, b, miss };
      }
    }
  }
  // Unreachable for sane counts (the sweep in the tests finds none), but never throw in a draw.
  const f = fallback ?? { step: span, a: 0, b: 1 };
  return build(f.step, f.a, f.b);

  function build(step: number, a: number, b: number): Ticks {
    const ticks: number[] = [];
    for (let i = a; i <= b; i++) ticks.push(roundToStep(i * step, step));
    const domain: [number, number] = [
      lockMin ? lo : roundToStep(a * step, step),
      lockMax ? hi : roundToStep(b * step, step),
    ];
    return { domain, ticks, step };
  }
}

/**
 * Epoch ticks over 0…xMax: quarter epochs for a one-epoch run, whole epochs once there are two
 * or more (an epoch is the unit a person counts in), then 2, 5, 10, 20, … as room runs out.
 * `maxCount` comes from the plot width, so labels never crowd.
 */
export function epochTicks(xMax: number, maxCount = 11): Ticks {
  const hi = Math.max(xMax, 1);
  const steps = hi < 2 ? [0.25, 0.5, 1] : [];
  for (let e = 0; e < 12; e++) for (const m of [1, 2, 5]) steps.push(m * 10 ** e);
  const step = steps.find((s) => Math.floor(hi / s + 1e-9) + 1 <= Math.max(2, maxCount)) ?? hi;
  const ticks: number[] = [];
  for (let i = 0; i * step <= hi + 1e-9; i++) ticks.push(roundToStep(i * step, step));
  return { domain: [0, hi], ticks, step };
}

/**
 * Ticks over 0…max for a quantity without a natural unit step (examples, seconds): the smallest
 * 1-2-5 × 10^k step giving at most `maxCount` ticks, with the domain grown to the tick at or
 * after `max`, so a live axis moves in whole steps rather than on every update.
 */
export function linearTicks(max: number, maxCount = 6): Ticks {
  const hi = Number.isFinite(max) && max > 0 ? max : 1;
  const count = Math.max(2, maxCount);
  for (let e = Math.floor(Math.log10(hi)) - 3; ; e++) {
    for (const m of [1, 2, 5]) {
      const step = m * 10 ** e;
      const n = Math.max(1, Math.ceil(hi / step - 1e-9));
      if (n + 1 > count) continue;
      const ticks: number[] = [];
      for (let i = 0; i <= n; i++) ticks.push(roundToStep(i * step, step));
      return { domain: [0, ticks[n] as number], ticks, step };
    }
  }
}

/**
 * Ticks for a log axis whose data are given as log10 values (a learning rate of 1e-3 is x = −3):
 * whole powers of ten over `min`…`max` (the domain grows out to the decades around them), every
 * 1, 2, 5, … decades so at most `maxCount` fit. Equal or non-finite bounds get one decade.
 */
export function decadeTicks(min: number, max: number, maxCount = 6): Ticks {
  // `+ 0` turns −0 (Math.ceil(−0.1)) into 0.
  let lo = Math.floor(Math.min(min, max)) + 0;
  let hi = Math.ceil(Math.max(min, max)) + 0;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi === lo) hi = lo + 1;
  const step =
    [1, 2, 5, 10, 20, 50].find((s) => Math.floor((hi - lo) / s) + 1 <= Math.max(2, maxCount)) ?? hi - lo;
  const first = Math.ceil(lo / step) * step + 0;
  const ticks: number[] = [];
  for (let t = first; t <= hi; t += step) ticks.push(t);
  return { domain: [lo, hi], ticks, step };
}

/** "0", "0.25", "3": epochs as a person writes them. */
export function formatEpoch(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(2)));
}

/** Maps [d0, d1] onto [r0, r1] (either may run backwards, as y does on a canvas). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return {
    map: (v) => r0 + (v - d0) * k,
    invert: (p) => (k === 0 ? d0 : d0 + (p - r0) / k),
  };
}
