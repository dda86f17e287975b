/** Formatting shared by the UI and the CLI, fixed to en-US so output is stable across machines. */

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 0.9791 → "97.9%". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
