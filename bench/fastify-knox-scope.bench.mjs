// How `request.knox` is filled, measured: the design @knoxcall/fastify ships (a getter that
// builds the view on first access, plus one onRequest hook that only remembers the reply for
// the disconnect abort) versus the classic alternative (`decorateRequest('knox', null)` and an
// onRequest hook that builds the view for every request), on a route that never touches
// `request.knox` and on one that does. Requests per second and the server's CPU time per
// request, same run; a plain app without the plugin is the reference. Short rounds rotate
// the order of the variants (lib/server-rounds.mjs); each ratio of server CPU per request is
// taken within a round and reported as median [p10–p90].
//
// Runs against the BUILT packages: `pnpm build` first. Nothing is gated.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { answerCpuRequests, forkBenchServer } from './lib/bench-server.mjs';
import { benchRow, formatFigure, printBenchResult } from './lib/bench-result.mjs';
import { checkAndWarmUp } from './lib/http-load.mjs';
import { serverRounds } from './lib/server-rounds.mjs';
import { median, perRound, ratio } from './lib/stats.mjs';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
// 16 short rounds of 1250 requests per variant: as many requests as the former 5 x 4000.
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 1250);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 16);

if (process.argv[2] === 'server') {
  await serve();
} else {
  await main();
}

async function serve() {
  const requireFromFastifyPkg = createRequire(fileURLToPath(new URL('../packages/fastify/package.json', import.meta.url)));
  const Fastify = requireFromFastifyPkg('fastify');
  const { knoxCall } = await import(new URL('../packages/fastify/dist/index.js', import.meta.url).href);
  const { KnoxCall } = await import(new URL('../packages/core/dist/index.js', import.meta.url).href);
  const { scopedClientOptions } = await import(new URL('../packages/core/dist/adapter.js', import.meta.url).href);
  // No call is ever made: the routes only build (or skip) the view.
  const client = new KnoxCall({ apiKey: 'kc_bench_not_used', baseUrl: 'http://127.0.0.1:9' });

  const routes = (app) => {
    app.get('/untouched', async () => 'ok');
    app.get('/touched', async (request) => (request.knox ? 'ok' : 'missing'));
  };

  const plain = Fastify();
  plain.get('/untouched', async () => 'ok');

  const getter = Fastify();
  await getter.register(knoxCall, { client });
  routes(getter);

  const eagerHook = Fastify();
  eagerHook.decorate('knox', client);
  eagerHook.decorateRequest('knox', null);
  eagerHook.addHook('onRequest', (request, reply, done) => {
    const controller = new AbortController();
    const res = reply.raw;
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    request.knox = client.withOptions(scopedClientOptions(request.headers, undefined, controller.signal));
    done();
  });
  routes(eagerHook);

  const listen = async (app) => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  };
  answerCpuRequests();
  process.send({ plain: await listen(plain), getter: await listen(getter), eagerHook: await listen(eagerHook) });
}

async function main() {
  const { child, ready: ports } = await forkBenchServer(import.meta.url, ['server']);
  const get = (path) => ({ method: 'GET', path });
  const variants = {
    plain: ['plain app, no plugin', ports.plain, '/untouched'],
    getterUntouched: ['getter (shipped), untouched', ports.getter, '/untouched'],
    eagerUntouched: ['eager onRequest hook, untouched', ports.eagerHook, '/untouched'],
    getterTouched: ['getter (shipped), touched', ports.getter, '/touched'],
    eagerTouched: ['eager onRequest hook, touched', ports.eagerHook, '/touched'],
  };
  try {
    for (const [name, port, path] of Object.values(variants)) {
      await checkAndWarmUp(port, get(path), { what: name, warmUp: 500, concurrency: CONCURRENCY });
    }
    const sides = Object.fromEntries(Object.entries(variants).map(([key, [, port, path]]) => [key, { child, port, request: get(path) }]));
    const measured = await serverRounds({ sides, rounds: ROUNDS, requests: REQUESTS_PER_ROUND, concurrency: CONCURRENCY });
    for (const [key, [name]] of Object.entries(variants)) {
      console.log(
        `fastify request.knox: ${name.padEnd(34)} ${median(measured[key].rate).toFixed(0).padStart(6)} req/s, ${median(measured[key].cpuUs).toFixed(1)} µs CPU/request`,
      );
    }
    // Server CPU per request of a variant over another's, within each round (lower is cheaper).
    const cpuRow = (label, subject, baseline) =>
      benchRow({
        label,
        rounds: perRound(measured[subject].cpuUs, measured[baseline].cpuUs, ratio),
        unit: 'x',
        cpuMicros: { subject: median(measured[subject].cpuUs), baseline: median(measured[baseline].cpuUs) },
      });
    const rows = [
      cpuRow('untouched: getter / eager hook (CPU)', 'getterUntouched', 'eagerUntouched'),
      cpuRow('touched: getter / eager hook (CPU)', 'getterTouched', 'eagerTouched'),
      cpuRow('untouched: getter / plain app (CPU)', 'getterUntouched', 'plain'),
    ];
    for (const row of rows) console.log(`fastify request.knox CPU ratio ${row.label}: ${formatFigure(row)} (lower is cheaper)`);
    printBenchResult('fastify request.knox', rows);
  } finally {
    child.kill();
  }
}
