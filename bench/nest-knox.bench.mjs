// Requests per second of a Nest app (Express platform) whose handler takes the request's
// KnoxCall view with @Knox() (with the module's default AsyncLocalStorage scope for getKnox(),
// and with `asyncContext: false`), the same app injecting the REQUEST-scoped
// KNOXCALL_REQUEST_CLIENT, the same app importing KnoxCallModule on a route that never takes
// the view (what the module alone costs: on Node 20 that is the AsyncLocalStorage scope), and
// the same app with no KnoxCall at all, same run. The handlers
// make no KnoxCall call (that would measure the network): they only take the view. Prints
// the ratios; the target is @Knox() within 5% of no KnoxCall (>= 0.95x), but nothing is gated.
//
// Runs against the BUILT packages: `pnpm build` first. Each app runs in its own child process,
// so the load generator here does not share their event loop and the app without KnoxCall
// does not pay for what the others enable process-wide (on Node 20, the AsyncLocalStorage
// behind getKnox() adds a hook to every promise). Rounds rotate the order of the apps and
// the median of the per-round ratios is reported, by wall clock and by each server's own CPU
// time per request (which other processes on the machine barely disturb).
// BENCH_PLATFORM=fastify runs the same apps on Nest's Fastify platform.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { answerCpuRequests, forkBenchServer, serverCpuMicros } from './lib/bench-server.mjs';
import { checkAndWarmUp, loadRound } from './lib/http-load.mjs';
import { median } from './lib/stats.mjs';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const PLATFORM = process.env.BENCH_PLATFORM === 'fastify' ? 'fastify' : 'express';

if (process.argv[2] === 'server') {
  await serve(process.argv[3]);
} else {
  await main();
}

