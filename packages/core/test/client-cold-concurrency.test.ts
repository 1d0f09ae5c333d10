import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KnoxCall } from '../src/index.js';
import { startUpstream, type Upstream } from './client-test-support.js';

// Issue 3: "1,000 concurrent calls on a cold client make exactly one token request". The
// authenticator's single-flight is tested on its own elsewhere; this proves it end to end
// through the public client, where the data plane, the management pipeline and the
// resources each ask for the credential on their own path.

const CALLS = 1000;
let emu: Emulator;
let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream();
  emu = await startEmulator({ seed: { routes: [{ name: 'Echo', slug: 'echo', target_base_url: upstream.url }] } });
});
afterAll(async () => {
  await emu.close();
  await upstream.close();
});
// Every waiting call listens for close(); Node warns past 10 listeners on one signal
// ("Possible EventTarget memory leak"), so the client must not add one per waiting call.
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
  warnings.length = 0;
  process.on('warning', onWarning);
});
afterEach(async () => {
  await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  process.off('warning', onWarning);
  expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
});

/** A cold client: nothing cached, client credentials only, self-hosted (loopback) base. */
function coldClient(): KnoxCall {
  return new KnoxCall({
    baseUrl: emu.url,
    clientId: emu.credentials.clientId,
    clientSecret: emu.credentials.clientSecret,
    dpop: 'never',
  });
}
const tokenRequests = () => emu.requests().filter((r) => r.method === 'POST' && r.path === '/oauth/token');

describe(`${CALLS} concurrent calls on a cold client with client credentials`, () => {
  it('client.call(): one token request, every call answered by the upstream', async () => {
    const client = coldClient();
    const responses = await Promise.all(Array.from({ length: CALLS }, (_, i) => client.call('echo', { path: `/item/${i}` })));
    expect(responses.map((r) => r.status)).toEqual(Array(CALLS).fill(200));
    const paths = await Promise.all(responses.map(async (r) => ((await r.json()) as { url: string }).url));
    expect(new Set(paths).size).toBe(CALLS);
    expect(tokenRequests()).toHaveLength(1);
    await client.close();
  });

  it('client.request(): one token request, every call succeeds', async () => {
    const client = coldClient();
    const bodies = await Promise.all(Array.from({ length: CALLS }, () => client.request<{ data: unknown[] }>({ method: 'GET', path: '/v1/routes' })));
    expect(bodies.every((body) => Array.isArray(body.data))).toBe(true);
    expect(tokenRequests()).toHaveLength(1);
    await client.close();
  });

  it('resource calls (routes.list / routes.get): one token request, every call succeeds', async () => {
    const client = coldClient();
    const results = await Promise.all(Array.from({ length: CALLS }, (_, i) => (i % 2 === 0 ? client.routes.list() : client.routes.get('echo'))));
    expect(results).toHaveLength(CALLS);
    for (const [i, result] of results.entries()) {
      if (i % 2 === 0) expect(Array.isArray((result as { data: unknown[] }).data)).toBe(true);
      else expect((result as { slug: string }).slug).toBe('echo');
    }
    expect(tokenRequests()).toHaveLength(1);
    await client.close();
  });
});
