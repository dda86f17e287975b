/** Strokes for drawing digits on the pad in e2e tests, in pad fractions (0–1) from the top left. */

/** A "0": a closed ellipse around the pad's centre. */
export const zero = Array.from({ length: 25 }, (_, i) => {
  const a = (2 * Math.PI * i) / 24;
  return [0.5 + 0.22 * Math.sin(a), 0.5 - 0.32 * Math.cos(a)] as const;
});
