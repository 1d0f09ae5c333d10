// Shared plumbing of the bench/core-*.bench.mjs benchmarks (not a benchmark itself: the
// harness only runs *.bench.mjs files).
//
// The server side — the KnoxCall emulator from @knoxcall/testing plus a tiny node:http
// upstream its route forwards to — runs in a forked child process, so the client being
// measured has its event loop and its CPU accounting (process.cpuUsage) to itself, as it
// would against a remote KnoxCall. Everything listens on 127.0.0.1 only.
//
// Both sides of every comparison are measured in the same run, interleaved call by call in
// rounds (see pairedRounds); what is reported is the median over rounds, so load drift on a
// small shared machine largely cancels out.
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { benchRow, formatFigure, printBenchResult, verdict } from './lib/bench-result.mjs';
import { difference, median, perRound, ratio } from './lib/stats.mjs';

export const ROUTE_SLUG = 'bench-upstream';
const UPSTREAM_BODY = JSON.stringify({ ok: true, id: 'ch_bench', amount: 1999, currency: 'usd' });

/** Starts the emulator and the upstream in a child; resolves to their addresses and a few controls. */
export async function startServers() {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bench servers exited (${code}); did you run pnpm build?`)));
  });
  let nextId = 0;
  const ask = (command) =>
    new Promise((resolve) => {
      const id = ++nextId;
      const onMessage = (message) => {
        if (message?.id !== id) return;
        child.off('message', onMessage);
        resolve(message.value);
      };
      child.on('message', onMessage);
      child.send({ id, command });
    });
  return {
    ...ready,
    /** The headers of the last request the emulator received (lower-case names). */
    lastRequestHeaders: () => ask('lastRequestHeaders'),
    /** Empties the emulator's request log, so it does not grow through a long run. */
    clearRequests: () => ask('clearRequests'),
    stop: () => child.kill(),
  };
}

async function serve() {
  const { startEmulator } = await import(new URL('../packages/testing/dist/index.js', import.meta.url).href);
  const upstream = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(UPSTREAM_BODY) });
      res.end(UPSTREAM_BODY);
    });
  });
  upstream.keepAliveTimeout = 60_000;
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${upstream.address().port}`;
  const emulator = await startEmulator({
    seed: { routes: [{ name: 'Bench upstream', slug: ROUTE_SLUG, target_base_url: upstreamUrl }] },
  });
  process.on('message', ({ id, command }) => {
    let value = null;
    if (command === 'lastRequestHeaders') value = emulator.requests().at(-1)?.headers ?? null;
    if (command === 'clearRequests') emulator.clearRequests();
    process.send({ id, value });
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ url: emulator.url, proxyUrl: emulator.proxyUrl, tenant: emulator.tenant, credentials: emulator.credentials });
}

/** Headers a raw `fetch` may send as given (fetch itself owns the connection-level ones). */
export function replayableHeaders(recorded) {
  const skip = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'accept-encoding', 'accept-language', 'sec-fetch-mode']);
  return Object.fromEntries(Object.entries(recorded).filter(([name]) => !skip.has(name)));
}

/** One call of `fn`: its wall time (ms) and the process CPU time it took (µs). */
async function timeOne(fn) {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await fn();
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: cpu.user + cpu.system };
}

/**
 * Rounds of sequential calls, the sides interleaved call by call (A B A B …, the next round
 * B A B A …), so every side sees the same machine load at the same moments. Calls never
 * overlap, so the CPU time measured around one call is that call's (plus whatever GC it
 * triggers). Per round and side: the median latency (ms) and the mean CPU per call (µs;
 * a mean, so GC and other amortised costs count).
 */
