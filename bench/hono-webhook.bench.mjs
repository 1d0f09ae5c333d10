// Requests per second of a Hono app verifying KnoxCall deliveries with knoxWebhook() versus
// a hand-written Web Crypto HMAC middleware in the SAME app (verify over the raw bytes,
// constant-time compare, parse, check the envelope timestamp), same payload, same run.
// Prints the ratio by req/s (target ≥ 0.95×, judged on the median of per-round ratios) and
// by the process's CPU time per delivery beside it (in process, so that CPU time is the
// app's plus the Request the loop builds, alike for every route); nothing is gated.
//
// In process, through app.fetch(new Request(...)) with a bounded number of requests in
// flight: no sockets, so the numbers are the middleware and Hono, not the HTTP stack.
// Two runs, each in its own child process:
//   - node:    default conditions: @knoxcall/core resolves to its Node build, whose async
//              verifier takes its HMAC from node:crypto;
//   - workerd: `node --conditions=workerd`: core's Web build, Web Crypto only — what a
//              Worker runs.
// The same apps measured inside Bun, Deno and workerd: hono-webhook-runtimes.bench.mjs.
// Runs against the BUILT packages: `pnpm build` first.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchRow, formatFigure, printBenchResult, verdict } from './lib/bench-result.mjs';
import { measureRounds, webhookApps } from './lib/hono-webhook-apps.mjs';
import { median, perRound, ratio } from './lib/stats.mjs';

const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY ?? 16);
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

if (process.argv[2] === 'measure') {
  await measure();
} else {
  for (const conditions of [[], ['--conditions=workerd']]) {
    await new Promise((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ['measure'], { stdio: 'inherit', execArgv: conditions });
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench child exited ${code}; did you run pnpm build?`))));
    });
  }
}

async function measure() {
  const label = process.execArgv.includes('--conditions=workerd') ? 'workerd (core Web build, Web Crypto)' : 'node (core Node build)';
  // hono from the adapter's own dependency, so the app and the middleware share one copy.
  const { Hono } = await import(new URL('../packages/hono/node_modules/hono/dist/index.js', import.meta.url).href);
  const { knoxWebhook } = await import(new URL('../packages/hono/dist/index.js', import.meta.url).href);
  // The same core build the adapter loads under these conditions (one module instance).
  const { verifyWebhook } = await import('@knoxcall/core/webhooks');

  const send = await webhookApps({ Hono, knoxWebhook, verifyWebhook });
  const cpuNow = () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  };
  const { rate, cpuUs, ratios } = await measureRounds({ send, rounds: ROUNDS, requests: REQUESTS_PER_ROUND, inFlight: IN_FLIGHT, cpuNow });
  const cpuMicros = { subject: median(cpuUs['/knox']), baseline: median(cpuUs['/hand']) };
  // The row names the core build only: the table's runtime column names the Node.
  const build = process.execArgv.includes('--conditions=workerd') ? 'core Web build' : 'core Node build';
  const byRate = benchRow({ label: `${build}: knoxWebhook / hand-written (req/s)`, rounds: ratios.target, unit: 'x', cpuMicros, target: { atLeast: 0.95 } });
  const byCpu = benchRow({
    label: `${build}: knoxWebhook / hand-written (CPU)`,
    rounds: perRound(cpuUs['/hand'], cpuUs['/knox'], ratio),
    unit: 'x',
    cpuMicros,
  });
  console.log(
    `hono webhook [${label}]: knoxWebhook ${median(rate['/knox']).toFixed(0)} req/s, hand-written Web Crypto ${median(rate['/hand']).toFixed(0)} req/s, core verifyWebhook by hand ${median(rate['/core']).toFixed(0)} req/s (medians of ${ROUNDS} rounds x ${REQUESTS_PER_ROUND}, ${IN_FLIGHT} in flight, app.fetch in process)`,
  );
  console.log(
    `hono webhook [${label}]: CPU per delivery knoxWebhook ${cpuMicros.subject.toFixed(1)} µs, hand-written ${cpuMicros.baseline.toFixed(1)} µs, core by hand ${median(cpuUs['/core']).toFixed(1)} µs`,
  );
  console.log(
    `hono webhook ratio [${label}] (knoxWebhook / hand-written, median [p10–p90] of rounds): ${formatFigure(byRate)} by req/s (target ${byRate.target}: ${verdict(byRate)}), ${formatFigure(byCpu)} by CPU`,
  );
  console.log(
    `  of which: adapter (knoxWebhook / core verifyWebhook by hand) ${median(ratios.adapter).toFixed(3)}x, core (core verifyWebhook by hand / hand-written) ${median(ratios.core).toFixed(3)}x`,
  );
  printBenchResult(`hono knoxWebhook vs hand-written`, [byRate, byCpu]);
}
