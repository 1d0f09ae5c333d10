// `pnpm demo`: every example app against the bundled KnoxCall emulator, end to end.
//
// It starts the emulator (a tenant with an OAuth client, one route per example to a local
// upstream whose API key only KnoxCall holds, one webhook subscription per example, each in
// another signature format), starts the example apps in this process on free ports, then for
// each app: calls it (the app calls the upstream through KnoxCall with its request-scoped
// client), waits for the signed `request.completed` webhook the emulator sends back to the
// app, and sends one tampered delivery that must be refused with 401. The Express example also
// calls a local fake of the Stripe API through the real Stripe SDK with req.knox.wrap.fetch():
// an intercept-enabled route injects the Stripe key, which the app never holds. Exit code 0 only when
// every check passed. `--keep` leaves everything running and prints the URLs (Ctrl-C stops).
//
// Runs against the BUILT packages (`pnpm demo` passes --build: scripts/demo-build.mjs builds
// their JavaScript first, quietly, without declaration files). Everything listens on
// 127.0.0.1, on ports the OS picks, so it can run next to the test suite.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildForDemo } from './demo-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: node scripts/demo.mjs [--build] [--keep] [--timeout SECONDS]
  --build              build what the demo runs first (JavaScript only, turbo-cached, quiet unless it fails)
  --keep               leave the emulator and the example apps running and print their URLs (Ctrl-C stops)
  --timeout SECONDS    fail when the checks take longer (default 60)`;
let keep = false;
let build = false;
/** Whole-run bound: a demo that hangs fails instead (CI runs it as its last test). */
let TIMEOUT_MS = 60_000;
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--keep') keep = true;
  else if (arg === '--build') build = true;
  else if (arg === '--timeout' && Number(process.argv[i + 1]) > 0) TIMEOUT_MS = Number(process.argv[++i]) * 1000;
  else {
    console.log(USAGE);
    process.exit(arg === '--help' ? 0 : 2);
  }
}
/** Bound of any single HTTP exchange the demo makes. */
const STEP_TIMEOUT_MS = 10_000;

/** One row per example: the webhook signature format it is configured with differs for each. */
const FRAMEWORKS = [
  { name: 'express', format: 'legacy', accessor: 'req.knox', sdk: 'stripe' },
  { name: 'fastify', format: 'stripe', accessor: 'request.knox' },
  { name: 'hono', format: 'github', accessor: 'c.var.knox' },
  { name: 'nest', format: 'slack', accessor: '@Knox() knox' },
];

// ── output ────────────────────────────────────────────────────────────────────────────────
const color = process.stdout.isTTY && !('NO_COLOR' in process.env);
const paint = (code) => (text) => (color ? `\x1b[${code}m${text}\x1b[0m` : String(text));
const green = paint(32);
const red = paint(31);
const yellow = paint(33);
const dim = paint(2);
const bold = paint(1);
const OK = green('✔');
const FAIL = red('✘');
if (build) {
  // Before the watchdog starts: the timeout bounds the checks, not a first (uncached) build.
  try {
    console.log(dim(`${'build'.padStart(6)}  building the packages and example apps (about a minute on a first run; cached afterwards)…`));
    console.log(dim(`${'build'.padStart(6)}  ${await buildForDemo(root)}`));
  } catch (error) {
    console.error(`\n${FAIL} ${red('demo failed')}: ${error.message}`);
    process.exit(1);
  }
}
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
let currentStep = 'starting';
const step = (label, text) => {
  currentStep = `${label}: ${text}`;
  console.log(`${dim(elapsed().padStart(6))}  ${bold(label.padEnd(8))} ${text}`);
};

// ── lifetime: cleanup on every exit path ──────────────────────────────────────────────────
const cleanups = [];
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      await Promise.race([
        Promise.resolve()
          .then(fn)
          .catch((e) => console.error(dim(`  (cleanup: ${e?.message ?? e})`))),
        new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
      ]);
    }
  })();
  return cleaning;
}
async function finish(code) {
  await cleanup();
  process.exit(code);
}
const watchdog = setTimeout(() => {
  console.error(`\n${FAIL} ${red(`demo timed out after ${TIMEOUT_MS / 1000} s`)} while ${currentStep}`);
  // The cleanup gets a few seconds; then the process exits whatever still hangs.
  setTimeout(() => process.exit(1), 3_000).unref();
  finish(1);
}, TIMEOUT_MS);
// Deliberately not unref()'d: an await that hangs with no I/O pending must end as a timeout
// failure, not as a silent exit with code 0 once the event loop is empty.
process.on('unhandledRejection', (error) => {
  console.error(`\n${FAIL} ${red('demo failed')} while ${currentStep}:\n  ${error?.stack ?? error}`);
  finish(1);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(dim(`\n${signal}: stopping…`));
    finish(keep && runFailures === 0 ? 0 : 130);
  });
}
let runFailures = -1; // set once the checks ran

// ── the built packages ────────────────────────────────────────────────────────────────────
async function importBuilt(relative, what) {
  const file = join(root, relative);
  if (!existsSync(file)) throw new Error(`${what} is not built (${relative} missing): run \`pnpm build\` (or \`pnpm demo\`, which builds first)`);
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(`${what} could not load a dependency — is every workspace package built? Run \`pnpm build\`.\n  ${error.message}`);
  }
}

