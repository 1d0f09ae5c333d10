// The rows a benchmark hands to the harness (bench/run.mjs), built one way for every bench:
//
//   BENCH_RESULT {"name":"core call() vs raw fetch","results":[{"label":"client CPU extra",
//     "value":31.2,"unit":" µs/call","spread":{"p10":24.9,"p90":40.3},
//     "cpuMicros":{"subject":640.1,"baseline":608.9},"target":"<= 25 µs/call","met":false}]}
//
// `value` is the median of the per-round figures, `spread` their p10..p90, `cpuMicros` the
// median CPU time per request (or per operation) of the measured side and of its baseline,
// and `met` judges the target on the median, never on one round. A target that only holds on
// one Node major (issue #18's Nest targets are judged on Node 24) is shown but not judged
// on the others: `met` is then absent.
import { summarize } from './stats.mjs';

const NODE_MAJOR = typeof process === 'object' ? Number(process.versions?.node?.split('.')[0]) : undefined;

/**
 * One result row. `rounds`: the per-round values of the figure (a ratio or a difference,
 * taken within each round). `cpuMicros`: `{ subject, baseline }` CPU µs per request (either
 * may be null where the bench has no such side or no CPU clock). `target`: optional
 * `{ atLeast }` or `{ atMost }`, plus `onNode` (a major version) when it is judged there only.
 */
export function benchRow({ label, rounds, unit, cpuMicros, target, runtime }) {
  const { median, p10, p90 } = summarize(rounds);
  const row = { label, value: median, unit, spread: { p10, p90 }, cpuMicros: { subject: cpuMicros?.subject ?? null, baseline: cpuMicros?.baseline ?? null } };
  if (runtime !== undefined) row.runtime = runtime;
  if (target === undefined) return row;
  const bound = target.atLeast !== undefined ? `>= ${target.atLeast}` : `<= ${target.atMost}`;
  row.target = `${bound}${unit ?? ''}${target.onNode === undefined ? '' : ` on Node ${target.onNode}`}`;
  if (target.onNode === undefined || target.onNode === NODE_MAJOR) {
    row.met = target.atLeast !== undefined ? median >= target.atLeast : median <= target.atMost;
  }
  return row;
}

/** Prints the machine-readable line bench/run.mjs collects into its summary table. */
export function printBenchResult(name, rows) {
  console.log(`BENCH_RESULT ${JSON.stringify({ name, results: rows })}`);
}

/** "met", "MISSED", or "not judged" for a row, as the benches' own text lines print it. */
export function verdict(row) {
  if (row.met === undefined) return row.target === undefined ? 'no target' : 'not judged on this Node';
  return row.met ? 'met' : 'MISSED';
}

/** "1.234x [1.100–1.310]" / "31.2 µs/call [24.9–40.3]": a row's median with its spread (p10–p90). */
export function formatFigure(row) {
  // Ratios to three decimals: their targets sit a few percent from 1.
  const digits = row.unit === 'x' ? 3 : Math.abs(row.value) >= 100 ? 0 : Math.abs(row.value) >= 10 ? 1 : 2;
  const fixed = (n) => n.toFixed(digits);
  const spread = row.spread ? ` [${fixed(row.spread.p10)}–${fixed(row.spread.p90)}]` : '';
  return `${fixed(row.value)}${row.unit ?? ''}${spread}`;
}
