// Webhook verifications per second of @knoxcall/core, per format, synchronous (node:crypto)
// and asynchronous (Web Crypto), and — on the same 3 KB payload in the same run — against
// stripe-node's constructEvent / constructEventAsync (stripe format). Prints ops/s and
// ratios; the target is ≥ 1.0× stripe for both, judged on the median of per-round ratios of
// CPU time, but nothing is gated.
//
// Runs against the BUILT packages: `pnpm build` first, then `node bench/webhooks/verify.bench.mjs`.
// Contenders take turns batch by batch (so drift in machine load hits all of them alike) and
// the median over rounds is reported. Ratios are given twice: from wall-clock time, and from
// the process's CPU time (process.cpuUsage, thread-pool work included), which load from
// other processes on a shared machine disturbs much less.
//
// stripe's default constructEventAsync on Node wraps the synchronous createHmac in a
// promise; its SubtleCryptoProvider is the Web Crypto path edge runtimes use. Both are
// shown, so the async comparison is like for like.
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { benchRow, printBenchResult } from '../lib/bench-result.mjs';
import { median, perRound, ratio as divide } from '../lib/stats.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 300);
const SECRET = 'whsec_bench_secret';

const webhooks = await import('@knoxcall/core/webhooks');
const core = await import('@knoxcall/core');
// KNOXCALL_BENCH_SYNC_MODULE: a module exporting constructWebhookEvent, for benchmarking a
// build in which the Node entry does not export it yet.
const syncModule = process.env.KNOXCALL_BENCH_SYNC_MODULE ? await import(process.env.KNOXCALL_BENCH_SYNC_MODULE) : core;
const { constructWebhookEvent } = syncModule;
const { constructWebhookEventAsync } = webhooks;
const { default: Stripe } = await import('stripe');
const stripe = new Stripe('sk_test_bench_never_used');
const subtleProvider = Stripe.createSubtleCryptoProvider();

if (typeof constructWebhookEvent !== 'function') {
  console.error('constructWebhookEvent is not exported by @knoxcall/core: run `pnpm build` (or set KNOXCALL_BENCH_SYNC_MODULE)');
  process.exit(1);
}

/** A 3 KB `request.success` delivery stamped now (all checks on, default tolerance). */
function payload3k() {
  const base = {
    event: 'request.success',
    timestamp: new Date().toISOString(),
    webhook_id: 'wh_bench',
    webhook_name: 'orders-hook',
    data: {
      route_id: 'r_1',
      route_name: 'orders',
      environment: 'production',
      request: { method: 'POST', path: '/v1/orders', ip: '203.0.113.9' },
      response: { status: 201, latency_ms: 42 },
      note: '',
    },
  };
  const size = Buffer.byteLength(JSON.stringify(base));
  base.data.note = 'x'.repeat(3072 - size);
  const body = JSON.stringify(base);
  if (Buffer.byteLength(body) !== 3072) throw new Error('payload is not 3 KB');
  return body;
}

const body = payload3k();
const bodyBytes = Buffer.from(body);
const t = Math.floor(Date.now() / 1000);
const hex = (message) => createHmac('sha256', SECRET).update(message).digest('hex');
const stripeHeader = `t=${t},v1=${hex(`${t}.${body}`)}`;

const FORMATS = {
  legacy: [{ 'x-webhook-signature': `sha256=${hex(body)}` }, {}],
  github: [{ 'x-hub-signature-256': `sha256=${hex(body)}` }, { format: 'github' }],
  custom: [{ 'x-acme-signature': `sha256=${hex(body)}` }, { format: 'custom', headerName: 'X-Acme-Signature' }],
  'aws-sns': [{ 'x-amz-sns-signature': createHmac('sha256', SECRET).update(body).digest('base64') }, { format: 'aws-sns' }],
  stripe: [{ 'stripe-signature': stripeHeader }, { format: 'stripe' }],
  slack: [{ 'x-slack-request-timestamp': String(t), 'x-slack-signature': `v0=${hex(`v0:${t}:${body}`)}` }, { format: 'slack' }],
};

const BATCH = 32;

/** Runs `fn` BATCH times; returns [wall ms, CPU ms]. */
async function batch(fn, isAsync) {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  if (isAsync) for (let i = 0; i < BATCH; i++) await fn();
  else for (let i = 0; i < BATCH; i++) fn();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return [wall, (cpu.user + cpu.system) / 1000];
}

/**
 * Median ops/s of every contender, by wall-clock and by CPU time (`wall`, `cpu`), and the
 * per-round ops/s behind them (`wallRounds`, `cpuRounds`). Within a round the contenders take turns batch by batch
 * (a few hundred microseconds each), so a burst of load from elsewhere on the machine
 * slows them all alike; the ratio is what is meaningful.
 */
