import http, { request as namedRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type InterceptHandle, KnoxCall, KnoxCallError } from '../src/index.js';
import { clientWithEnv } from './client-test-support.js';
import { useWrapServers } from './wrap-test-support.js';

// wrap.intercept() in this process: the global fetch and node:http (a real http.request)
// are patched, routed through the emulator, and restored by uninstall(). The emulator runs
// in-process too; it forwards with the node:http functions it loaded with, so its own
// upstream calls are not intercepted.

const s = useWrapServers({ second: true });
const { options, host, proxied } = s;
const originalFetch = globalThis.fetch;
const originalRequest = http.request;
const originalGet = http.get;
let handle: InterceptHandle | undefined;
afterEach(() => {
  handle?.uninstall();
  handle = undefined;
});

function httpGet(
  url: string,
  headers: Record<string, string> = {},
  request: typeof http.request = http.request,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function httpPost(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 3));
    req.end(body.slice(3));
  });
}

describe('wrap.intercept(): global fetch', () => {
  it('routes listed hosts through KnoxCall, lets others through, and uninstall() restores the original', async () => {
    const knox = new KnoxCall(options());
    handle = knox.wrap.intercept({ hosts: [host()] });
    await handle.ready;
    expect(handle.installed).toBe(true);
    expect(handle.stacks).toEqual(['fetch', 'http']);
    expect(globalThis.fetch).not.toBe(originalFetch);

    const res = await fetch(`${s.upstream.url}/v1/things?a=1`, { method: 'POST', body: 'hello', headers: { authorization: 'Bearer transit-key' } });
    expect(((await res.json()) as { url: string }).url).toBe('/v1/things?a=1');
    expect(proxied()).toHaveLength(1);
    expect(proxied()[0]!.headers['x-knox-upstream-authorization']).toBe('Bearer transit-key');

    await fetch(`${s.other.url}/plain`);
    expect(s.other.requests).toHaveLength(1);
    expect(proxied()).toHaveLength(1);

    handle.uninstall();
    expect(handle.installed).toBe(false);
    expect(globalThis.fetch).toBe(originalFetch);
    await fetch(`${s.upstream.url}/after`);
    expect(proxied()).toHaveLength(1);
  });

  it('sends manifest routes through the route by default (routes: "auto"); interceptEgress does not', async () => {
    const knox = new KnoxCall(options());
    await knox.routes.create({ name: 'svc', slug: 'svc', target_base_url: `${s.upstream.url}/svc`, intercept_enabled: true });
    handle = knox.wrap.intercept();
    await handle.ready;
    await fetch(`${s.upstream.url}/svc/a`);
    expect(
      s.emu
        .requests()
        .filter((r) => r.headers['x-knoxcall-route'] === 'svc')
        .map((r) => r.path),
    ).toEqual(['/a']);
    handle.uninstall();

    s.emu.clearRequests();
    handle = knox.wrap.interceptEgress({ hosts: [host()] });
    await handle.ready;
    await fetch(`${s.upstream.url}/svc/b`);
    expect(s.emu.requests().filter((r) => r.headers['x-knoxcall-route'] !== undefined)).toHaveLength(0);
    expect(proxied()).toHaveLength(1);
  });

  it('two intercepts refuse to stack; after uninstall a new one installs', () => {
    const knox = new KnoxCall(options());
    handle = knox.wrap.intercept({ hosts: [host()] });
    expect(() => knox.wrap.intercept({ hosts: [host()] })).toThrow(/already installed/);
    expect(() => new KnoxCall(options()).wrap.intercept()).toThrow(KnoxCallError);
    handle.uninstall();
    handle = knox.wrap.intercept({ stacks: ['fetch'] });
    expect(handle.installed).toBe(true);
    expect(http.request).toBe(originalRequest);
  });
});

