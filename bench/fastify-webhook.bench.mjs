// Requests per second of a Fastify app verifying KnoxCall deliveries with knoxWebhook versus
// the same app with a hand-written route doing the same work over a buffer parser
// (createHmac + timingSafeEqual, parse, check the envelope timestamp), same payload, same
// run. Prints the ratio; the target is ≥ 0.95×, but nothing is gated.
//
// On a small machine the HTTP load generator can be the bottleneck, which pulls the
// req/s ratio towards 1; so the server's CPU time per request (process.cpuUsage of the app
// process during each round) is compared as well. On a busy machine other processes only
// ever add time, so the best round of each side is printed next to the medians.
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
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

if (process.argv[2] === 'server') {
  await serve();
} else {
  await main();
}

async function serve() {
  const requireFromFastifyPkg = createRequire(fileURLToPath(new URL('../packages/fastify/package.json', import.meta.url)));
  const Fastify = requireFromFastifyPkg('fastify');
  const { knoxWebhook } = await import(new URL('../packages/fastify/dist/index.js', import.meta.url).href);

  const withKnox = Fastify();
  await withKnox.register(knoxWebhook, { path: '/webhooks/knoxcall', secret: SECRET, on: { 'request.success': () => {} } });

  const handWritten = Fastify();
  await handWritten.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/knoxcall', async (request, reply) => {
      const header = request.headers['x-webhook-signature'] ?? '';
      const given = Buffer.from(String(header).replace(/^sha256=/i, '').trim(), 'hex');
      const expected = createHmac('sha256', SECRET).update(request.body).digest();
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        reply.code(401);
        return { error: { type: 'signature_mismatch', message: 'webhook signature verification failed' } };
      }
      const event = JSON.parse(request.body.toString('utf8'));
      if (Math.abs(Date.now() - Date.parse(event.timestamp)) > 300_000) {
        reply.code(401);
        return { error: { type: 'timestamp_out_of_tolerance', message: 'outside the tolerance window' } };
      }
      return { received: true };
    });
  });

  const listen = async (app) => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  };
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
    const knox = [];
    const baseline = [];
    const knoxCpu = [];
    const baselineCpu = [];
    const measured = async (port, rates, cpus) => {
      const before = await serverCpuMicros(child);
      rates.push(await loadRound(port, delivery, REQUESTS_PER_ROUND, CONCURRENCY));
      cpus.push(((await serverCpuMicros(child)) - before) / REQUESTS_PER_ROUND);
    };
    for (let i = 0; i < ROUNDS; i++) {
      await measured(ports.knox, knox, knoxCpu);
      await measured(ports.baseline, baseline, baselineCpu);
    }
    const k = median(knox);
    const b = median(baseline);
    const kc = median(knoxCpu);
    const bc = median(baselineCpu);
    console.log(`fastify webhook: knoxWebhook ${k.toFixed(0)} req/s, hand-written buffer parser + createHmac ${b.toFixed(0)} req/s`);
    console.log(`fastify webhook ratio (knoxWebhook / hand-written): ${(k / b).toFixed(3)}x (target >= 0.95x)`);
    console.log(`fastify webhook server CPU per request: knoxWebhook ${kc.toFixed(1)} µs, hand-written ${bc.toFixed(1)} µs`);
    console.log(`fastify webhook CPU-efficiency ratio (hand-written µs / knoxWebhook µs): ${(bc / kc).toFixed(3)}x (target >= 0.95x)`);
    const best = (values, pick) => values.reduce((a, b) => pick(a, b));
    console.log(
      `fastify webhook best rounds: req/s ratio ${(best(knox, Math.max) / best(baseline, Math.max)).toFixed(3)}x, ` +
        `CPU ratio ${(best(baselineCpu, Math.min) / best(knoxCpu, Math.min)).toFixed(3)}x ` +
        `(${best(knoxCpu, Math.min).toFixed(1)} µs vs ${best(baselineCpu, Math.min).toFixed(1)} µs)`,
    );
  } finally {
    child.kill();
  }
}
