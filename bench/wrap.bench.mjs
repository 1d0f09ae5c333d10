// wrap.fetch() with a manifest route against the same request through client.call(), and the
// cost of one routing decision for a host nobody listed.
//
// 1. The bench route is made intercept-enabled, so `wrap.fetch({ routes: 'auto' })` sends a
//    request for the upstream's URL through it — the same data-plane request `call()` makes
//    (plus the x-knoxcall-origin marker). Both sides run interleaved in paired rounds; the
//    figure is the median [p10–p90] of per-round ratios of client-process CPU per request.
//    Target (issue 14): <= 1.05x.
// 2. `resolveIntercept` for an unlisted host with the default route-around rules and a
//    manifest of 50 routes, as intercept() runs it for every request, by process CPU time
//    per decision over batches. Target: <= 2 µs.
//
// Runs against the BUILT @knoxcall/core and @knoxcall/testing: `pnpm build` first.
import { DEFAULT_ROUTE_AROUND, KnoxCall, resolveIntercept } from '@knoxcall/core';
import { pairedRounds, ROUTE_SLUG, startServers } from './core-support.mjs';
import { benchRow, formatFigure, printBenchResult, verdict } from './lib/bench-result.mjs';
import { median, perRound, ratio } from './lib/stats.mjs';

// 30 short rounds of 60 calls per side: as many calls as 12 x 150, a finer-grained median.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 60);
const CPU_TARGET = 1.05;
const DECISION_TARGET_US = 2;
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 200_000);

const servers = await startServers();
const results = [];
try {
  const client = new KnoxCall({ apiKey: servers.credentials.apiKey, baseUrl: servers.url, proxyBaseUrl: servers.proxyUrl });
  await client.routes.update(ROUTE_SLUG, { intercept_enabled: true });
  const route = await client.routes.get(ROUTE_SLUG);
  const target = route.target_base_url ?? route.environments?.[0]?.target_base_url;
  if (typeof target !== 'string') throw new Error('the bench route has no target_base_url');
  const path = '/v1/charges';

  const wrapped = client.wrap.fetch({ routes: 'auto' });
  await wrapped.ready;
  if (!wrapped.manifest()?.routes.some((r) => r.slug === ROUTE_SLUG)) throw new Error('the manifest does not list the bench route');

  const viaCall = async () => {
    const res = await client.call(ROUTE_SLUG, { path });
    if (res.status !== 200) throw new Error(`call() answered ${res.status}`);
    await res.text();
  };
  const viaWrap = async () => {
    const res = await wrapped(`${target.replace(/\/+$/, '')}${path}`);
    if (res.status !== 200) throw new Error(`wrap.fetch() answered ${res.status}`);
    await res.text();
  };
  await viaWrap();
  const headers = await servers.lastRequestHeaders();
  if (headers?.['x-knoxcall-route'] !== ROUTE_SLUG) throw new Error('wrap.fetch() did not go through the bench route');

  // 200 warm-up pairs at the default size (as before the rounds got shorter), fewer for a tiny run.
  for (let i = 0; i < Math.min(200, PER_ROUND * 4); i++) {
    await viaCall();
    await viaWrap();
  }
  await servers.clearRequests();
  const measured = await pairedRounds({ sides: { wrap: viaWrap, call: viaCall }, rounds: ROUNDS, perRound: PER_ROUND, between: servers.clearRequests });
  const cpuMicros = { subject: median(measured.wrap.cpu), baseline: median(measured.call.cpu) };
  const cpuRatio = benchRow({
    label: 'wrap.fetch / call CPU',
    rounds: perRound(measured.wrap.cpu, measured.call.cpu, ratio),
    unit: 'x',
    cpuMicros,
    target: { atMost: CPU_TARGET },
  });
  const latencyRatio = benchRow({
    label: 'wrap.fetch / call latency',
    rounds: perRound(measured.wrap.latency, measured.call.latency, ratio),
    unit: 'x',
    cpuMicros,
  });
  console.log(
    `wrap.fetch(): client-process CPU per request ${cpuMicros.subject.toFixed(0)} µs vs call() ${cpuMicros.baseline.toFixed(0)} µs: ${formatFigure(cpuRatio)} (target ${cpuRatio.target}): ${verdict(cpuRatio)}`,
  );
  console.log(`wrap.fetch(): latency ${formatFigure(latencyRatio)} of call() (median [p10–p90] of rounds)`);
  results.push(cpuRatio, latencyRatio);
  wrapped.stop();
  await client.close();
} finally {
  servers.stop();
}

// 2. The decision alone, in-process.
const manifest = {
  version: 'bench',
  ttl_seconds: 60,
  environment: 'production',
  sandbox: false,
  routes: Array.from({ length: 50 }, (_, i) => ({
    host: `api${i}.provider.example`,
    base_path: i % 2 === 0 ? '/' : '/v1',
    slug: `route-${i}`,
    route_id: `r${i}`,
    requires_clients: false,
    allowed_methods: null,
    updated_at: '',
  })),
};
const listed = new Set(['api.listed.example']);
const options = {
  killSwitch: false,
  ownHosts: new Set(['api.knoxcall.com']),
  routeAround: DEFAULT_ROUTE_AROUND,
  manifest,
  isListed: (host) => listed.has(host),
};
const url = 'https://api.unlisted.example/v1/things/123?expand=all';
let sink = 0;
const decide = (n) => {
  for (let i = 0; i < n; i++) sink += resolveIntercept(url, options).reason.length;
};
decide(DECISIONS); // warm-up
const samples = [];
for (let round = 0; round < 9; round++) {
  const start = process.cpuUsage();
  decide(DECISIONS);
  const cpu = process.cpuUsage(start);
  samples.push((cpu.user + cpu.system) / DECISIONS);
}
if (sink === 0) throw new Error('unreachable');
const decision = benchRow({
  label: 'unlisted decision',
  rounds: samples,
  unit: ' µs',
  cpuMicros: { subject: median(samples), baseline: null },
  target: { atMost: DECISION_TARGET_US },
});
console.log(`routing decision for an unlisted host: ${formatFigure(decision)} CPU (target ${decision.target}): ${verdict(decision)}`);
results.push(decision);
printBenchResult('wrap', results);