// ── the upstream API: its key is stored in KnoxCall, never in the example apps ─────────────
async function startUpstream(apiKey) {
  const seen = new Map(); // x-request-id → the Authorization header the upstream received
  const server = createServer((req, res) => {
    const requestId = req.headers['x-request-id'];
    if (typeof requestId === 'string') seen.set(requestId, req.headers.authorization ?? null);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ message: 'hello from the upstream', authorized: req.headers.authorization === `Bearer ${apiKey}` }));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

// ── a fake of the Stripe API: what the real Stripe SDK in the Express example talks to ──────
async function startFakeStripe(apiKey) {
  const seen = new Map(); // x-request-id → the Authorization header it received
  const server = createServer((req, res) => {
    const requestId = req.headers['x-request-id'];
    if (typeof requestId === 'string') seen.set(requestId, req.headers.authorization ?? null);
    res.setHeader('content-type', 'application/json');
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }));
      return;
    }
    res.end(JSON.stringify({ object: 'list', url: '/v1/charges', has_more: false, data: [{ id: 'ch_demo_1', object: 'charge', amount: 4200 }] }));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ── one example: the three checks ─────────────────────────────────────────────────────────
async function checkExample(ctx, fw) {
  const row = { name: fw.name, format: fw.format, call: '—', sdk: '—', webhook: '—', tampered: '—', latency: '—', ok: false, problems: [] };
  const problem = (text) => {
    row.problems.push(text);
    step(fw.name, `${FAIL} ${text}`);
  };

  // 1. A proxied call through the app's request-scoped client.
  const requestId = `demo-${fw.name}-${randomBytes(4).toString('hex')}`;
  step(fw.name, `GET ${fw.url}/api/hello  → ${fw.accessor}.call('${fw.route}')`);
  const t0 = performance.now();
  const response = await fetch(`${fw.url}/api/hello`, { headers: { 'x-request-id': requestId }, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
  const text = await response.text();
  const latency = performance.now() - t0;
  row.call = String(response.status);
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const upstreamSaw = ctx.upstream.seen.get(requestId);
  if (response.status !== 200) problem(`the call answered ${response.status}: ${text.slice(0, 200)}`);
  else if (body?.upstream?.authorized !== true) problem(`the upstream did not get its API key: ${text.slice(0, 200)}`);
  else if (upstreamSaw === undefined) problem("the caller's x-request-id did not reach the upstream (the request-scoped client should forward it)");
  else if (upstreamSaw !== `Bearer ${ctx.upstreamKey}`) problem('the upstream got a request without its key');
  else if (text.includes(ctx.upstreamKey)) problem("the upstream's API key reached the caller");
  else {
    row.callOk = true;
    step(fw.name, `${OK} ${response.status} in ${latency.toFixed(0)} ms: KnoxCall injected the upstream key (the app never held it), x-request-id forwarded`);
    // The first call also minted the app's OAuth token; the median of a few more is the
    // steady-state cost of a call through the app, KnoxCall and the upstream.
    const warm = [];
    for (let i = 0; i < 5; i++) {
      const w0 = performance.now();
      const again = await fetch(`${fw.url}/api/hello`, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
      await again.arrayBuffer();
      warm.push(performance.now() - w0);
      if (again.status !== 200) {
        problem(`a repeated call answered ${again.status}`);
        break;
      }
    }
    warm.sort((a, b) => a - b);
    row.latency = `${latency.toFixed(0)} ms first, ${warm[Math.floor(warm.length / 2)].toFixed(1)} ms warm`;
  }
  if (row.latency === '—') row.latency = `${latency.toFixed(0)} ms`;

  // 1b. A provider's real SDK through the request's wrap.fetch() (the Express example: Stripe).
  if (fw.sdk === 'stripe') {
    const sdkRequestId = `demo-${fw.name}-sdk-${randomBytes(4).toString('hex')}`;
    step(fw.name, `GET ${fw.url}/api/charges  → new Stripe(…, { httpClient: createFetchHttpClient(${fw.accessor}.wrap.fetch()) })`);
    const sdkResponse = await fetch(`${fw.url}/api/charges`, { headers: { 'x-request-id': sdkRequestId }, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
    const sdkText = await sdkResponse.text();
    row.sdk = `${sdkResponse.status} stripe`;
    const stripeSaw = ctx.stripe.seen.get(sdkRequestId);
    if (sdkResponse.status !== 200 || !sdkText.includes('ch_demo_1')) problem(`the Stripe SDK call answered ${sdkResponse.status}: ${sdkText.slice(0, 200)}`);
    else if (stripeSaw !== `Bearer ${ctx.stripeKey}`) problem("the fake Stripe API did not get the key KnoxCall holds, or not the caller's x-request-id");
    else if (sdkText.includes(ctx.stripeKey)) problem('the Stripe key reached the caller');
    else {
      row.sdkOk = true;
      step(fw.name, `${OK} the Stripe SDK listed charges through the intercept-enabled route: KnoxCall injected the Stripe key, x-request-id forwarded`);
    }
  }

  // 2. The signed webhook the emulator sends back for that call (format per app).
  await withTimeout(ctx.emulator.idle(), STEP_TIMEOUT_MS, 'the webhook delivery');
  const delivered = fw.events.find((e) => e.event === 'request.completed' && e.data?.route_name === fw.routeName);
  // One delivery per call made above; the emulator logs how the app answered each.
  const logs = await ctx.client.webhooks.getLogs(fw.webhookId);
  const refused = logs.data.find((log) => log.response_status !== 200);
  const lastStatus = (refused ?? logs.data[0])?.response_status ?? null;
  if (delivered && logs.data.length > 0 && refused === undefined) {
    row.webhookOk = true;
    row.webhook = `${lastStatus} ${fw.format}`;
    step(fw.name, `${OK} signed request.completed webhook (${fw.format} format) verified and accepted`);
  } else {
    row.webhook = `${lastStatus ?? 'none'} ${fw.format}`;
    problem(
      delivered
        ? `the app got the event but answered ${lastStatus}`
        : `no verified request.completed event reached the app (the emulator's delivery got ${lastStatus ?? 'no answer'}${(refused ?? logs.data[0])?.error_message ? `: ${(refused ?? logs.data[0]).error_message}` : ''})`,
    );
  }

  // 3. A tampered delivery: signed with the right secret, then one byte changed.
  const before = fw.events.length;
  const tampered = await ctx.deliverWebhook(`${fw.url}/webhooks/knoxcall`, {
    event: {
      event: 'request.completed',
      webhook_id: fw.webhookId,
      data: {
        route_id: 'r',
        route_name: fw.routeName,
        environment: null,
        request: { method: 'GET', path: '/hello', ip: null },
        response: { status: 200, latency_ms: 1 },
      },
    },
    secret: fw.webhookSecret,
    format: fw.format,
    tamper: true,
    timeoutMs: STEP_TIMEOUT_MS,
  });
  row.tampered = String(tampered.status);
  if (tampered.status === 401 && fw.events.length === before) {
    row.tamperedOk = true;
    step(fw.name, `${OK} tampered delivery refused with 401`);
  } else {
    problem(`a tampered delivery was answered ${tampered.status} (expected 401)${fw.events.length !== before ? ' and reached the handler' : ''}`);
  }
  row.ok = row.problems.length === 0;
  return row;
}

function printTable(rows) {
  const header = ['framework', 'call', 'provider SDK', 'webhook (format)', 'tampered', 'latency', 'result'];
  const cells = rows.map((r) =>
    r.skipped
      ? [r.name, '—', '—', '—', '—', '—', `skipped: ${r.skipped}`]
      : [
          r.name,
          `${r.call} ${r.callOk ? '✔' : '✘'}`,
          r.sdk === '—' ? '—' : `${r.sdk} ${r.sdkOk ? '✔' : '✘'}`,
          `${r.webhook} ${r.webhookOk ? '✔' : '✘'}`,
          `${r.tampered} ${r.tamperedOk ? '✔' : '✘'}`,
          r.latency,
          r.ok ? 'ok' : 'FAILED',
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => ` ${c.map((v, i) => v.padEnd(widths[i])).join('   ')}`;
  console.log(`\n${bold(line(header))}`);
  console.log(dim(` ${widths.map((w) => '─'.repeat(w)).join('   ')}`));
  for (const [i, c] of cells.entries()) {
    const r = rows[i];
    const text = line(c);
    console.log(r.skipped ? yellow(text) : r.ok ? text : red(text));
  }
}

// ── main ──────────────────────────────────────────────────────────────────────────────────
async function main() {
  step('demo', 'loading the built packages');
  const { startEmulator, deliverWebhook } = await importBuilt('packages/testing/dist/index.js', '@knoxcall/testing');
  const { KnoxCall } = await importBuilt('packages/core/dist/index.js', '@knoxcall/core');

  const frameworks = [];
  const rows = [];
  for (const fw of FRAMEWORKS) {
    const dir = `examples/${fw.name}`;
    if (!existsSync(join(root, dir, 'package.json'))) {
      rows.push({ name: fw.name, skipped: 'adapter not available', ok: true });
      continue;
    }
    const { name, main } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const module = await importBuilt(join(dir, main ?? 'dist/index.js'), name);
    if (typeof module.startServer !== 'function') throw new Error(`${name} (${dir}) exports no startServer(options)`);
    frameworks.push({
      ...fw,
      module,
      route: `demo-${fw.name}`,
      routeName: `Demo upstream (${fw.name})`,
      webhookId: randomUUID(),
      webhookSecret: `whsec_demo_${randomBytes(18).toString('hex')}`,
      events: [],
    });
  }

  const upstreamKey = `sk_demo_${randomBytes(12).toString('hex')}`;
  const upstream = await startUpstream(upstreamKey);
  cleanups.push(() => upstream.close());
  step('upstream', `an API on ${upstream.url} that wants Authorization: Bearer sk_demo_… (stored only in KnoxCall)`);

  const stripeKey = `sk_test_demo_${randomBytes(12).toString('hex')}`;
  const stripe = await startFakeStripe(stripeKey);
  cleanups.push(() => stripe.close());
  step('stripe', `a fake Stripe API on ${stripe.url} (its key is stored only in KnoxCall)`);

  const clientId = 'kc_client_demo';
  const clientSecret = `kcs_${randomBytes(18).toString('hex')}`;
  const emulator = await startEmulator({
    seed: {
      tenant: 'demo',
      oauth_clients: [{ client_id: clientId, client_secret: clientSecret }],
      secrets: [
        { name: 'upstream_api_key', value: upstreamKey },
        { name: 'stripe_api_key', value: stripeKey },
      ],
      routes: [
        ...frameworks.map((fw) => ({
          name: fw.routeName,
          slug: fw.route,
          target_base_url: upstream.url,
          inject_headers_json: { Authorization: 'Bearer {{secret:upstream_api_key}}' },
        })),
        // Listed in the intercept manifest: wrap.fetch({ routes: 'auto' }) sends Stripe SDK calls through it.
        {
          name: 'Stripe (demo)',
          slug: 'demo-stripe',
          target_base_url: stripe.url,
          intercept_enabled: true,
          inject_headers_json: { Authorization: 'Bearer {{secret:stripe_api_key}}' },
        },
      ],
      // Disabled until the app listens; its URL and route filter are set through the API below.
      webhooks: frameworks.map((fw) => ({
        id: fw.webhookId,
        name: `example-${fw.name}`,
        url: 'http://127.0.0.1:9/',
        event_types: ['request.completed'],
        secret_key: fw.webhookSecret,
        hmac_format: fw.format,
        enabled: false,
      })),
    },
  });
  cleanups.push(() => emulator.close());
  step('knoxcall', `emulator on ${emulator.url}: tenant "demo", OAuth client ${clientId}, ${frameworks.length} routes, ${frameworks.length} webhooks`);

  const knoxcall = { baseUrl: emulator.url, proxyBaseUrl: emulator.proxyUrl, clientId, clientSecret };
  const client = new KnoxCall(knoxcall);
  cleanups.push(() => client.close());

  for (const fw of frameworks) {
    const running = await withTimeout(
      fw.module.startServer({
        knoxcall,
        route: fw.route,
        webhook: { secret: fw.webhookSecret, format: fw.format },
        onEvent: (event) => fw.events.push(event),
        stripe: { host: '127.0.0.1', port: stripe.port, protocol: 'http' },
        port: 0,
        host: '127.0.0.1',
        quiet: true,
      }),
      STEP_TIMEOUT_MS,
      `starting the ${fw.name} example`,
    );
    cleanups.push(() => running.close());
    fw.url = running.url;
    await client.webhooks.update(fw.webhookId, { url: `${fw.url}/webhooks/knoxcall`, route_filter: [fw.route], enabled: true });
    step(fw.name, `example app on ${fw.url} (webhooks in ${fw.format} format)`);
  }

  const ctx = { emulator, client, upstream, upstreamKey, stripe, stripeKey, deliverWebhook };
  for (const fw of frameworks) {
    try {
      rows.push(await checkExample(ctx, fw));
    } catch (error) {
      step(fw.name, `${FAIL} ${error?.message ?? error}`);
      rows.push({ name: fw.name, format: fw.format, call: '—', sdk: '—', webhook: '—', tampered: '—', latency: '—', ok: false, problems: [String(error)] });
    }
  }
  rows.sort((a, b) => FRAMEWORKS.findIndex((f) => f.name === a.name) - FRAMEWORKS.findIndex((f) => f.name === b.name));

  printTable(rows);
  const ran = rows.filter((r) => !r.skipped).length;
  // A run that checked nothing proves nothing: it fails too.
  runFailures = ran === 0 ? 1 : rows.filter((r) => !r.ok).length;
  const skipped = rows.length - ran;
  const summary = `${rows.filter((r) => !r.skipped && r.ok).length}/${ran} examples passed${skipped ? `, ${skipped} skipped` : ''} in ${elapsed()}`;
  console.log(`\n${runFailures === 0 ? `${OK} ${green(summary)}` : `${FAIL} ${red(summary)}`}`);

  if (keep) {
    clearTimeout(watchdog);
    console.log(`\nStill running (Ctrl-C to stop):`);
    console.log(`  KnoxCall emulator  ${emulator.url}   client id ${clientId}`);
    for (const fw of frameworks) {
      console.log(`  ${fw.name.padEnd(17)} ${fw.url}   curl ${fw.url}/api/hello · ${fw.url}/webhooks/recent`);
    }
    return; // the signal handler stops everything
  }
  await finish(runFailures === 0 ? 0 : 1);
}

main().catch(async (error) => {
  console.error(`\n${FAIL} ${red('demo failed')} while ${currentStep}:\n  ${error?.stack ?? error}`);
  await finish(1);
});
