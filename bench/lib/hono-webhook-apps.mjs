// The Hono webhook bench's apps and measurement, shared by the in-process Node bench
// (hono-webhook.bench.mjs) and the one bundled into Bun, Deno and workerd
// (runtimes/hono-webhook-worker.mjs). Web APIs only — no node: imports — so it bundles into
// a Worker. The caller passes in Hono, knoxWebhook and verifyWebhook, so each side decides
// which builds it loads (the Node bench picks core's build with --conditions; the runtime
// bench with the bundler's conditions).
import { deliveryBody } from './delivery-body.mjs';

export const SECRET = 'whsec_bench_secret';
export const PATHS = ['/knox', '/hand', '/core'];

/**
 * One Hono app with three routes: knoxWebhook(), the hand-written Web Crypto middleware, and
 * (diagnostic, to tell the adapter's cost from core's) core's verifyWebhook called by hand.
 * Returns `send(path)`, which posts one signed delivery through app.fetch and checks the 200.
 */
export async function webhookApps({ Hono, knoxWebhook, verifyWebhook }) {
  const app = new Hono();
  app.post('/knox', knoxWebhook({ secret: SECRET, on: { 'request.success': () => {} } }));
  app.post('/hand', handWrittenWebCrypto(SECRET), (c) => c.json({ received: true }));
  app.post('/core', async (c) => {
    await verifyWebhook(new Uint8Array(await c.req.arrayBuffer()), c.req.raw.headers, SECRET);
    return c.json({ received: true });
  });

  const body = deliveryBody();
  const key = await hmacKey(SECRET);
  const signature = toHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body))));
  const headers = {
    'content-type': 'application/json',
    'content-length': String(new TextEncoder().encode(body).byteLength),
    'x-webhook-signature': `sha256=${signature}`,
  };
  return async (path) => {
    const res = await app.fetch(new Request(`http://bench.local${path}`, { method: 'POST', body, headers }));
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
}

/**
 * Warm-up, then `rounds` rounds of `requests` deliveries per path, `inFlight` at a time. The
 * order rotates within each triplet and ratios are taken within it: load on a shared machine
 * drifts. Also returns each timed round's length and the whole run's (warm-up included), by
 * the runtime's own clock, so a caller can check that clock. `now()` returns milliseconds of wall time; it is async so a runtime whose clock
 * only moves across I/O (workerd) can cross an I/O boundary before reading it. `cpuNow()`,
 * where the runtime has a CPU clock (Node's process.cpuUsage; a Worker has none), returns the
 * process's CPU µs so far: each round's CPU µs per delivery is then returned too (`cpuUs`).
 */
export async function measureRounds({ send, rounds, requests, inFlight, warmup = 1000, now = async () => performance.now(), cpuNow }) {
  const started = await now();
  for (const path of PATHS) await round(send, path, warmup, inFlight, now);
  const rate = Object.fromEntries(PATHS.map((path) => [path, []]));
  const cpuUs = Object.fromEntries(PATHS.map((path) => [path, []]));
  // How long each timed round took by the runtime's own clock (ms), to check that clock.
  const roundMs = [];
  const ratios = { target: [], adapter: [], core: [] };
  for (let i = 0; i < rounds; i++) {
    const order = PATHS.map((_, j) => PATHS[(i + j) % PATHS.length]);
    const r = {};
    for (const path of order) {
      const cpuBefore = cpuNow?.();
      const ms = await round(send, path, requests, inFlight, now);
      if (cpuNow) cpuUs[path].push((cpuNow() - cpuBefore) / requests);
      roundMs.push(ms);
      r[path] = requests / (ms / 1000);
    }
    for (const path of PATHS) rate[path].push(r[path]);
    ratios.target.push(r['/knox'] / r['/hand']);
    ratios.adapter.push(r['/knox'] / r['/core']);
    ratios.core.push(r['/core'] / r['/hand']);
  }
  return { rate, cpuUs: cpuNow ? cpuUs : undefined, ratios, roundMs, totalMs: (await now()) - started };
}

/** Milliseconds one round of `total` deliveries took. */
async function round(send, path, total, inFlight, now) {
  let sent = 0;
  const started = await now();
  const worker = async () => {
    while (sent < total) {
      sent++;
      await send(path);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (await now()) - started;
}

function hmacKey(secret) {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** What a careful developer writes by hand: raw bytes, cached key, constant-time compare, parse, timestamp. */
function handWrittenWebCrypto(secret) {
  const keyPromise = hmacKey(secret);
  return async (c, next) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const given = fromHex((c.req.header('x-webhook-signature') ?? '').replace(/^sha256=/i, '').trim());
    const expected = new Uint8Array(await crypto.subtle.sign('HMAC', await keyPromise, raw));
    if (given === undefined || !equalConstantTime(given, expected)) {
      return c.json({ error: { type: 'signature_mismatch', message: 'webhook signature verification failed' } }, 401);
    }
    const event = JSON.parse(new TextDecoder().decode(raw));
    if (Math.abs(Date.now() - Date.parse(event.timestamp)) > 300_000) {
      return c.json({ error: { type: 'timestamp_out_of_tolerance', message: 'outside the tolerance window' } }, 401);
    }
    c.set('event', event);
    await next();
  };
}

function toHex(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function fromHex(text) {
  if (text.length !== 64 || !/^[0-9a-f]+$/i.test(text)) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function equalConstantTime(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
