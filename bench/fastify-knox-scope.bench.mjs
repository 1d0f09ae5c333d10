// How `request.knox` is filled, measured: the design @knoxcall/fastify ships (a getter that
// builds the view on first access, plus one onRequest hook that only remembers the reply for
// the disconnect abort) versus the classic alternative (`decorateRequest('knox', null)` and an
// onRequest hook that builds the view for every request), on a route that never touches
// `request.knox` and on one that does. Requests per second and the server's CPU time per
// request, same run; a plain app without the plugin is the reference.
//
// Runs against the BUILT packages: `pnpm build` first. Nothing is gated.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { answerCpuRequests, forkBenchServer, serverCpuMicros } from './lib/bench-server.mjs';
import { checkAndWarmUp, loadRound } from './lib/http-load.mjs';
import { median } from './lib/stats.mjs';

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
  const variants = [
    ['plain app, no plugin', ports.plain, '/untouched'],
    ['getter (shipped), untouched', ports.getter, '/untouched'],
    ['eager onRequest hook, untouched', ports.eagerHook, '/untouched'],
    ['getter (shipped), touched', ports.getter, '/touched'],
    ['eager onRequest hook, touched', ports.eagerHook, '/touched'],
  ];
  try {
    for (const [name, port, path] of variants) {
      await checkAndWarmUp(port, get(path), { what: name, warmUp: 500, concurrency: CONCURRENCY });
    }
    const results = variants.map(() => ({ rates: [], cpus: [] }));
    for (let i = 0; i < ROUNDS; i++) {
      for (const [index, [, port, path]] of variants.entries()) {
        const before = await serverCpuMicros(child);
        results[index].rates.push(await loadRound(port, get(path), REQUESTS_PER_ROUND, CONCURRENCY));
        results[index].cpus.push(((await serverCpuMicros(child)) - before) / REQUESTS_PER_ROUND);
      }
    }
    const summary = results.map(({ rates, cpus }) => ({ rate: median(rates), cpu: median(cpus) }));
    for (const [index, [name]] of variants.entries()) {
      console.log(`fastify request.knox: ${name.padEnd(34)} ${summary[index].rate.toFixed(0).padStart(6)} req/s, ${summary[index].cpu.toFixed(1)} µs CPU/request`);
    }
    const ratio = (a, b) => (summary[a].cpu / summary[b].cpu).toFixed(3);
    console.log(`fastify request.knox CPU ratio untouched (getter / eager hook): ${ratio(1, 2)}x (lower is cheaper)`);
    console.log(`fastify request.knox CPU ratio touched (getter / eager hook): ${ratio(3, 4)}x (lower is cheaper)`);
  } finally {
    child.kill();
  }
}
