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
import { answerCpuRequests } from './lib/bench-server.mjs';
import { compareWithHandWritten } from './lib/webhook-vs-hand-written.mjs';

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
  await compareWithHandWritten({
    benchUrl: import.meta.url,
    framework: 'express',
    baselineName: 'hand-written raw+HMAC',
    secret: SECRET,
    target: TARGET,
    rounds: ROUNDS,
    requests: REQUESTS_PER_ROUND,
    concurrency: CONCURRENCY,
  });
}
