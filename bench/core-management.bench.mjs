// Overhead of a warm management `get` (`client.routes.get(id)`: auth header, version header,
// per-attempt timeout, JSON parse and `{data}` unwrapping) over a raw `fetch` of the same
// emulator URL with the same headers (the ones the emulator recorded from the client) and a
// `res.json()`. Sequential calls interleaved call by call; the figure is the median of the
// per-round ratios of median latencies. Target (issue 3): ratio ≤ 1.15. Also shown:
// client-process CPU per call, which isolates the SDK's own work.
//
// Runs against the BUILT @knoxcall/core and @knoxcall/testing: `pnpm build` first.
import { KnoxCall } from '@knoxcall/core';
import { median, pairedRounds, perRound, printBenchResult, ROUTE_SLUG, replayableHeaders, startServers, verdict } from './core-support.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 150);
const TARGET = 1.15;

const servers = await startServers();
try {
  const client = new KnoxCall({ apiKey: servers.credentials.apiKey, baseUrl: servers.url, proxyBaseUrl: servers.proxyUrl });
  const { id } = await client.routes.get(ROUTE_SLUG);

  const viaClient = async () => {
    const route = await client.routes.get(id);
    if (route.id !== id) throw new Error(`routes.get(${id}) returned route ${route.id}`);
  };

  await viaClient();
  await viaClient(); // the second request carries X-KnoxCall-Telemetry, as every warm one does
  const recorded = await servers.lastRequestHeaders();
  const headers = replayableHeaders(recorded);
  const url = `${servers.url}/v1/routes/${encodeURIComponent(id)}`;
  const viaFetch = async () => {
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`raw fetch answered ${res.status}: ${await res.text()}`);
    const body = await res.json();
    if (body.data.id !== id) throw new Error(`raw fetch returned route ${body.data.id}`);
  };
  await viaFetch();
  const rawHeaders = await servers.lastRequestHeaders();
  const differ = Object.keys({ ...recorded, ...rawHeaders }).filter((name) => recorded[name] !== rawHeaders[name]);
  // Only the telemetry value (the previous call's duration) may differ.
  if (differ.some((name) => !['x-knoxcall-telemetry', 'accept-encoding'].includes(name))) {
    throw new Error(`the raw fetch does not send the client's headers; differing: ${differ.join(', ')}`);
  }

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
    `core management get: client.routes.get() ${median(result.client.latency).toFixed(3)} ms, raw fetch ${median(result.fetch.latency).toFixed(3)} ms per call (median latency; ${ROUNDS} rounds x ${PER_ROUND} sequential calls per side)`,
  );
  console.log(
    `core management get: client-process CPU per call ${median(result.client.cpu).toFixed(0)} µs vs ${median(result.fetch.cpu).toFixed(0)} µs (+${cpuExtraUs.toFixed(0)} µs, ${cpuRatio.toFixed(2)}x)`,
  );
  console.log(`core management get overhead ratio (routes.get() / raw fetch latency, median of rounds): ${ratio.toFixed(3)}x (target <= ${TARGET}x): ${verdict(ratio <= TARGET)}`);
  printBenchResult('core management get vs raw fetch', [
    { label: 'latency ratio', value: ratio, unit: 'x', target: `<= ${TARGET}`, met: ratio <= TARGET },
    { label: 'client CPU ratio', value: cpuRatio, unit: 'x' },
    { label: 'client CPU extra', value: cpuExtraUs, unit: ' µs/call' },
  ]);
  await client.close();
} finally {
  servers.stop();
}
