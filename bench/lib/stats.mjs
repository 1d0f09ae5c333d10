// Summaries the benches share. Every bench measures its sides in many short rounds that
// alternate (or rotate) the order, takes each comparison WITHIN a round, and reports the
// median over rounds with the spread (p10–p90) beside it: load on a shared machine drifts,
// the median ignores the rounds it hit hardest, and the spread shows how much the typical
// round moved (p10–p90 rather than min–max, so one round that a burst of load hit does not
// make a steady measurement look wide).
// Web APIs only (no node: imports): the runtime benches bundle this into a Worker.

/** The median; for an even count, the mean of the two middle values. */
export function median(values) {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The q-quantile (0..1), interpolating linearly between the two nearest values. */
export function quantile(values, q) {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

/** Median, spread (p10..p90) and extremes (min..max) of per-round values. */
export function summarize(values) {
  return { median: median(values), p10: quantile(values, 0.1), p90: quantile(values, 0.9), min: Math.min(...values), max: Math.max(...values) };
}

/** Element-wise op(a[i], b[i]) over two per-round series of the same length (a ratio or a difference per round). */
export function perRound(a, b, op) {
  if (a.length !== b.length) throw new Error(`per-round series differ in length (${a.length} vs ${b.length})`);
  return a.map((value, i) => op(value, b[i]));
}

export const ratio = (a, b) => a / b;
export const difference = (a, b) => a - b;
