// Cost of a request-scoped view: `client.withOptions({ headers, environment, timeout, signal })`
// as every framework adapter makes one per incoming request. Issue 3 says creating one does
// no I/O and "costs microseconds". Baseline in the same run: building the same options
// object plus an AbortController (what any per-request scoping needs anyway). Batches of the
// two alternate; medians of per-batch CPU time per operation. Also shown: a view's first
// resource access (its resource objects are built lazily, once per view).
//
// Runs against the BUILT @knoxcall/core: `pnpm build` first. No network: the client is never
// used to send anything.
import { KnoxCall } from '@knoxcall/core';
import { median, printBenchResult, verdict } from './core-support.mjs';

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

const view = median(perOp.view);
const baseline = median(perOp.baseline);
const withResource = median(perOp.viewWithResource);
const extra = view - baseline;
console.log(
  `core withOptions(): ${view.toFixed(2)} µs per view, baseline (options object + AbortController) ${baseline.toFixed(2)} µs, extra ${extra.toFixed(2)} µs (CPU, medians of ${ROUNDS} batches x ${BATCH})`,
);
console.log(`core withOptions() + first resource access (view.routes): ${withResource.toFixed(2)} µs`);
console.log(`core view cost over baseline: ${extra.toFixed(2)} µs (target: microseconds, <= ${TARGET_US} µs): ${verdict(extra <= TARGET_US)}`);
printBenchResult('core request-scoped view', [
  { label: 'view extra', value: extra, unit: ' µs', target: `<= ${TARGET_US} µs`, met: extra <= TARGET_US },
  { label: 'view + first resource access', value: withResource, unit: ' µs' },
]);
if (sink === -1) console.log(sink); // keeps the work observable to the optimiser
