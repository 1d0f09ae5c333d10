import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { KnoxCall, KnoxCallOptions } from '@knoxcall/core';
import type { Emulator } from '@knoxcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './app-fixture.js';
import { readAnswer } from './deliveries.js';
import { startEmulatorClient } from './emulator-client.js';
import { type WrapFetchOutcome, wrapFetchProbe } from './remote/wrap-fetch-probe.js';
import { type AdapterUnderTest, CONTRACT_PATHS, type ContractKnoxConfig } from './types.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02';

/** A provider API on 127.0.0.1: `/echo` answers the headers it got; `/hold` never answers on its own. */
interface FakeProvider {
  url: string;
  seen: Array<{ path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

async function startFakeProvider(): Promise<FakeProvider> {
  const seen: FakeProvider['seen'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '/', headers: req.headers });
    if (req.url?.startsWith('/hold')) return; // answered only by the server closing
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, requestId: req.headers['x-request-id'] ?? null, traceparent: req.headers.traceparent ?? null }));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/**
 * `wrap.fetch()` made from the request's view (req.knox / request.knox / c.var.knox /
 * @Knox()): what it sends through KnoxCall carries the incoming request's x-request-id and
 * traceparent to the upstream, and it is aborted when the caller disconnects.
 */
export function wrapScopeCases(adapter: AdapterUnderTest): void {
  const reason = adapter.skip?.['request-scope'];
  if (reason) {
    it.skip(`request-scoped wrap.fetch() cases (skipped: ${reason})`, () => {});
    return;
  }

  let emulator: Emulator;
  let client: KnoxCall;
  let clientOptions: KnoxCallOptions;
  let provider: FakeProvider;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    provider = await startFakeProvider();
    ({ emulator, client, options: clientOptions, close: stop } = await startEmulatorClient());
  });
  /** The request's view probes `path` on the provider, in-process or in an app on another runtime. */
  const wrapFetchKnox = (path: string, settled?: (outcome: WrapFetchOutcome) => void): ContractKnoxConfig => {
    const url = provider.url + path;
    return { client, clientOptions, probe: wrapFetchProbe(url, settled), wrapFetch: settled ? { url, settled } : { url } };
  };
  afterAll(async () => {
    await stop?.();
    await provider?.close();
  });

  describe('forwarding', () => {
    const app = useApp(adapter, () => ({ knox: wrapFetchKnox('/echo?x=1') }));

    it("forwards the caller's x-request-id and traceparent to the upstream", async () => {
      const requestId = `req-${crypto.randomUUID()}`;
      const answer = await readAnswer(await fetch(app.url + CONTRACT_PATHS.probe, { headers: { 'x-request-id': requestId, traceparent: TRACEPARENT } }));
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ result: { path: '/echo?x=1', requestId, traceparent: TRACEPARENT } });
      const viaKnox = emulator.requests().filter((r) => r.path === '/v1/proxy' && r.headers['x-request-id'] === requestId);
      expect(viaKnox).toHaveLength(1);
    });
  });

  describe('disconnect', () => {
    const disconnectSkip = adapter.skip?.['caller-disconnect'];
    if (disconnectSkip) {
      it.skip(`aborts the wrapped request when the caller disconnects (skipped: ${disconnectSkip})`, () => {});
      return;
    }
    let settle!: (outcome: WrapFetchOutcome) => void;
    let outcome!: Promise<WrapFetchOutcome>;
    const app = useApp(adapter, () => ({ knox: wrapFetchKnox('/hold', (result) => settle(result)) }));

    it('aborts the wrapped request when the caller disconnects', async () => {
      outcome = new Promise((resolve) => {
        settle = resolve;
      });
      const held = () => provider.seen.filter((s) => s.path === '/hold').length;
      const before = held();
      const caller = new AbortController();
      const started = Date.now();
      const answer = fetch(app.url + CONTRACT_PATHS.probe, { signal: caller.signal }).catch(() => 'aborted');
      for (let i = 0; i < 400 && held() === before; i++) await new Promise((r) => setTimeout(r, 5));
      expect(held()).toBe(before + 1); // the request really reached the upstream through KnoxCall
      caller.abort();
      expect(await answer).toBe('aborted');
      const error = await outcome;
      expect(Date.now() - started).toBeLessThan(4000);
      expect(error).toMatchObject({ name: 'APIUserAbortError' });
    });
  });
}
