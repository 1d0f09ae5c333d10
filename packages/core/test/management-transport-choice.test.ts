/**
 * Which transport carries a management call on Node: undici's global dispatcher while
 * `globalThis.fetch` is Node's own, fetch otherwise. The emulator records every request, and
 * fetch marks its own (it adds `Sec-Fetch-Mode: cors`, the dispatcher adds nothing), so each
 * test can tell which one was used.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KnoxCall, type KnoxCallOptions } from '../src/index.js';
import { isNodeOwnFetch } from '../src/node/runtime-fetch.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.clearRequests());

const nodeFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = nodeFetch;
});

function client(extra: KnoxCallOptions = {}): KnoxCall {
  return new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: { maxAttempts: 1 }, ...extra });
}

/** How the single recorded request to `path` was sent. */
function carriedBy(path: string): 'fetch' | 'dispatcher' {
  const matching = emu.requests().filter((request) => request.path === path);
  expect(matching).toHaveLength(1);
  return matching[0]!.headers['sec-fetch-mode'] === 'cors' ? 'fetch' : 'dispatcher';
}

describe('management calls on Node', () => {
  it('go through the dispatcher and answer exactly what fetch answers', async () => {
    const answer = { status: 200, headers: { 'x-request-id': 'req_1' }, body: { data: [{ id: 'r_1', name: 'ünï ☃' }], meta: { total: 1 } } };
    emu.script('GET', '/v1/routes', [answer, answer]);
    const viaDispatcher = await client().request({ method: 'GET', path: '/v1/routes', query: { limit: 2 } });
    expect(carriedBy('/v1/routes')).toBe('dispatcher');
    const [sent] = emu.requests();
    // fetch's Accept-Encoding is kept, so a server that compresses does the same for both.
    expect(sent!.headers['accept-encoding']).toBe('gzip, deflate');
    expect(sent!.query).toEqual({ limit: '2' });
    emu.clearRequests();

    const viaFetch = await client({ fetchImpl: nodeFetch }).request({ method: 'GET', path: '/v1/routes', query: { limit: 2 } });
    expect(carriedBy('/v1/routes')).toBe('fetch');
    expect(viaDispatcher).toEqual(viaFetch);
    expect(viaDispatcher).toEqual(answer.body);
  });

  it('send a JSON body with its content type and length, as fetch does', async () => {
    emu.script('POST', '/v1/echo', [{ status: 200, body: {} }]);
    await client().request({ method: 'POST', path: '/v1/echo', body: { name: 'é', n: 1 } });
    expect(carriedBy('/v1/echo')).toBe('dispatcher');
    const [sent] = emu.requests();
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.headers['content-length']).toBe(String(Buffer.byteLength('{"name":"é","n":1}')));
    expect(JSON.parse(sent!.body)).toEqual({ name: 'é', n: 1 });
  });

  it('go through a replaced globalThis.fetch (msw, nock, a stub), whenever it was replaced', async () => {
    const seen: string[] = [];
    const c = client(); // created before the replacement: the rule is read per call
    globalThis.fetch = (input, init) => {
      seen.push(String(input));
      return nodeFetch(input, init);
    };
    await c.request({ method: 'GET', path: '/v1/routes' });
    expect(seen).toEqual([`${emu.url}/v1/routes`]);
    expect(carriedBy('/v1/routes')).toBe('fetch');

    globalThis.fetch = nodeFetch;
    emu.clearRequests();
    await c.request({ method: 'GET', path: '/v1/routes' });
    expect(seen).toHaveLength(1);
    expect(carriedBy('/v1/routes')).toBe('dispatcher');
  });

  it('go through fetchImpl when one is given', async () => {
    const seen: string[] = [];
    await client({
      fetchImpl: (input, init) => {
        seen.push(String(input));
        return nodeFetch(input, init);
      },
    }).request({ method: 'GET', path: '/v1/routes' });
    expect(seen).toEqual([`${emu.url}/v1/routes`]);
    expect(carriedBy('/v1/routes')).toBe('fetch');
  });

  it('go through fetch for FormData, Blob and URLSearchParams bodies (their encodings are fetch’s)', async () => {
    emu.script('POST', '/v1/echo', [
      { status: 200, body: {} },
      { status: 200, body: {} },
      { status: 200, body: {} },
    ]);
    const form = new FormData();
    form.set('field', 'value');
    await client().request({ method: 'POST', path: '/v1/echo', body: form });
    expect(carriedBy('/v1/echo')).toBe('fetch');
    expect(emu.requests()[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    emu.clearRequests();
    await client().request({ method: 'POST', path: '/v1/echo', body: new URLSearchParams({ a: '1' }) });
    expect(carriedBy('/v1/echo')).toBe('fetch');
    emu.clearRequests();
    await client().request({ method: 'POST', path: '/v1/echo', body: new Blob(['{"a":1}']) });
    expect(carriedBy('/v1/echo')).toBe('fetch');
  });

  it('send binary bodies through the dispatcher byte for byte', async () => {
    emu.script('POST', '/v1/echo', [{ status: 200, body: {} }]);
    await client().request({ method: 'POST', path: '/v1/echo', body: new TextEncoder().encode('{"bytes":true}') });
    expect(carriedBy('/v1/echo')).toBe('dispatcher');
    expect(emu.requests()[0]!.body).toBe('{"bytes":true}');
  });
});

describe("the process's global dispatcher", () => {
  let original: Dispatcher;
  beforeEach(() => {
    original = getGlobalDispatcher();
  });
  afterEach(() => setGlobalDispatcher(original));

  it('a dispatcher set with undici’s setGlobalDispatcher (a ProxyAgent, a MockAgent) carries management calls', async () => {
    const dispatched: string[] = [];
    class CountingAgent extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        dispatched.push(`${options.method} ${options.origin}${options.path}`);
        return super.dispatch(options, handler);
      }
    }
    const agent = new CountingAgent();
    setGlobalDispatcher(agent);
    try {
      await client().request({ method: 'GET', path: '/v1/routes' });
    } finally {
      await agent.close();
    }
    expect(dispatched).toEqual([`GET ${emu.url}/v1/routes`]);
    expect(carriedBy('/v1/routes')).toBe('dispatcher');
  });
});

describe("undici's diagnostics channels", () => {
  it('see management calls (what OpenTelemetry’s undici instrumentation listens to)', async () => {
    const created: string[] = [];
    const onCreate = (message: unknown) => {
      const { request } = message as { request: { method: string; origin: string; path: string } };
      created.push(`${request.method} ${request.origin}${request.path}`);
    };
    diagnosticsChannel.subscribe('undici:request:create', onCreate);
    try {
      await client().request({ method: 'GET', path: '/v1/routes' });
    } finally {
      diagnosticsChannel.unsubscribe('undici:request:create', onCreate);
    }
    expect(carriedBy('/v1/routes')).toBe('dispatcher');
    expect(created).toEqual([`GET ${emu.url}/v1/routes`]);
  });
});

describe('isNodeOwnFetch', () => {
  it('recognises Node’s fetch and nothing that stands in for it', () => {
    expect(isNodeOwnFetch(nodeFetch)).toBe(true);
    expect(isNodeOwnFetch((input: RequestInfo, init?: RequestInit) => nodeFetch(input, init))).toBe(false);
    expect(isNodeOwnFetch(new Proxy(nodeFetch, {}))).toBe(false);
    expect(isNodeOwnFetch(nodeFetch.bind(globalThis))).toBe(false);
    expect(isNodeOwnFetch(undefined)).toBe(false);
    expect(isNodeOwnFetch(nodeFetch)).toBe(true);
  });
});
