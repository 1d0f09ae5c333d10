// DPoP proof cost per request. The client's proof signer (DpopKeyPair in
// packages/core/src/auth) is not exported from the built package, so this measures it
// through the public path: two warm clients on the same OAuth client credentials, one with
// `dpop: 'always'` (a DPoP-bound token and a fresh ES256 proof per request), one with
// `dpop: 'never'` (Bearer), doing the same data-plane `call()`, interleaved call by call.
// The emulator (which verifies every proof) runs in another process, so the difference in
// THIS process's CPU time per call is what the client spends on the proof; the latency
// difference also includes the emulator's verification. For scale, one bare Web Crypto
// ES256 signature over a proof-sized input is timed after every round (a batch of them, by
// CPU time), so the figure judged — proof cost ÷ one bare sign — is taken within a round.
// Target (issue 18): the proof costs ≤ 2× one bare sign.
//
// Runs against the BUILT @knoxcall/core and @knoxcall/testing: `pnpm build` first.
import { KnoxCall } from '@knoxcall/core';
import { pairedRounds, ROUTE_SLUG, startServers } from './core-support.mjs';
import { benchRow, formatFigure, printBenchResult, verdict } from './lib/bench-result.mjs';
import { difference, median, perRound } from './lib/stats.mjs';

// 30 short rounds of 60 calls per side: as many calls as 12 x 150, a finer-grained median.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 60);
const SIGNS_PER_ROUND = 100;
const TARGET_SIGNS = 2;

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

  const sign = await bareSigner(dpopHeaders.dpop);
  for (let i = 0; i < 200; i++) {
    await viaDpop();
    await viaBearer();
    await sign();
  }
  await servers.clearRequests();

  const signUs = [];
  const result = await pairedRounds({
    sides: { dpop: viaDpop, bearer: viaBearer },
    rounds: ROUNDS,
    perRound: PER_ROUND,
    between: async () => {
      signUs.push(await signBatchCpuUs(sign, SIGNS_PER_ROUND));
      await servers.clearRequests();
    },
  });
  const cpuMicros = { subject: median(result.dpop.cpu), baseline: median(result.bearer.cpu) };
  const proofUs = perRound(result.dpop.cpu, result.bearer.cpu, difference);
  const rows = [
    benchRow({
      label: 'proof cost / one bare ES256 sign',
      rounds: perRound(proofUs, signUs, (a, b) => a / b),
      unit: 'x',
      cpuMicros,
      target: { atMost: TARGET_SIGNS },
    }),
    benchRow({ label: 'proof cost (client CPU)', rounds: proofUs, unit: ' µs/request', cpuMicros }),
    benchRow({
      label: 'latency difference',
      rounds: perRound(result.dpop.latency, result.bearer.latency, (a, b) => (a - b) * 1000),
      unit: ' µs/request',
      cpuMicros,
    }),
    benchRow({ label: 'bare ES256 sign', rounds: signUs, unit: ' µs', cpuMicros: { subject: median(signUs), baseline: null } }),
  ];
  const [perSign, proof, latency, bare] = rows;

  console.log(
    `core DPoP: call() with a DPoP proof ${cpuMicros.subject.toFixed(0)} µs client CPU, with Bearer ${cpuMicros.baseline.toFixed(0)} µs (medians of ${ROUNDS} rounds x ${PER_ROUND} calls per side)`,
  );
  console.log(`core DPoP proof cost per request (client CPU, DPoP - Bearer): ${formatFigure(proof)}`);
  console.log(`core DPoP latency difference per request (includes the emulator verifying the proof): ${formatFigure(latency)}`);
  console.log(`core DPoP reference: one bare Web Crypto ES256 sign over a proof-sized input: ${formatFigure(bare)} CPU`);
  console.log(`core DPoP proof cost in bare signs: ${formatFigure(perSign)} (target ${perSign.target}): ${verdict(perSign)}`);
  printBenchResult('core DPoP proof cost', rows);
  await dpopClient.close();
  await bearerClient.close();
} finally {
  servers.stop();
}

/** One crypto.subtle.sign (ECDSA P-256, SHA-256) over the first proof's signing input, with a fresh key. */
async function bareSigner(proof) {
  const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const input = new TextEncoder().encode(proof.split('.').slice(0, 2).join('.'));
  return () => crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, input);
}

/** Process CPU µs per sign over `count` sequential signs. */
async function signBatchCpuUs(sign, count) {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) await sign();
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / count;
}