export async function pairedRounds({ sides, rounds, perRound: calls, between }) {
  const names = Object.keys(sides);
  const out = Object.fromEntries(names.map((name) => [name, { latency: [], cpu: [] }]));
  for (let round = 0; round < rounds; round++) {
    const latencies = Object.fromEntries(names.map((name) => [name, []]));
    const cpu = Object.fromEntries(names.map((name) => [name, 0]));
    for (let i = 0; i < calls; i++) {
      const order = (i + round) % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const one = await timeOne(sides[name]);
        latencies[name].push(one.wall);
        cpu[name] += one.cpu;
      }
    }
    for (const name of names) {
      out[name].latency.push(median(latencies[name]));
      out[name].cpu.push(cpu[name] / calls);
    }
    await between?.();
  }
  return out;
}

/**
 * The comparison core-call and core-management share: checks that `viaFetch` sends what the
 * client sent (`recorded`; only the names in `mayDiffer` may differ), warms both sides up,
 * runs paired rounds, and prints latency and client-CPU figures plus the BENCH_RESULT line.
 * Two targets: `latencyTarget` (a ratio of latencies) and `cpuExtraTargetUs` (client CPU µs
 * per call over the raw fetch, the unit issue #18 sets its target in). `label` starts every
 * line, `what` names the client side in the text.
 */
export async function compareWithRawFetch({
  servers,
  viaClient,
  viaFetch,
  recorded,
  mayDiffer,
  rounds,
  perRound: calls,
  latencyTarget,
  cpuExtraTargetUs,
  label,
  clientLabel,
  what,
  resultName,
}) {
  await viaFetch();
  const rawHeaders = await servers.lastRequestHeaders();
  const differ = Object.keys({ ...recorded, ...rawHeaders }).filter((name) => recorded[name] !== rawHeaders[name]);
  if (differ.some((name) => !mayDiffer.includes(name))) {
    throw new Error(`the raw fetch does not send the client's headers; differing: ${differ.join(', ')}`);
  }

  // Warm-up: JIT, keep-alive connections, the emulator's own caches.
  for (let i = 0; i < 200; i++) {
    await viaClient();
    await viaFetch();
  }
  await servers.clearRequests();

  const result = await pairedRounds({ sides: { client: viaClient, fetch: viaFetch }, rounds, perRound: calls, between: servers.clearRequests });
  const cpuMicros = { subject: median(result.client.cpu), baseline: median(result.fetch.cpu) };
  const rows = [
    benchRow({
      label: 'client CPU extra',
      rounds: perRound(result.client.cpu, result.fetch.cpu, difference),
      unit: ' µs/call',
      cpuMicros,
      target: { atMost: cpuExtraTargetUs },
    }),
    benchRow({ label: 'client CPU ratio', rounds: perRound(result.client.cpu, result.fetch.cpu, ratio), unit: 'x', cpuMicros }),
    benchRow({
      label: 'latency ratio',
      rounds: perRound(result.client.latency, result.fetch.latency, ratio),
      unit: 'x',
      cpuMicros,
      target: { atMost: latencyTarget },
    }),
  ];
  const [cpuExtra, cpuRatio, latencyRatio] = rows;

  console.log(
    `${label}: ${clientLabel} ${median(result.client.latency).toFixed(3)} ms, raw fetch ${median(result.fetch.latency).toFixed(3)} ms per call (median latency; ${rounds} rounds x ${calls} sequential calls per side)`,
  );
  console.log(
    `${label}: client-process CPU per call ${cpuMicros.subject.toFixed(0)} µs vs ${cpuMicros.baseline.toFixed(0)} µs, extra ${formatFigure(cpuExtra)} (target ${cpuExtra.target}): ${verdict(cpuExtra)}; ${formatFigure(cpuRatio)}`,
  );
  console.log(
    `${label} overhead ratio (${what} / raw fetch latency, median [p10–p90] of rounds): ${formatFigure(latencyRatio)} (target ${latencyRatio.target}): ${verdict(latencyRatio)}`,
  );
  printBenchResult(resultName, rows);
}

if (process.argv[2] === 'serve') await serve();
