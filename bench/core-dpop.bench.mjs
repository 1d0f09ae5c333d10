// DPoP proof cost per request. The client's proof signer (DpopKeyPair in
// packages/core/src/auth) is not exported from the built package, so this measures it
// through the public path: two warm clients on the same OAuth client credentials, one with
// `dpop: 'always'` (a DPoP-bound token and a fresh ES256 proof per request), one with
// `dpop: 'never'` (Bearer), doing the same data-plane `call()`, interleaved call by call.
// The emulator (which verifies every proof) runs in another process, so the difference in
// THIS process's CPU time per call is what the client spends on the proof; the latency
// difference also includes the emulator's verification. For scale, the cost of one bare
// Web Crypto ES256 signature over a proof-sized input is measured here too.
//
// Runs against the BUILT @knoxcall/core and @knoxcall/testing: `pnpm build` first.
// Reported, not gated: issue 3 sets no target for this figure.
import { KnoxCall } from '@knoxcall/core';
import { median, pairedRounds, perRound, printBenchResult, ROUTE_SLUG, startServers } from './core-support.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 150);

const servers = await startServers();
try {
  const { clientId, clientSecret } = servers.credentials;
  const common = { clientId, clientSecret, baseUrl: servers.url, proxyBaseUrl: servers.proxyUrl };
  const dpopClient = new KnoxCall({ ...common, dpop: 'always' });
  const bearerClient = new KnoxCall({ ...common, dpop: 'never' });

  const callWith = (client) => async () => {
    const res = await client.call(ROUTE_SLUG, { path: '/v1/charges' });
    if (res.status !== 200) throw new Error(`call() answered ${res.status}: ${await res.text()}`);
    await res.text();
  };
  const viaDpop = callWith(dpopClient);
  const viaBearer = callWith(bearerClient);

  await viaDpop();
  const dpopHeaders = await servers.lastRequestHeaders();
  await viaBearer();
  const bearerHeaders = await servers.lastRequestHeaders();
  if (!dpopHeaders.authorization?.startsWith('DPoP ') || !dpopHeaders.dpop) {
    throw new Error('the dpop: "always" client did not send a DPoP-bound token with a proof');
  }
  if (!bearerHeaders.authorization?.startsWith('Bearer ') || bearerHeaders.dpop) {
    throw new Error('the dpop: "never" client did not send a plain Bearer token');
  }

  for (let i = 0; i < 200; i++) {
    await viaDpop();
    await viaBearer();
  }
  await servers.clearRequests();

  const result = await pairedRounds({
    sides: { dpop: viaDpop, bearer: viaBearer },
    rounds: ROUNDS,
    perRound: PER_ROUND,
    between: servers.clearRequests,
  });
  const cpuExtraUs = median(perRound(result.dpop.cpu, result.bearer.cpu, (a, b) => a - b));
  const latencyExtraUs = median(perRound(result.dpop.latency, result.bearer.latency, (a, b) => (a - b) * 1000));
  const signUs = await bareSignatureCostUs(dpopHeaders.dpop);

  console.log(
    `core DPoP: call() with a DPoP proof ${median(result.dpop.cpu).toFixed(0)} µs client CPU, with Bearer ${median(result.bearer.cpu).toFixed(0)} µs (medians of ${ROUNDS} rounds x ${PER_ROUND} calls per side)`,
  );
  console.log(`core DPoP proof cost per request (client CPU, DPoP - Bearer): ${cpuExtraUs.toFixed(0)} µs`);
  console.log(`core DPoP latency difference per request (includes the emulator verifying the proof): ${latencyExtraUs.toFixed(0)} µs`);
  console.log(`core DPoP reference: one bare Web Crypto ES256 sign over a proof-sized input: ${signUs.toFixed(0)} µs`);
  printBenchResult('core DPoP proof cost', [
    { label: 'proof cost (client CPU)', value: cpuExtraUs, unit: ' µs/request' },
    { label: 'latency difference', value: latencyExtraUs, unit: ' µs/request' },
    { label: 'bare ES256 sign', value: signUs, unit: ' µs' },
  ]);
  await dpopClient.close();
  await bearerClient.close();
} finally {
  servers.stop();
}

/** Median CPU µs of one crypto.subtle.sign (ECDSA P-256, SHA-256) over the first proof's signing input. */
async function bareSignatureCostUs(proof) {
  const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const input = new TextEncoder().encode(proof.split('.').slice(0, 2).join('.'));
  const sign = () => crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, input);
  for (let i = 0; i < 200; i++) await sign();
  const batches = [];
  for (let b = 0; b < 9; b++) {
    const start = process.cpuUsage();
    for (let i = 0; i < 200; i++) await sign();
    const cpu = process.cpuUsage(start);
    batches.push((cpu.user + cpu.system) / 200);
  }
  return median(batches);
}