async function measure(contenders) {
  const results = Object.fromEntries(contenders.map(([name]) => [name, { wall: [], cpu: [] }]));
  for (const [name, fn, isAsync] of contenders) {
    const check = isAsync ? await fn() : fn();
    if (!check || typeof check !== 'object') throw new Error(`${name} did not verify`);
    for (let i = 0; i < 50; i++) await batch(fn, isAsync); // warm-up
  }
  for (let r = 0; r < ROUNDS; r++) {
    const wall = contenders.map(() => 0);
    const cpu = contenders.map(() => 0);
    const roundStart = performance.now();
    let batches = 0;
    while (performance.now() - roundStart < ROUND_MS * contenders.length) {
      for (let c = 0; c < contenders.length; c++) {
        const [, fn, isAsync] = contenders[c];
        const [w, u] = await batch(fn, isAsync);
        wall[c] += w;
        cpu[c] += u;
      }
      batches++;
    }
    for (let c = 0; c < contenders.length; c++) {
      results[contenders[c][0]].wall.push((batches * BATCH * 1000) / wall[c]);
      results[contenders[c][0]].cpu.push((batches * BATCH * 1000) / cpu[c]);
    }
  }
  return Object.fromEntries(
    Object.entries(results).map(([name, { wall, cpu }]) => [name, { wall: median(wall), cpu: median(cpu), wallRounds: wall, cpuRounds: cpu }]),
  );
}

const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(10);
const rows = [];

console.log(`Node ${process.version}, 3072-byte body, ${ROUNDS} rounds × ${ROUND_MS} ms, median ops/s\n`);

// Per format, sync and async, string body — one format at a time, as an app verifies one.
console.log('format      sync ops/s  async ops/s   (wall clock)');
for (const [format, [headers, options]] of Object.entries(FORMATS)) {
  const result = await measure([
    ['sync', () => constructWebhookEvent(body, headers, SECRET, options), false],
    ['async', () => constructWebhookEventAsync(body, headers, SECRET, options), true],
  ]);
  console.log(`${format.padEnd(10)}${fmt(result.sync.wall)}  ${fmt(result.async.wall)}`);
}

// Against stripe-node, stripe format, same payload and header.
const knoxHeaders = { 'stripe-signature': stripeHeader };
const knoxOptions = { format: 'stripe' };
const versus = await measure([
  ['knox sync (string)', () => constructWebhookEvent(body, knoxHeaders, SECRET, knoxOptions), false],
  ['stripe constructEvent (string)', () => stripe.webhooks.constructEvent(body, stripeHeader, SECRET), false],
  ['knox sync (Buffer)', () => constructWebhookEvent(bodyBytes, knoxHeaders, SECRET, knoxOptions), false],
  ['stripe constructEvent (Buffer)', () => stripe.webhooks.constructEvent(bodyBytes, stripeHeader, SECRET), false],
  ['knox async (Web Crypto)', () => constructWebhookEventAsync(body, knoxHeaders, SECRET, knoxOptions), true],
  ['stripe constructEventAsync (default)', () => stripe.webhooks.constructEventAsync(body, stripeHeader, SECRET), true],
  ['stripe constructEventAsync (SubtleCrypto)', () => stripe.webhooks.constructEventAsync(body, stripeHeader, SECRET, undefined, subtleProvider), true],
]);

// Ratios of ops/s within each round, summarised as their median.
const ratio = (a, b, clock) => `${median(perRound(versus[a][`${clock}Rounds`], versus[b][`${clock}Rounds`], divide)).toFixed(2)}×`;
rows.push(
  ['sync, string body', 'knox sync (string)', 'stripe constructEvent (string)'],
  ['sync, Buffer body', 'knox sync (Buffer)', 'stripe constructEvent (Buffer)'],
  ['async vs stripe default', 'knox async (Web Crypto)', 'stripe constructEventAsync (default)'],
  ['async vs stripe SubtleCrypto', 'knox async (Web Crypto)', 'stripe constructEventAsync (SubtleCrypto)'],
);
console.log('\nstripe format vs stripe-node         knox ops/s  stripe ops/s  ratio: wall   CPU   (target ≥ 1.00×)');
for (const [label, knox, peer] of rows) {
  console.log(`${label.padEnd(35)}${fmt(versus[knox].wall)}  ${fmt(versus[peer].wall)}     ${ratio(knox, peer, 'wall')}  ${ratio(knox, peer, 'cpu')}`);
}
printBenchResult(
  'webhook verify vs stripe-node',
  rows.map(([label, knox, peer]) =>
    benchRow({
      label: `${label} (CPU)`,
      rounds: perRound(versus[knox].cpuRounds, versus[peer].cpuRounds, divide),
      unit: 'x',
      // CPU µs per verification.
      cpuMicros: { subject: 1e6 / versus[knox].cpu, baseline: 1e6 / versus[peer].cpu },
      target: { atLeast: 1 },
    }),
  ),
);
