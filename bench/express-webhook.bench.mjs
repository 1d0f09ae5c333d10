// Requests per second of an Express app verifying KnoxCall deliveries with knoxWebhook()
// versus the same app with a hand-written express.raw() + createHmac + timingSafeEqual
// handler doing the same work (verify, parse, check the envelope timestamp), same payload,
// same run. Prints the ratio; the target is ≥ 0.95×, but nothing is gated.
//
// Runs against the BUILT packages: `pnpm build` first. The two apps live in a child process
// (one port each) so the load generator here does not share their event loop; rounds
// alternate between them and the median of each side is compared.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { answerCpuRequests, forkBenchServer, serverCpuMicros } from './lib/bench-server.mjs';
import { checkAndWarmUp, loadRound } from './lib/http-load.mjs';
import { median } from './lib/stats.mjs';
import { deliveryBody, signedDelivery } from './lib/webhook-delivery.mjs';

const SECRET = 'whsec_bench_secret';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);

if (process.argv[2] === 'server') {
  await serve();
} else {
  await main();
}

async function serve() {
  const requireFromExpressPkg = createRequire(fileURLToPath(new URL('../packages/express/package.json', import.meta.url)));
  const express = requireFromExpressPkg('express');
  const { knoxWebhook } = await import(new URL('../packages/express/dist/index.js', import.meta.url).href);

  const withKnox = express();
  withKnox.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, on: { 'request.success': () => {} } }));

  const handWritten = express();
  handWritten.post('/webhooks/knoxcall', express.raw({ type: 'application/json', limit: '1mb' }), (req, res) => {
    const header = req.get('x-webhook-signature') ?? '';
    const given = Buffer.from(header.replace(/^sha256=/i, '').trim(), 'hex');
    const expected = createHmac('sha256', SECRET).update(req.body).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).json({ error: { type: 'signature_mismatch', message: 'webhook signature verification failed' } });
      return;
    }
    const event = JSON.parse(req.body.toString('utf8'));
    if (Math.abs(Date.now() - Date.parse(event.timestamp)) > 300_000) {
      res.status(401).json({ error: { type: 'timestamp_out_of_tolerance', message: 'outside the tolerance window' } });
      return;
    }
    res.json({ received: true });
  });

  const listen = (app) =>
    new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
    });
  answerCpuRequests();
  process.send({ knox: await listen(withKnox), baseline: await listen(handWritten) });
}

async function main() {
  const { child, ready: ports } = await forkBenchServer(import.meta.url, ['server']);
  const delivery = signedDelivery(deliveryBody(), SECRET);

  try {
    for (const port of [ports.knox, ports.baseline]) {
      await checkAndWarmUp(port, delivery, { what: `app on port ${port}`, warmUp: 500, concurrency: CONCURRENCY });
    }
    // Short rounds in pairs, alternating which side goes first, and the median of the
    // per-pair ratios: a shared machine's load drifts, and this cancels most of it. Besides
    // wall-clock req/s, the server's own CPU time per request gives a CPU-bound req/s that
    // other processes on the machine barely disturb.
    const measure = async (port) => {
      const before = await serverCpuMicros(child);
      const wall = await loadRound(port, delivery, REQUESTS_PER_ROUND, CONCURRENCY);
      const cpuMicros = (await serverCpuMicros(child)) - before;
      return { wall, cpu: REQUESTS_PER_ROUND / (cpuMicros / 1e6) };
    };
    const knox = [];
    const baseline = [];
    const wallRatios = [];
    const cpuRatios = [];
    for (let i = 0; i < ROUNDS; i++) {
      let k;
      let b;
      if (i % 2 === 0) {
        k = await measure(ports.knox);
        b = await measure(ports.baseline);
      } else {
        b = await measure(ports.baseline);
        k = await measure(ports.knox);
      }
      knox.push(k);
      baseline.push(b);
      wallRatios.push(k.wall / b.wall);
      cpuRatios.push(k.cpu / b.cpu);
    }
    const med = (list, key) => median(list.map((x) => x[key])).toFixed(0);
    console.log(
      `express webhook (medians of ${ROUNDS} rounds x ${REQUESTS_PER_ROUND} requests, concurrency ${CONCURRENCY}):\n` +
        `  knoxWebhook              ${med(knox, 'wall')} req/s wall, ${med(knox, 'cpu')} req/s per server CPU-second\n` +
        `  hand-written raw+HMAC    ${med(baseline, 'wall')} req/s wall, ${med(baseline, 'cpu')} req/s per server CPU-second`,
    );
    console.log(
      `express webhook ratio (knoxWebhook / hand-written): ${median(cpuRatios).toFixed(3)}x by server CPU time, ` +
        `${median(wallRatios).toFixed(3)}x by wall clock (target >= 0.95x)`,
    );
  } finally {
    child.kill();
  }
}
