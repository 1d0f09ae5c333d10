// Overhead of a warm data-plane `client.call()` over a raw `fetch` of the same emulator URL
// with the same headers (the ones the emulator recorded from the client), both reading the
// upstream's small JSON answer. Sequential calls interleaved call by call, in many short
// rounds; every figure is the median [p10–p90] of per-round figures.
// Targets: the client-process CPU per call over the raw fetch ≤ +25 µs (issue 18: CPU time
// isolates the SDK's own work from the emulator's and the network's), and the latency ratio
// ≤ 1.15 (issue 3).
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
  await compareWithRawFetch({
    servers,
    viaClient,
    viaFetch,
    recorded,
    mayDiffer: ['content-length', 'accept-encoding'],
    rounds: ROUNDS,
    perRound: PER_ROUND,
    latencyTarget: LATENCY_TARGET,
    cpuExtraTargetUs: CPU_EXTRA_TARGET_US,
    label: 'core call()',
    clientLabel: 'client.call()',
    what: 'call()',
    resultName: 'core call() vs raw fetch',
  });
  await client.close();
} finally {
  servers.stop();
}
