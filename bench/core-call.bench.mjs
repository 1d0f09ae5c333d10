// Overhead of a warm data-plane `client.call()` over a raw `fetch` of the same emulator URL
// with the same headers (the ones the emulator recorded from the client), both reading the
// upstream's small JSON answer. Sequential calls interleaved call by call; the figure is the
// median of the per-round ratios of median latencies.
// Target (issue 3): ratio ≤ 1.15. Also shown: client-process CPU per call, which isolates the
// SDK's own work from the emulator's and the network's.
//
// Runs against the BUILT @knoxcall/core and @knoxcall/testing: `pnpm build` first.
import { KnoxCall } from '@knoxcall/core';
import {
  median,
  pairedRounds,
  perRound,
  printBenchResult,
  ROUTE_SLUG,
  replayableHeaders,
  startServers,
  verdict,
} from './core-support.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 150);
const TARGET = 1.15;

const servers = await startServers();
try {
  const client = new KnoxCall({ apiKey: servers.credentials.apiKey, baseUrl: servers.url, proxyBaseUrl: servers.proxyUrl });
  const path = '/v1/charges';

  const viaClient = async () => {
    const res = await client.call(ROUTE_SLUG, { path });
    if (res.status !== 200) throw new Error(`client.call() answered ${res.status}: ${await res.text()}`);
    await res.text();
  };

  await viaClient();
  const recorded = await servers.lastRequestHeaders();
  const headers = replayableHeaders(recorded);
  const url = `${servers.proxyUrl}${path}`;
  const viaFetch = async () => {
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`raw fetch answered ${res.status}: ${await res.text()}`);
    await res.text();
  };
  await viaFetch();
  const rawHeaders = await servers.lastRequestHeaders();
  const differ = Object.keys({ ...recorded, ...rawHeaders }).filter((name) => recorded[name] !== rawHeaders[name]);
  if (differ.some((name) => !['content-length', 'accept-encoding'].includes(name))) {
    throw new Error(`the raw fetch does not send the client's headers; differing: ${differ.join(', ')}`);
  }

  // Warm-up: JIT, keep-alive connections, the emulator's own caches.
  for (let i = 0; i < 200; i++) {
    await viaClient();
    await viaFetch();
  }
  await servers.clearRequests();

  const result = await pairedRounds({
    sides: { client: viaClient, fetch: viaFetch },
    rounds: ROUNDS,
    perRound: PER_ROUND,
    between: servers.clearRequests,
  });
  const ratio = median(perRound(result.client.latency, result.fetch.latency, (a, b) => a / b));
  const cpuRatio = median(perRound(result.client.cpu, result.fetch.cpu, (a, b) => a / b));
  const cpuExtraUs = median(perRound(result.client.cpu, result.fetch.cpu, (a, b) => a - b));

  console.log(
    `core call(): client.call() ${median(result.client.latency).toFixed(3)} ms, raw fetch ${median(result.fetch.latency).toFixed(3)} ms per call (median latency; ${ROUNDS} rounds x ${PER_ROUND} sequential calls per side)`,
  );
  console.log(
    `core call(): client-process CPU per call ${median(result.client.cpu).toFixed(0)} µs vs ${median(result.fetch.cpu).toFixed(0)} µs (+${cpuExtraUs.toFixed(0)} µs, ${cpuRatio.toFixed(2)}x)`,
  );
  console.log(`core call() overhead ratio (call() / raw fetch latency, median of rounds): ${ratio.toFixed(3)}x (target <= ${TARGET}x): ${verdict(ratio <= TARGET)}`);
  printBenchResult('core call() vs raw fetch', [
    { label: 'latency ratio', value: ratio, unit: 'x', target: `<= ${TARGET}`, met: ratio <= TARGET },
    { label: 'client CPU ratio', value: cpuRatio, unit: 'x' },
    { label: 'client CPU extra', value: cpuExtraUs, unit: ' µs/call' },
  ]);
  await client.close();
} finally {
  servers.stop();
}
