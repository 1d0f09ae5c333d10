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
import { compareWithRawFetch, ROUTE_SLUG, replayableHeaders, startServers } from './core-support.mjs';

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
  await client.close();
} finally {
  servers.stop();
}
