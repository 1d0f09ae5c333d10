// Requests per second of a Nest app (Express platform) whose handler takes the request's
// KnoxCall view with @Knox() (with the module's default AsyncLocalStorage scope for getKnox(),
// and with `asyncContext: false`), the same app injecting the REQUEST-scoped
// KNOXCALL_REQUEST_CLIENT, the same app importing KnoxCallModule on a route that never takes
// the view (what the module alone costs: on Node 20 that is the AsyncLocalStorage scope), and
// the same app with no KnoxCall at all, same run. The handlers make no KnoxCall call (that
// would measure the network): they only take the view. Prints the ratios; the target is
// @Knox() within 5% of no KnoxCall (>= 0.95x), but nothing is gated.
//
// Reference apps without any KnoxCall show what is inherent and not KnoxCall's (and a second
// copy of the baseline app shows the run's own noise: read every ratio against its distance
// from 1.000x):
// - a handler taking `@Req()`: any handler parameter sends Nest down its param/pipes path,
//   which a parameterless handler skips — @Knox() is a parameter, so it pays this too;
// - a bare AsyncLocalStorage `run()` middleware (a preHandler hook on Fastify) ahead of the
//   routes: on Node 20 an active AsyncLocalStorage adds a hook to every promise, the price
//   of getKnox() working by default (Node 22+/24's AsyncContextFrame removes it);
// - both together: the floor for @Knox() with the default asyncContext. "@Knox() / floor"
//   is then what building and handing over the view itself costs.
//
// Runs against the BUILT packages: `pnpm build` first. Each app runs in its own child process,
// so the load generator here does not share their event loop and the app without KnoxCall
// does not pay for what the others enable process-wide. Rounds rotate the order of the
// apps; each ratio (by wall clock, and by each server's own CPU time per request, which
// other processes disturb less) is taken within a round, and the per-round ratios are
// summarised as median [min–max].
// BENCH_PLATFORM=fastify runs the same apps on Nest's Fastify platform; BENCH_REQUESTS,
// BENCH_ROUNDS and BENCH_CONCURRENCY tune the load; BENCH_APPS=decorator,floor (names from
// APPS below) runs only those next to the baseline.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { answerCpuRequests, forkBenchServer, serverCpuMicros } from './lib/bench-server.mjs';
import { checkAndWarmUp, loadRound } from './lib/http-load.mjs';
import { median } from './lib/stats.mjs';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const REQUESTS_PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const PLATFORM = process.env.BENCH_PLATFORM === 'fastify' ? 'fastify' : 'express';

// [app, label, target]: the first is the baseline every ratio divides by.
const APPS = [
  ['baseline', 'no KnoxCall'],
  ['decorator', '@Knox()', ' (target >= 0.95x)'],
  ['decoratorNoContext', '@Knox(), asyncContext: false', ' (target >= 0.95x)'],
  ['requestClient', 'KNOXCALL_REQUEST_CLIENT'],
  ['moduleOnly', 'module, route without @Knox()'],
  ['baselineCopy', 'ref: no KnoxCall, 2nd process'],
  ['reqParam', 'ref: @Req() param, no KnoxCall'],
  ['asyncScope', 'ref: bare ALS run(), no KnoxCall'],
  ['floor', 'ref: @Req() + ALS run()'],
];

if (process.argv[2] === 'server') {
  await serve(process.argv[3]);
} else {
  await main();
}

async function serve(variant) {
  const requireFromNest = createRequire(fileURLToPath(new URL('../packages/nest/package.json', import.meta.url)));
  const load = (name) => import(pathToFileURL(requireFromNest.resolve(name)).href);
  await load('reflect-metadata');
  const { Controller, Get, Inject, Module, Req } = await load('@nestjs/common');
  const { AsyncLocalStorage } = await import('node:async_hooks');
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

  // Reference: no KnoxCall, but a handler parameter (Nest's param pipeline, as for @Knox()).
  class ReqParamController {
    hello(req) {
      return { ok: typeof req === 'object' };
    }
  }
  decorateMethod(ReqParamController, 'hello', Get('hello'));
  Req()(ReqParamController.prototype, 'hello', 0);
  Controller()(ReqParamController);

  // Reference: no KnoxCall, but every request runs inside an AsyncLocalStorage scope, entered
  // where the module enters its own (an Express middleware, a Fastify preHandler hook).
  const storage = new AsyncLocalStorage();
  const withAsyncScope = (instance) => {
    if (PLATFORM === 'express') instance.use((req, _res, next) => storage.run({ req }, next));
    else instance.addHook('preHandler', (request, _reply, done) => storage.run({ req: request }, done));
  };

  const moduleWith = (controller, imports) => {
    class AppModule {}
    Module({ imports, controllers: [controller] })(AppModule);
    return AppModule;
  };
  const listen = async (appModule, beforeListen) => {
    const app = await NestFactory.create(appModule, await adapter(), { logger: false });
    beforeListen?.(app.getHttpAdapter().getInstance());
    await app.listen(0, '127.0.0.1');
    return app.getHttpServer().address().port;
  };
  const apps = {
    baseline: () => moduleWith(BaselineController, []),
    // The baseline app again in its own process: its ratio (ideally 1.000x) shows how far
    // the machine's noise and the measuring order move a ratio in this run.
    baselineCopy: () => moduleWith(BaselineController, []),
    decorator: () => moduleWith(DecoratorController, [KnoxCallModule.forRoot({ client })]),
    decoratorNoContext: () => moduleWith(DecoratorController, [KnoxCallModule.forRoot({ client, asyncContext: false })]),
    requestClient: () => moduleWith(RequestClientController, [KnoxCallModule.forRoot({ client })]),
    // KnoxCallModule imported, but the route never takes the view: what the module alone costs.
    moduleOnly: () => moduleWith(BaselineController, [KnoxCallModule.forRoot({ client })]),
    reqParam: () => moduleWith(ReqParamController, []),
    asyncScope: () => moduleWith(BaselineController, []),
    floor: () => moduleWith(ReqParamController, []),
  };
  const scoped = variant === 'asyncScope' || variant === 'floor';
  process.send({ port: await listen(apps[variant](), scoped ? withAsyncScope : undefined) });
  answerCpuRequests();
}

