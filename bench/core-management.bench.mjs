// Overhead of a warm management `get` (`client.routes.get(id)`: auth header, version header,
// per-attempt timeout, JSON parse and `{data}` unwrapping) over a raw `fetch` of the same
// emulator URL with the same headers (the ones the emulator recorded from the client) and a
// `res.json()`. Sequential calls interleaved call by call, in many short rounds; every
// figure is the median [p10–p90] of per-round figures. Targets: the client-process CPU per
// call over the raw fetch ≤ +25 µs (issue 18: CPU time isolates the SDK's own work), and the
// latency ratio ≤ 1.15 (issue 3).
//
// Runs against the BUILT @knoxcall/core and @knoxcall/testing: `pnpm build` first.
import { KnoxCall } from '@knoxcall/core';
import { compareWithRawFetch, pairedRounds, ROUTE_SLUG, replayableHeaders, startServers } from './core-support.mjs';
import { benchRow, formatFigure, printBenchResult } from './lib/bench-result.mjs';
import { difference, median, perRound, ratio } from './lib/stats.mjs';

// 30 short rounds of 60 calls per side: as many calls as 12 x 150, a finer-grained median.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 60);
const LATENCY_TARGET = 1.15;
const CPU_EXTRA_TARGET_US = 25;

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
  await compareWithRawFetch({
    servers,
    viaClient,
    viaFetch,
    recorded,
    // Only the telemetry value (the previous call's duration) may differ, and the headers
    // fetch adds on its own (the client's management calls go through undici's dispatcher on
    // Node, which sends no Accept-Language: * or Sec-Fetch-Mode: cors; neither means anything to the API).
    mayDiffer: ['x-knoxcall-telemetry', 'accept-encoding', 'accept-language', 'sec-fetch-mode'],
    rounds: ROUNDS,
    perRound: PER_ROUND,
    latencyTarget: LATENCY_TARGET,
    cpuExtraTargetUs: CPU_EXTRA_TARGET_US,
    label: 'core management get',
    clientLabel: 'client.routes.get()',
    what: 'routes.get()',
    resultName: 'core management get vs raw fetch',
  });

  // Where the figures above come from: the same client calls carried by fetch (a fetchImpl
  // forces it, as a replaced globalThis.fetch would) against the default transport on Node,
  // undici's dispatcher. Informational, no target.
  const nodeFetch = globalThis.fetch;
  const overFetch = new KnoxCall({
    apiKey: servers.credentials.apiKey,
    baseUrl: servers.url,
    proxyBaseUrl: servers.proxyUrl,
    fetchImpl: (input, init) => nodeFetch(input, init),
  });
  const viaClientOverFetch = async () => {
    const route = await overFetch.routes.get(id);
    if (route.id !== id) throw new Error(`routes.get(${id}) over fetch returned route ${route.id}`);
  };
  for (let i = 0; i < 200; i++) {
    await viaClient();
    await viaClientOverFetch();
  }
  const sides = await pairedRounds({
    sides: { dispatcher: viaClient, fetch: viaClientOverFetch },
    rounds: ROUNDS,
    perRound: PER_ROUND,
    between: servers.clearRequests,
  });
  const cpuMicros = { subject: median(sides.dispatcher.cpu), baseline: median(sides.fetch.cpu) };
  const transportRows = [
    benchRow({ label: 'dispatcher - fetch, client CPU', rounds: perRound(sides.dispatcher.cpu, sides.fetch.cpu, difference), unit: ' µs/call', cpuMicros }),
    benchRow({ label: 'dispatcher / fetch, latency', rounds: perRound(sides.dispatcher.latency, sides.fetch.latency, ratio), unit: 'x', cpuMicros }),
  ];
  console.log(
    `core management get, transport inside the client: dispatcher ${cpuMicros.subject.toFixed(0)} µs vs fetch ${cpuMicros.baseline.toFixed(0)} µs client CPU per call, ` +
      `${formatFigure(transportRows[0])}; latency ${formatFigure(transportRows[1])}`,
  );
  printBenchResult('core management get: dispatcher vs fetch inside the client', transportRows);
  await overFetch.close();
  await client.close();
} finally {
  servers.stop();
}
