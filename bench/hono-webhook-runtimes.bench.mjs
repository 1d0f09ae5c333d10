// The Hono webhook bench (hono-webhook.bench.mjs) measured INSIDE Bun, Deno and workerd: for
// each runtime, one module holding the knoxWebhook() app and the hand-written Web Crypto
// middleware app (runtimes/hono-webhook-worker.mjs, sharing lib/hono-webhook-apps.mjs with
// the Node bench) is bundled with that runtime's export conditions, served by the runtime
// itself (tools/runtimes/launch.ts, as the adapter's runtime tests do), and asked once for
// /run. The runtime then loops app.fetch in process — many short rounds, the order rotating
// between the routes — and answers per-round rates; this process prints, per runtime, the
// median ratio knoxWebhook / hand-written with its spread over rounds, and µs per delivery.
//
// Wall time only: a Worker has no CPU clock (no process.cpuUsage), so all three runtimes are
// timed the same way, by wall time, and a busy machine shows up as spread between rounds.
//
// The launcher and bundler helpers are TypeScript; this file re-runs itself under the Node 24
// of the runtime cache (.cache/runtimes, fetched by scripts/runtimes.mjs), which loads .ts
// files by stripping the types. Runs against the BUILT packages: `pnpm build` first.
//   BENCH_ROUNDS (21), BENCH_REQUESTS (2000 per route per round), BENCH_CONCURRENCY (16),
//   BENCH_WARMUP (1000 per route), BENCH_RUNTIMES (bun,deno,workerd)
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fetchRuntimes } from '../scripts/runtimes.mjs';
import { benchRow, formatFigure } from './lib/bench-result.mjs';
import { PATHS } from './lib/hono-webhook-apps.mjs';
import { summarize } from './lib/stats.mjs';

const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY ?? 16);
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 2000);
// An odd number of rounds, so the median is one round's own ratio.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const WARMUP = Number(process.env.BENCH_WARMUP ?? Math.min(1000, REQUESTS_PER_ROUND));
const RUNTIMES = (process.env.BENCH_RUNTIMES ?? 'bun,deno,workerd').split(',').map((name) => name.trim());

/** Which @knoxcall/core build each runtime's conditions pick (CONDITIONS in the hono runtime tests' bundle.ts). */
const CORE_BUILD = { bun: 'core Node build', deno: 'core Web build', workerd: 'core Web build' };

const self = fileURLToPath(import.meta.url);
const paths = fetchRuntimes({ quiet: true });

if (process.argv[2] === 'measure') {
  await measureAll();
} else {
  const child = spawn(paths.node24, ['--disable-warning=ExperimentalWarning', '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', self, 'measure'], {
    stdio: 'inherit',
  });
  const code = await new Promise((resolve) => child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
  if (code !== 0) console.error(`hono runtime bench exited ${code}; did you run pnpm build?`);
  process.exitCode = code;
}

async function measureAll() {
  const { launch, stageDir } = await import('../tools/runtimes/launch.ts');
  const { bundleFor } = await import('../packages/hono/test/runtimes/bundle.ts');
  const entry = fileURLToPath(new URL('./runtimes/hono-webhook-worker.mjs', import.meta.url));
  const query = new URLSearchParams({ rounds: ROUNDS, requests: REQUESTS_PER_ROUND, inFlight: IN_FLIGHT, warmup: WARMUP });
  const results = [];
  for (const runtime of RUNTIMES) {
    if (!(runtime in CORE_BUILD)) throw new Error(`BENCH_RUNTIMES names ${runtime}; known: ${Object.keys(CORE_BUILD).join(', ')}`);
    const staged = stageDir(`bench-${runtime}`);
    let app;
    try {
      await bundleFor(runtime, entry, staged.dir, { __BENCH_RUNTIME__: runtime });
      app = await launch(runtime, staged.dir, 'app.js');
      // A first, tiny /run builds the app and warms the runtime, so the timed one compares
      // the runtime's clock with ours over the measurement alone.
      const prime = await fetch(`${app.url}/run?rounds=1&requests=1&warmup=1&inFlight=1`);
      if (!prime.ok) throw new Error(`${runtime} /run answered ${prime.status}: ${(await prime.json()).error}\n--- ${runtime} output ---\n${app.output()}`);
      await prime.arrayBuffer().catch(() => {});
      const started = performance.now();
      const res = await fetch(`${app.url}/run?${query}`);
      const outsideMs = performance.now() - started;
      const run = await res.json();
      if (!res.ok) throw new Error(`${runtime} /run answered ${res.status}: ${run.error}\n--- ${runtime} output ---\n${app.output()}`);
      results.push(report(runtime, run, outsideMs));
    } finally {
      await app?.stop();
      staged.remove();
    }
  }
  console.log('(wall time, not CPU time: a Worker on workerd has no CPU clock, so every runtime is timed by the wall clock)');
  console.log(`BENCH_RESULT ${JSON.stringify({ name: 'hono webhook on bun, deno, workerd', results })}`);
}

/** Prints one runtime's line and returns its result row (no CPU figures: a Worker has no CPU clock). */
function report(runtime, run, outsideMs) {
  // The runtime's own clock must account for most of the time /run took from outside (the
  // rest is one local HTTP request); a clock frozen between I/O would report next to nothing.
  // workerd's clock has whole milliseconds, hence the 1 ms of slack above.
  if (outsideMs - run.totalMs > Math.max(0.5 * outsideMs, 20) || run.totalMs > outsideMs + 1) {
    throw new Error(`${runtime}'s clock timed the run at ${run.totalMs} ms but it took ${outsideMs.toFixed(0)} ms from outside: its timings cannot be trusted`);
  }
  const row = benchRow({
    label: 'knoxWebhook / hand-written (wall)',
    rounds: run.ratios.target,
    unit: 'x',
    target: { atLeast: 0.95 },
    runtime: `${runtime} ${version(runtime)}`,
  });
  const us = Object.fromEntries(PATHS.map((path) => [path, 1e6 / summarize(run.rate[path]).median]));
  const roundMs = summarize(run.roundMs).median;
  console.log(
    `hono webhook [${row.runtime}, ${CORE_BUILD[runtime]}, inside ${runtime}]: knoxWebhook / hand-written ${formatFigure(row)} (median [p10–p90] over ${ROUNDS} rounds; target ${row.target}); µs per delivery: knoxWebhook ${us['/knox'].toFixed(1)}, hand-written ${us['/hand'].toFixed(1)}, core verifyWebhook by hand ${us['/core'].toFixed(1)} (wall time, medians; rounds of ${REQUESTS_PER_ROUND}, ~${roundMs.toFixed(0)} ms each, ${IN_FLIGHT} in flight; run ${run.totalMs.toFixed(0)} ms inside, ${outsideMs.toFixed(0)} ms outside)`,
  );
  return row;
}

function version(runtime) {
  const out = spawnSync(paths[runtime], ['--version'], { encoding: 'utf8' });
  return (out.stdout ?? '')
    .split('\n')[0]
    .trim()
    .replace(/^(deno|workerd) /, '')
    .split(' ')[0];
}
