// Requests per second of an Express app verifying KnoxCall deliveries with knoxWebhook()
// versus the same app with a hand-written express.raw() + createHmac + timingSafeEqual
// handler doing the same work (verify, parse, check the envelope timestamp), same payload,
// same run. Prints the ratio by the server's CPU time per request (target ≥ 0.95×, judged on
// the median of per-round ratios) and by req/s; nothing is gated.
//
// Runs against the BUILT packages: `pnpm build` first. The two apps live in a child process
// (one port each) so the load generator here does not share their event loop; short rounds
// alternate between them (lib/server-rounds.mjs) and each ratio is taken within a round.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { answerCpuRequests, forkBenchServer } from './lib/bench-server.mjs';
import { benchRow, formatFigure, printBenchResult, verdict } from './lib/bench-result.mjs';
import { checkAndWarmUp } from './lib/http-load.mjs';
import { serverRounds } from './lib/server-rounds.mjs';
import { median, perRound, ratio } from './lib/stats.mjs';
import { deliveryBody, signedDelivery } from './lib/webhook-delivery.mjs';

const SECRET = 'whsec_bench_secret';
const TARGET = 0.95;
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
    const sides = { knox: { child, port: ports.knox, request: delivery }, baseline: { child, port: ports.baseline, request: delivery } };
    const { knox, baseline } = await serverRounds({ sides, rounds: ROUNDS, requests: REQUESTS_PER_ROUND, concurrency: CONCURRENCY });
    const cpuMicros = { subject: median(knox.cpuUs), baseline: median(baseline.cpuUs) };
    // By server CPU: requests per CPU-second of knoxWebhook over the hand-written app's, i.e.
    // hand-written µs / knoxWebhook µs per request, within each round.
    const byCpu = benchRow({
      label: 'knoxWebhook / hand-written (server CPU)',
      rounds: perRound(baseline.cpuUs, knox.cpuUs, ratio),
      unit: 'x',
      cpuMicros,
      target: { atLeast: TARGET },
    });
    const byWall = benchRow({ label: 'knoxWebhook / hand-written (req/s)', rounds: perRound(knox.rate, baseline.rate, ratio), unit: 'x', cpuMicros });
    console.log(
      `express webhook (medians of ${ROUNDS} alternating rounds x ${REQUESTS_PER_ROUND} requests, concurrency ${CONCURRENCY}):\n` +
        `  knoxWebhook              ${median(knox.rate).toFixed(0)} req/s wall, ${cpuMicros.subject.toFixed(1)} µs server CPU per request\n` +
        `  hand-written raw+HMAC    ${median(baseline.rate).toFixed(0)} req/s wall, ${cpuMicros.baseline.toFixed(1)} µs server CPU per request`,
    );
    console.log(
      `express webhook ratio (knoxWebhook / hand-written), median [p10–p90] of rounds: ${formatFigure(byCpu)} by server CPU time (target ${byCpu.target}: ${verdict(byCpu)}), ${formatFigure(byWall)} by req/s`,
    );
    printBenchResult('express knoxWebhook vs hand-written', [byCpu, byWall]);
  } finally {
    child.kill();
  }
}
