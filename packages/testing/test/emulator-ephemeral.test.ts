import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { call } from './support/http.js';
import { type Upstream, startUpstream } from './support/upstream.js';

let emu: Emulator;
let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    const status = req.url.startsWith('/fail') ? 401 : 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, url: req.url, auth: req.headers['authorization'] ?? null, body: req.body }));
  });
  emu = await startEmulator({ seed: { secrets: [{ name: 'escrowed', value: 'sk_escrow' }] } });
});
afterAll(async () => {
  await emu.close();
  await upstream.close();
});
beforeEach(() => emu.reset());

const proxy = (method: string, target: string, headers: Record<string, string> = {}, body?: string) =>
  call(`${emu.url}/v1/proxy`, {
    method,
    headers: { authorization: `Bearer ${emu.credentials.apiKey}`, 'x-knox-proxy-url': target, ...headers },
    ...(body ? { body } : {}),
  });

describe('ephemeral proxy /v1/proxy', () => {
  it('forwards any method to the loopback URL and marks the answer with X-Knox-Destination-Status', async () => {
    const r = await proxy('PUT', `${upstream.url}/items/1?x=2`, { 'content-type': 'application/json' }, '{"a":1}');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-knox-destination-status')).toBe('200');
    expect(r.body).toEqual({ method: 'PUT', url: '/items/1?x=2', auth: null, body: '{"a":1}' });
  });

  it('returns upstream errors as marked answers, not refusals', async () => {
    const r = await proxy('GET', `${upstream.url}/fail`);
    expect(r.status).toBe(401);
    expect(r.headers.get('x-knox-destination-status')).toBe('401');
  });

  it('maps X-Knox-Upstream-Authorization and an escrowed secret to the upstream Authorization', async () => {
    expect((await proxy('GET', upstream.url, { 'x-knox-upstream-authorization': 'Bearer up' })).body.auth).toBe('Bearer up');
    expect((await proxy('GET', upstream.url, { 'x-knox-upstream-auth-secret': 'escrowed' })).body.auth).toBe('Bearer sk_escrow');
    expect((await proxy('GET', upstream.url, { 'x-knox-upstream-auth-secret': 'escrowed', 'x-knox-upstream-auth-scheme': 'none' })).body.auth).toBe(
      'sk_escrow',
    );
  });

  it('resolves {{ token: "…" }} vault templates in JSON bodies, except in transparent mode', async () => {
    const auth = { authorization: `Bearer ${emu.credentials.apiKey}`, 'content-type': 'application/json' };
    await call(`${emu.url}/v1/vaults`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'cards' }) });
    const tok = (await call(`${emu.url}/v1/vaults/cards/tokens`, { method: 'POST', headers: auth, body: JSON.stringify({ value: '4242424242424242' }) })).body
      .data.token;
    const body = JSON.stringify({ card: `{{ token: "${tok}" }}`, note: 'x' });
    const resolved = await proxy('POST', upstream.url, { 'content-type': 'application/json' }, body);
    expect(JSON.parse(resolved.body.body)).toEqual({ card: '4242424242424242', note: 'x' });
    const verbatim = await proxy('POST', upstream.url, { 'content-type': 'application/json', 'x-knox-proxy-mode': 'transparent' }, body);
    expect(verbatim.body.body).toBe(body);
    const unknown = await proxy('POST', upstream.url, { 'content-type': 'application/json' }, JSON.stringify({ card: '{{ token: "nope" }}' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.type).toBe('unknown_token');
  });

  it('refuses non-loopback destinations with 400 and sends nothing', async () => {
    const r = await proxy('GET', 'https://api.stripe.com/v1/charges');
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('destination_not_allowed');
  });

  it('refuses a missing X-Knox-Proxy-URL with 400 and a missing credential with 401', async () => {
    const missing = await call(`${emu.url}/v1/proxy`, { headers: { authorization: `Bearer ${emu.credentials.apiKey}` } });
    expect(missing.status).toBe(400);
    const anon = await call(`${emu.url}/v1/proxy`, { headers: { 'x-knox-proxy-url': upstream.url } });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('x-knox-destination-status')).toBeNull();
  });
});
