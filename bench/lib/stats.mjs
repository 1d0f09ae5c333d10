// Summaries the benches share. Every bench reports medians over rounds: load on a shared
// machine drifts, and the median ignores the rounds it hit hardest.

/** The upper median (for an even count, the larger of the two middle values). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