async function main() {
  // BENCH_APPS=decorator,floor runs only those (and the baseline), for a longer look at a few.
  const only = process.env.BENCH_APPS?.split(',');
  const apps = APPS.filter(([side], i) => i === 0 || only === undefined || only.includes(side));
  const sides = apps.map(([side]) => side);
  const labels = Object.fromEntries(apps.map(([side, label]) => [side, label]));
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
      await checkAndWarmUp(ports[side], hello, { what: `${side} app`, warmUp: 2000, concurrency: CONCURRENCY });
    }
    const measure = async (side) => {
      const before = await serverCpuMicros(children[side]);
      const wall = await loadRound(ports[side], hello, REQUESTS_PER_ROUND, CONCURRENCY);
      const cpuMicros = (await serverCpuMicros(children[side])) - before;
      return { wall, cpu: REQUESTS_PER_ROUND / (cpuMicros / 1e6) };
    };
    // Every app is measured once per round, in an order that rotates from round to round,
    // and each ratio is taken within a round. (Measuring the baseline between every two apps
    // instead was tried: the baseline process, run twice as often, stays warmer, and a second
    // copy of it read ~0.9x.)
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round = {};
      for (let j = 0; j < sides.length; j++) {
        const side = sides[(i + j) % sides.length];
        round[side] = await measure(side);
      }
      rounds.push(round);
    }
    const ratios = (side, over, key) => rounds.map((round) => round[side][key] / round[over][key]);
    const summary = (values) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `${median(values).toFixed(3)}x [${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)}]`;
    };
    const med = (side, key) => median(rounds.map((round) => round[side][key])).toFixed(0);
    console.log(
      `nest (${PLATFORM}) request scope, node ${process.versions.node} (medians of ${ROUNDS} rounds x ${REQUESTS_PER_ROUND} requests per app, concurrency ${CONCURRENCY}):`,
    );
    for (const side of sides) {
      console.log(`  ${labels[side].padEnd(34)} ${med(side, 'wall').padStart(6)} req/s wall, ${med(side, 'cpu').padStart(6)} req/s per server CPU-second`);
    }
    console.log('ratio to no KnoxCall within each round: median [min–max], by server CPU time | by wall clock');
    const results = [];
    for (const [side, label, target = ''] of apps.slice(1)) {
      const cpu = ratios(side, 'baseline', 'cpu');
      console.log(`  ${label.padEnd(34)} ${summary(cpu)} | ${summary(ratios(side, 'baseline', 'wall'))}${target}`);
      results.push({ label: `nest ${PLATFORM} ${label} / no KnoxCall (CPU)`, value: Number(median(cpu).toFixed(3)), unit: 'x', ...(target ? { target: '>= 0.95x', met: median(cpu) >= 0.95 } : {}) });
    }
    // What KnoxCall itself adds on top of what any parameter plus any AsyncLocalStorage costs.
    if (!sides.includes('decorator') || !sides.includes('floor')) {
      console.log(`BENCH_RESULT ${JSON.stringify({ name: `nest @Knox() (${PLATFORM})`, results })}`);
      return;
    }
    const own = ratios('decorator', 'floor', 'cpu');
    console.log(`  ${'@Knox() / ref: @Req() + ALS run()'.padEnd(34)} ${summary(own)} | ${summary(ratios('decorator', 'floor', 'wall'))}`);
    results.push({ label: `nest ${PLATFORM} @Knox() / @Req() + ALS run() (CPU)`, value: Number(median(own).toFixed(3)), unit: 'x' });
    console.log(`BENCH_RESULT ${JSON.stringify({ name: `nest @Knox() (${PLATFORM})`, results })}`);
  } finally {
    for (const child of Object.values(children)) child.kill();
  }
}
