// Cost of a request-scoped view: `client.withOptions({ headers, environment, timeout, signal })`
// as every framework adapter makes one per incoming request. Issue 3 says creating one does
// no I/O and "costs microseconds". Baseline in the same run: building the same options
// object plus an AbortController (what any per-request scoping needs anyway). Batches of the
// two alternate; each figure is the median [p10–p90] over rounds of per-batch CPU time per
// operation (the extra: view minus baseline within a round). Also shown: a view's first
// resource access (its resource objects are built lazily, once per view).
//
// Runs against the BUILT @knoxcall/core: `pnpm build` first. No network: the client is never
// used to send anything.
import { KnoxCall } from '@knoxcall/core';
import { benchRow, formatFigure, printBenchResult, verdict } from './lib/bench-result.mjs';
import { difference, median, perRound } from './lib/stats.mjs';

const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const TARGET_US = 5;

const client = new KnoxCall({ apiKey: 'kc_bench_never_sent', baseUrl: 'http://127.0.0.1:9' });
let sink = 0;

const sides = {
  view: (i) => {
    const controller = new AbortController();
    const view = client.withOptions({
      headers: { traceparent: `00-${i}-01`, 'x-request-id': `req-${i}` },
      environment: 'production',
      timeout: 10_000,
      signal: controller.signal,
    });
    sink += view.environment.length;
  },
  baseline: (i) => {
    const controller = new AbortController();
    const options = {
      headers: { traceparent: `00-${i}-01`, 'x-request-id': `req-${i}` },
      environment: 'production',
      timeout: 10_000,
      signal: controller.signal,
    };
    sink += options.environment.length;
  },
  viewWithResource: (i) => {
    const view = client.withOptions({ headers: { 'x-request-id': `req-${i}` } });
    sink += typeof view.routes.get === 'function' ? 1 : 0;
  },
};

function batchUs(fn) {
  const start = process.cpuUsage();
  for (let i = 0; i < BATCH; i++) fn(i);
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / BATCH;
}

for (const fn of Object.values(sides)) batchUs(fn); // warm-up (JIT)
const perOp = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(sides);
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const name of order) perOp[name].push(batchUs(sides[name]));
}

const cpuMicros = { subject: median(perOp.view), baseline: median(perOp.baseline) };
const extra = benchRow({
  label: 'view extra',
  rounds: perRound(perOp.view, perOp.baseline, difference),
  unit: ' µs',
  cpuMicros,
  target: { atMost: TARGET_US },
});
const withResource = benchRow({
  label: 'view + first resource access',
  rounds: perOp.viewWithResource,
  unit: ' µs',
  cpuMicros: { subject: median(perOp.viewWithResource), baseline: cpuMicros.baseline },
});
console.log(
  `core withOptions(): ${cpuMicros.subject.toFixed(2)} µs per view, baseline (options object + AbortController) ${cpuMicros.baseline.toFixed(2)} µs, extra ${formatFigure(extra)} (CPU, medians of ${ROUNDS} batches x ${BATCH})`,
);
console.log(`core withOptions() + first resource access (view.routes): ${formatFigure(withResource)}`);
console.log(`core view cost over baseline: ${formatFigure(extra)} (target: microseconds, ${extra.target}): ${verdict(extra)}`);
printBenchResult('core request-scoped view', [extra, withResource]);
if (sink === -1) console.log(sink); // keeps the work observable to the optimiser
