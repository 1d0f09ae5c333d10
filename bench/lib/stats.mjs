// Summaries the benches share. Every bench measures its sides in many short rounds that
// alternate (or rotate) the order, takes each comparison WITHIN a round, and reports the
// median over rounds with the spread (min–max) beside it: load on a shared machine drifts,
// the median ignores the rounds it hit hardest, and the spread shows how hard that was.
// Web APIs only (no node: imports): the runtime benches bundle this into a Worker.

/** The median; for an even count, the mean of the two middle values. */
export function median(values) {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median and spread (min..max) of per-round values. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Element-wise op(a[i], b[i]) over two per-round series of the same length (a ratio or a difference per round). */
export function perRound(a, b, op) {
  if (a.length !== b.length) throw new Error(`per-round series differ in length (${a.length} vs ${b.length})`);
  return a.map((value, i) => op(value, b[i]));
}

export const ratio = (a, b) => a / b;
export const difference = (a, b) => a - b;
