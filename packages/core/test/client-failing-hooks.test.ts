import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KnoxCall, type KnoxCallOptions, type TelemetryHooks } from '../src/index.js';

// Telemetry hooks observe; "a hook that throws changes nothing" (issue 3). Here every hook
// throws, or returns a rejected promise, on a call that needs a retry, and the outcome —
// status, body, number of attempts, idempotency key — must equal the same call without
// hooks, on both planes, with no unhandled rejection left behind.

let emu: Emulator;
let flaky: { server: Server; url: string; hits: number; reset(): void };
beforeAll(async () => {
  emu = await startEmulator();
  // A self-hosted data-plane base that drops the connection of every other request (a reset
  // is retried for GET), and answers the others.
  const state = { hits: 0 };
  const server = createServer((req, res) => {
    state.hits += 1;
    req.resume();
    if (state.hits % 2 === 1) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, attempt: state.hits }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  flaky = {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get hits() {
      return state.hits;
    },
    reset: () => {
      state.hits = 0;
    },
  };
});
afterAll(async () => {
  await emu.close();
  flaky.server.closeAllConnections();
  await new Promise((resolve) => flaky.server.close(resolve));
});

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
  flaky.reset();
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  // A rejection nobody handles is reported after the microtask queue drains.
  await new Promise((resolve) => setTimeout(resolve, 20));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const throwing: TelemetryHooks = {
  onRequest() {
    throw new Error('onRequest sink down');
  },
  onResponse() {
    throw new Error('onResponse sink down');
  },
  onRetry() {
    throw new Error('onRetry sink down');
  },
};
const rejecting: TelemetryHooks = {
  onRequest: () => Promise.reject(new Error('onRequest async sink down')),
  onResponse: () => Promise.reject(new Error('onResponse async sink down')),
  onRetry: async () => {
    throw new Error('onRetry async sink down');
  },
};
const hookSets: Array<[string, TelemetryHooks | undefined]> = [
  ['no hooks (reference)', undefined],
  ['throwing hooks', throwing],
  ['hooks returning rejected promises', rejecting],
];

function client(telemetry: TelemetryHooks | undefined, extra: KnoxCallOptions = {}): KnoxCall {
  return new KnoxCall({
    baseUrl: emu.url,
    apiKey: emu.credentials.apiKey,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    telemetry,
    ...extra,
  });
}

describe('hooks that throw or reject change nothing', () => {
  it.each(hookSets)('management, with a retried 503: %s', async (_name, hooks) => {
    emu.script('POST', '/v1/echo', [
      { status: 503, body: {} },
      { status: 200, body: { data: { ok: true } } },
    ]);
    const result = await client(hooks).request<unknown>({
      method: 'POST',
      path: '/v1/echo',
      body: { amount: 1 },
      idempotencyKey: 'idem-hooks-test',
    });
    const sent = emu.requests().filter((r) => r.path === '/v1/echo');
    expect({ result, attempts: sent.length, keys: sent.map((r) => r.headers['x-idempotency-key']) }).toEqual({
      result: { data: { ok: true } },
      attempts: 2,
      keys: ['idem-hooks-test', 'idem-hooks-test'],
    });
  });

  it.each(hookSets)('management, a 404 still throws the same typed error: %s', async (_name, hooks) => {
    await expect(client(hooks).request({ method: 'GET', path: '/v1/routes/rt_missing' })).rejects.toMatchObject({
      status: 404,
      name: 'NotFoundError',
    });
  });

  it.each(hookSets)('data plane, a GET whose first connection is reset: %s', async (_name, hooks) => {
    const response = await client(hooks, { proxyBaseUrl: flaky.url }).call('any-route', { path: '/charges' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, attempt: 2 });
    expect(flaky.hits).toBe(2);
  });
});