describe('wrap.intercept(): node:http', () => {
  it('a real http.request / http.get / ESM-imported request to a listed host goes through KnoxCall; uninstall() restores them', async () => {
    const knox = new KnoxCall(options());
    handle = knox.wrap.intercept({ hosts: [host()], stacks: ['http'] });
    expect(globalThis.fetch).toBe(originalFetch);
    expect(http.request).not.toBe(originalRequest);

    const got = await httpGet(`${s.upstream.url}/v1/items?x=1`, { authorization: 'Bearer via-http' });
    expect(got.status).toBe(200);
    expect(got.headers['x-knox-destination-status']).toBe('200');
    expect(JSON.parse(got.body)).toMatchObject({ method: 'GET', url: '/v1/items?x=1', headers: expect.objectContaining({ authorization: 'Bearer via-http' }) });
    expect(proxied()).toHaveLength(1);

    const posted = await httpPost(`${s.upstream.url}/v1/create`, 'name=value', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(JSON.parse(posted.body)).toMatchObject({
      method: 'POST',
      body: 'name=value',
      headers: expect.objectContaining({ 'content-type': 'application/x-www-form-urlencoded' }),
    });

    await httpGet(`${s.upstream.url}/named`, {}, namedRequest);
    expect(proxied()).toHaveLength(3);

    const viaGet = await new Promise<string>((resolve, reject) => {
      http
        .get(`${s.upstream.url}/by-get`, (res) => {
          let body = '';
          res.on('data', (c) => {
            body += String(c);
          });
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    expect(JSON.parse(viaGet).url).toBe('/by-get');
    expect(proxied()).toHaveLength(4);

    await httpGet(`${s.other.url}/direct`);
    expect(s.other.requests).toHaveLength(1);
    expect(proxied()).toHaveLength(4);

    handle.uninstall();
    expect(http.request).toBe(originalRequest);
    expect(http.get).toBe(originalGet);
    await httpGet(`${s.upstream.url}/after`, {}, namedRequest);
    expect(proxied()).toHaveLength(4);
  });
});

describe('wrap.routed() with requireContext', () => {
  it('routes only requests made inside routed()', async () => {
    const knox = new KnoxCall(options());
    handle = knox.wrap.intercept({ hosts: [host()], requireContext: true, stacks: ['fetch'] });
    await fetch(`${s.upstream.url}/outside`);
    expect(proxied()).toHaveLength(0);
    await knox.wrap.routed(async () => {
      await new Promise((r) => setTimeout(r, 1));
      await fetch(`${s.upstream.url}/inside`);
    });
    expect(proxied()).toHaveLength(1);
    expect(s.upstream.requests.map((r) => r.url)).toEqual(['/outside', '/inside']);
  });
});

describe('egress observations', () => {
  it('an unlisted host with an Authorization header gives one observation: the header name, no value', async () => {
    const knox = new KnoxCall(options());
    const flushed: unknown[] = [];
    handle = knox.wrap.intercept({ hosts: [host()], stacks: ['fetch'], onObservationFlush: (r) => flushed.push(r) });
    await fetch(`${s.other.url}/v1/charges/ch_1?secret_query=q1`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_live_value_never_reported', 'x-custom': 'n' },
      body: 'body-never',
    });
    await fetch(`${s.other.url}/v1/refunds`, { method: 'POST', headers: { authorization: 'Bearer sk_live_value_never_reported' } });
    await fetch(`${s.upstream.url}/listed`, { headers: { authorization: 'Bearer listed' } }); // covered: not observed
    await fetch(`${s.other.url}/no-credential`);
    handle.uninstall(); // flushes
    for (let i = 0; i < 100 && flushed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const observations = s.emu.wrap.observations();
    expect(observations).toEqual([
      {
        sdk: 'node/0.1.0',
        host: new URL(s.other.url).host,
        first_segment: '/v1',
        method: 'POST',
        header_name: 'authorization',
        count: 2,
        first_seen: expect.any(String),
        last_seen: expect.any(String),
      },
    ]);
    const sent = s.emu.requests().find((r) => r.path === '/v1/wrap/egress-observations')!;
    for (const leak of ['sk_live_value_never_reported', 'secret_query', 'body-never', 'ch_1', 'x-custom']) expect(sent.body).not.toContain(leak);
    expect(flushed).toEqual([{ accepted: 1, dropped: 0, reasons: {} }]);
  });

  it('observeUncovered: false and KNOXCALL_OBSERVE_UNCOVERED=off disable it', async () => {
    handle = new KnoxCall(options()).wrap.intercept({ stacks: ['fetch'], observeUncovered: false });
    await fetch(`${s.other.url}/v1/x`, { headers: { 'x-api-key': 'k' } });
    handle.uninstall();
    const { client } = clientWithEnv(options(), { KNOXCALL_OBSERVE_UNCOVERED: 'false' });
    handle = client.wrap.intercept({ stacks: ['fetch'] });
    await fetch(`${s.other.url}/v1/x`, { headers: { 'x-api-key': 'k' } });
    handle.uninstall();
    await new Promise((r) => setTimeout(r, 50));
    expect(s.emu.requests().filter((r) => r.path === '/v1/wrap/egress-observations')).toHaveLength(0);
  });
});
