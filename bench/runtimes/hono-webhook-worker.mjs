// The Hono webhook bench as a Workers-style module, bundled by hono-webhook-runtimes.bench.mjs
// for Bun, Deno and workerd with each runtime's export conditions (so @knoxcall/core resolves
// to the build that runtime's users get). GET /run?rounds=&requests=&inFlight=&warmup= runs
// the measurement inside the runtime — app.fetch in process, no sockets per delivery — and
// answers JSON: per-round deliveries/s of each route and the per-round ratios.
import { verifyWebhook } from '@knoxcall/core/webhooks';
// By path, like the Node bench: the adapter's own hono, so app and middleware share one copy.
import { Hono } from '../../packages/hono/node_modules/hono/dist/index.js';
import { knoxWebhook } from '../../packages/hono/dist/index.js';
import { measureRounds, webhookApps } from '../lib/hono-webhook-apps.mjs';

let sendPromise;

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== '/run') return new Response('not found', { status: 404 });
    const number = (name, fallback) => Number(url.searchParams.get(name) ?? fallback);
    sendPromise ??= webhookApps({ Hono, knoxWebhook, verifyWebhook });
    try {
      const result = await measureRounds({
        send: await sendPromise,
        rounds: number('rounds', 15),
        requests: number('requests', 2000),
        inFlight: number('inFlight', 16),
        warmup: number('warmup', 1000),
        now: clock,
      });
      return Response.json(result);
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};

// Wall time in ms. Cloudflare documents that a Worker's clock (Date.now and performance.now)
// only advances across I/O, as a timing side-channel mitigation; deliveries through
// app.fetch do no I/O, so a round timed without any would read 0 ms there. On workerd each
// reading therefore first crosses an I/O boundary: a setTimeout(0), which returns to the
// event loop (and costs ~0.05 ms on local workerd, negligible next to a round of 100+ ms).
// Checked on the pinned local workerd: its clock does advance during CPU work too, in whole
// milliseconds (performance.now() equals Date.now()), so rounds must last well over 1 ms —
// the bench process prints the round length and compares the summed round time with its
// own outside wall time of /run, which catches a frozen clock. Bun and Deno read the clock
// directly: their setTimeout(0) costs 1-3 ms, which would bias every round.
async function clock() {
  // __BENCH_RUNTIME__ is a constant the bundler defines (bench/hono-webhook-runtimes.bench.mjs).
  if (__BENCH_RUNTIME__ === 'workerd') await new Promise((resolve) => setTimeout(resolve, 0));
  return performance.now();
}