async function serve(variant) {
  const requireFromNest = createRequire(fileURLToPath(new URL('../packages/nest/package.json', import.meta.url)));
  const load = (name) => import(pathToFileURL(requireFromNest.resolve(name)).href);
  await load('reflect-metadata');
  const { Controller, Get, Inject, Module } = await load('@nestjs/common');
  const { NestFactory } = await load('@nestjs/core');
  const { KnoxCall } = await import(new URL('../packages/core/dist/index.js', import.meta.url).href);
  const { KNOXCALL_REQUEST_CLIENT, Knox, KnoxCallModule } = await import(new URL('../packages/nest/dist/index.js', import.meta.url).href);
  const adapter = async () => {
    if (PLATFORM === 'express') return new (await load('@nestjs/platform-express')).ExpressAdapter();
    return new (await load('@nestjs/platform-fastify')).FastifyAdapter();
  };
  // No KnoxCall call is made; the client only builds views.
  const client = new KnoxCall({ baseUrl: 'http://127.0.0.1:9', apiKey: 'kc_bench_unused_key' });

  // Plain JavaScript: decorators applied by hand, exactly as TypeScript's legacy decorators would.
  const decorateMethod = (cls, name, ...decorators) => {
    const descriptor = Object.getOwnPropertyDescriptor(cls.prototype, name);
    for (const decorate of decorators.reverse()) decorate(cls.prototype, name, descriptor);
  };

  class BaselineController {
    hello() {
      return { ok: true };
    }
  }
  decorateMethod(BaselineController, 'hello', Get('hello'));
  Controller()(BaselineController);

  class DecoratorController {
    hello(knox) {
      return { ok: typeof knox === 'object' };
    }
  }
  decorateMethod(DecoratorController, 'hello', Get('hello'));
  Knox()(DecoratorController.prototype, 'hello', 0);
  Controller()(DecoratorController);

  class RequestClientController {
    constructor(knox) {
      this.knox = knox;
    }
    hello() {
      return { ok: typeof this.knox === 'object' };
    }
  }
  decorateMethod(RequestClientController, 'hello', Get('hello'));
  Inject(KNOXCALL_REQUEST_CLIENT)(RequestClientController, undefined, 0);
  Controller()(RequestClientController);

  const moduleWith = (controller, imports) => {
    class AppModule {}
    Module({ imports, controllers: [controller] })(AppModule);
    return AppModule;
  };
  const listen = async (appModule) => {
    const app = await NestFactory.create(appModule, await adapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    return app.getHttpServer().address().port;
  };
  const apps = {
    baseline: () => moduleWith(BaselineController, []),
    decorator: () => moduleWith(DecoratorController, [KnoxCallModule.forRoot({ client })]),
    decoratorNoContext: () => moduleWith(DecoratorController, [KnoxCallModule.forRoot({ client, asyncContext: false })]),
    requestClient: () => moduleWith(RequestClientController, [KnoxCallModule.forRoot({ client })]),
    // KnoxCallModule imported, but the route never takes the view: what the module alone costs.
    moduleOnly: () => moduleWith(BaselineController, [KnoxCallModule.forRoot({ client })]),
  };
  process.send({ port: await listen(apps[variant]()) });
  answerCpuRequests();
}

async function main() {
  const sides = ['baseline', 'decorator', 'decoratorNoContext', 'requestClient', 'moduleOnly'];
  const children = {};
  const ports = {};
  for (const side of sides) {
    const { child, ready } = await forkBenchServer(import.meta.url, ['server', side]);
    children[side] = child;
    ports[side] = ready.port;
  }
  // The same request every time: a request id and trace context, as a traced app receives.
  const hello = {
    method: 'GET',
    path: '/hello',
    headers: { 'x-request-id': 'req-bench', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  };
  try {
    for (const side of sides) {
      await checkAndWarmUp(ports[side], hello, { what: `${side} app`, warmUp: 1000, concurrency: CONCURRENCY });
    }
    const measure = async (side) => {
      const before = await serverCpuMicros(children[side]);
      const wall = await loadRound(ports[side], hello, REQUESTS_PER_ROUND, CONCURRENCY);
      const cpuMicros = (await serverCpuMicros(children[side])) - before;
      return { wall, cpu: REQUESTS_PER_ROUND / (cpuMicros / 1e6) };
    };
    const results = Object.fromEntries(sides.map((side) => [side, []]));
    const ratios = Object.fromEntries(sides.slice(1).map((side) => [side, { wall: [], cpu: [] }]));
    for (let i = 0; i < ROUNDS; i++) {
      const order = sides.map((_, j) => sides[(i + j) % sides.length]);
      const round = {};
      for (const side of order) round[side] = await measure(side);
      for (const side of sides) results[side].push(round[side]);
      for (const side of sides.slice(1)) {
        ratios[side].wall.push(round[side].wall / round.baseline.wall);
        ratios[side].cpu.push(round[side].cpu / round.baseline.cpu);
      }
    }
    const med = (side, key) => median(results[side].map((x) => x[key])).toFixed(0);
    const line = (label, side) => `  ${label.padEnd(26)} ${med(side, 'wall')} req/s wall, ${med(side, 'cpu')} req/s per server CPU-second`;
    console.log(
      `nest (${PLATFORM}) request scope (medians of ${ROUNDS} rounds x ${REQUESTS_PER_ROUND} requests, concurrency ${CONCURRENCY}):\n` +
        `${line('no KnoxCall', 'baseline')}\n${line('@Knox()', 'decorator')}\n${line('@Knox(), asyncContext: false', 'decoratorNoContext')}\n` +
        `${line('KNOXCALL_REQUEST_CLIENT', 'requestClient')}\n${line('module, route without @Knox()', 'moduleOnly')}`,
    );
    for (const [side, label, target] of [
      ['decorator', '@Knox()', ' (target >= 0.95x)'],
      ['decoratorNoContext', '@Knox() with asyncContext: false', ' (target >= 0.95x)'],
      ['requestClient', 'KNOXCALL_REQUEST_CLIENT', ''],
      ['moduleOnly', 'module imported, route without @Knox()', ''],
    ]) {
      console.log(
        `nest ${label} / no KnoxCall: ${median(ratios[side].cpu).toFixed(3)}x by server CPU time, ${median(ratios[side].wall).toFixed(3)}x by wall clock${target}`,
      );
    }
  } finally {
    for (const child of Object.values(children)) child.kill();
  }
}
