import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { call, mgmt } from './support/http.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe('fault injection: script()', () => {
  it('answers scripted statuses in order, then resumes normal behaviour', async () => {
    emu.script('GET', '/v1/account', [
      { status: 503, headers: { 'retry-after': '2' }, body: { error: { type: 'dependency_unavailable', message: 'db down' } } },
      { status: 429, body: { error: { type: 'rate_limited', message: 'slow down' } } },
    ]);
    const a = await mgmt(emu, '/v1/account');
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('2');
    expect(a.body.error.type).toBe('dependency_unavailable');
    expect(a.headers.get('x-request-id')).toMatch(/^req_/);
    expect((await mgmt(emu, '/v1/account')).status).toBe(429);
    expect((await mgmt(emu, '/v1/account')).status).toBe(200);
  });

  it('resets the connection after reading the request', async () => {
    emu.script('POST', '/v1/routes', [{ reset: true }]);
    await expect(mgmt(emu, '/v1/routes', { method: 'POST', json: { name: 'x', target_base_url: 'http://127.0.0.1:1' } })).rejects.toThrow();
    // The request was read (and logged) but nothing was created.
    expect(emu.requests().filter((r) => r.path === '/v1/routes')).toHaveLength(1);
    expect((await mgmt(emu, '/v1/routes')).body.meta.total).toBe(0);
  });

  it('delays and then behaves normally', async () => {
    emu.script('GET', '/v1/account', [{ delayMs: 150 }]);
    const started = performance.now();
    const r = await mgmt(emu, '/v1/account');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(r.status).toBe(200);
    expect(r.body.data.slug).toBe('acme');
  });

  it('sends a raw non-JSON body with a JSON content type', async () => {
    emu.script('GET', '/v1/account', [{ rawBody: 'not json', status: 200 }]);
    const r = await mgmt(emu, '/v1/account');
    expect(r.status).toBe(200);
    expect(r.text).toBe('not json');
    expect(r.headers.get('content-type')).toContain('application/json');
  });

  it('matches path patterns with :params and any method with *', async () => {
    emu.script('*', '/v1/routes/:id', [{ status: 500 }, { status: 502 }]);
    expect((await mgmt(emu, '/v1/routes/abc')).status).toBe(500);
    expect((await mgmt(emu, '/v1/routes/def', { method: 'DELETE' })).status).toBe(502);
    expect((await mgmt(emu, '/v1/routes/abc')).status).toBe(404);
    expect((await mgmt(emu, '/v1/routes')).status).toBe(200);
  });

  it('can script the token endpoint and data-plane paths', async () => {
    emu.script('POST', '/oauth/token', [{ status: 503 }]);
    const r = await call(`${emu.url}/oauth/token`, { method: 'POST' });
    expect(r.status).toBe(503);
    emu.script('GET', '/upstream/path', [{ status: 401 }]);
    const dp = await call(`${emu.url}/upstream/path`, { headers: { 'x-knoxcall-route': 'x' } });
    expect(dp.status).toBe(401);
    expect(dp.headers.get('x-knox-upstream-status')).toBeNull();
  });
});

describe('request log and reset()', () => {
  it('records method, path, query, headers and raw body', async () => {
    emu.clearRequests();
    await mgmt(emu, '/v1/routes?page=2&per_page=5');
    await mgmt(emu, '/v1/routes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": "n"}' });
    const log = emu.requests();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ method: 'GET', path: '/v1/routes', query: { page: '2', per_page: '5' }, body: '' });
    expect(log[0]!.headers['authorization']).toBe(`Bearer ${emu.credentials.apiKey}`);
    expect(log[1]).toMatchObject({ method: 'POST', path: '/v1/routes', body: '{"name": "n"}' });
    emu.clearRequests();
    expect(emu.requests()).toEqual([]);
  });

  it('restores data, scripts and logs', async () => {
    await mgmt(emu, '/v1/routes', { method: 'POST', json: { name: 'temp', target_base_url: 'http://127.0.0.1:1' } });
    emu.script('GET', '/v1/account', [{ status: 500 }]);
    emu.reset();
    expect(emu.requests()).toEqual([]);
    expect((await mgmt(emu, '/v1/account')).status).toBe(200);
    expect((await mgmt(emu, '/v1/routes')).body.meta.total).toBe(0);
  });

  it('keeps credentials and seeded ids valid across reset()', async () => {
    const seeded = await startEmulator({ seed: { routes: [{ name: 'seeded', target_base_url: 'http://127.0.0.1:1' }] } });
    try {
      const before = (await mgmt(seeded, '/v1/routes')).body.data[0].id;
      await mgmt(seeded, `/v1/routes/${before}`, { method: 'DELETE' });
      seeded.reset();
      const after = (await mgmt(seeded, '/v1/routes')).body.data[0].id;
      expect(after).toBe(before);
    } finally {
      await seeded.close();
    }
  });
});
