// The round loop of the framework benches (apps served over HTTP by forked children, see
// bench-server.mjs): every side is loaded once per round, the order rotating from round to
// round (A B, then B A; or A B C, B C A, C A B), so drift in the machine's load hits every
// side alike. Per round and side it records the wall-clock req/s and the server's own CPU
// time per request (the app process's process.cpuUsage across the round), which other
// processes on the machine barely disturb. Comparisons are then taken within each round.
import { serverCpuMicros } from './bench-server.mjs';
import { loadRound } from './http-load.mjs';

/**
 * `sides`: `{ name: { child, port, request } }`, where `request` may be a function giving the
 * request for each round (a delivery signed with a timestamp must be re-signed before it
 * leaves the receiver's tolerance window). Resolves to
 * `{ name: { rate: [req/s per round], cpuUs: [server CPU µs per request per round] } }`.
 */
export async function serverRounds({ sides, rounds, requests, concurrency }) {
  const names = Object.keys(sides);
  const out = Object.fromEntries(names.map((name) => [name, { rate: [], cpuUs: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(round + j) % names.length];
      const { child, port, request } = sides[name];
      const sent = typeof request === 'function' ? request() : request;
      const before = await serverCpuMicros(child);
      out[name].rate.push(await loadRound(port, sent, requests, concurrency));
      out[name].cpuUs.push(((await serverCpuMicros(child)) - before) / requests);
    }
  }
  return out;
}
