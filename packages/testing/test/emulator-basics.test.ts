import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { call, mgmt } from './support/http.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ maxBodyBytes: 64 * 1024 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const REQ_ID = /^req_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('emulator basics', () => {
  it('serves on 127.0.0.1 with a ready tenant and credentials', () => {
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.proxyUrl).toBe(emu.url);
    expect(emu.tenant).toBe('acme');
    expect(emu.credentials.apiKey).toMatch(/^kc_/);
    expect(emu.credentials.legacyKey).toMatch(/^tk_/);
    expect(emu.credentials.clientId).toBeTruthy();
    expect(emu.credentials.clientSecret).toBeTruthy();
  });

  it('answers GET /v1/account with the tenant slug in the {data, meta} envelope', async () => {
    const r = await mgmt(emu, '/v1/account');
    expect(r.status).toBe(200);
    expect(r.body.data.slug).toBe('acme');
    expect(r.body.meta.request_id).toMatch(REQ_ID);
    expect(r.headers.get('x-request-id')).toBe(r.body.meta.request_id);
  });

  it('puts X-Request-Id on every response, errors included', async () => {
    const a = await call(`${emu.url}/nowhere`);
    const b = await call(`${emu.url}/v1/account`);
    expect(a.headers.get('x-request-id')).toMatch(REQ_ID);
    expect(b.headers.get('x-request-id')).toMatch(REQ_ID);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('answers an unknown path with a 404 Shape-A envelope', async () => {
    const r = await mgmt(emu, '/v1/no-such-thing');
    expect(r.status).toBe(404);
    expect(r.body.error.type).toBe('not_found');
    expect(r.body.error.message).toContain('/v1/no-such-thing');
    expect(r.body.error.request_id).toBe(r.headers.get('x-request-id'));
  });

  it('answers a known path with a wrong method with 405', async () => {
    const r = await mgmt(emu, '/v1/account', { method: 'DELETE' });
    expect(r.status).toBe(405);
    expect(r.body.error.type).toBe('method_not_allowed');
  });

  it('refuses a missing credential with 401 and WWW-Authenticate: Bearer', async () => {
    const r = await call(`${emu.url}/v1/account`);
    expect(r.status).toBe(401);
    expect(r.body.error.type).toBe('unauthorized');
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('refuses an unknown bearer token with 401', async () => {
    const r = await mgmt(emu, '/v1/account', { headers: { authorization: 'Bearer kc_nope' } });
    expect(r.status).toBe(401);
  });

  it('refuses a legacy tk_ key on the management API with 401', async () => {
    const viaBearer = await mgmt(emu, '/v1/account', { headers: { authorization: `Bearer ${emu.credentials.legacyKey}` } });
    expect(viaBearer.status).toBe(401);
    const viaHeader = await call(`${emu.url}/v1/account`, { headers: { 'x-knoxcall-key': emu.credentials.legacyKey } });
    expect(viaHeader.status).toBe(401);
  });

  it('answers malformed JSON with 400 invalid_json and keeps serving', async () => {
    const r = await mgmt(emu, '/v1/routes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('invalid_json');
    expect((await mgmt(emu, '/v1/account')).status).toBe(200);
  });

  it('answers a non-object JSON body with 400', async () => {
    const r = await mgmt(emu, '/v1/routes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
    expect(r.status).toBe(400);
  });

  it('answers a wrong content type on a JSON endpoint with 415', async () => {
    const r = await mgmt(emu, '/v1/routes', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=x' });
    expect(r.status).toBe(415);
    expect(r.body.error.type).toBe('unsupported_media_type');
  });

  it('accepts application/*+json with a charset', async () => {
    const r = await mgmt(emu, '/v1/routes', {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.knox+json; charset=utf-8' },
      body: JSON.stringify({ name: 'x', target_base_url: 'http://127.0.0.1:1' }),
    });
    expect(r.status).toBe(201);
  });

  it('answers an oversize body with 413 and keeps serving', async () => {
    const r = await mgmt(emu, '/v1/routes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `"${'x'.repeat(200 * 1024)}"` });
    expect(r.status).toBe(413);
    expect(r.body.error.type).toBe('payload_too_large');
    expect((await mgmt(emu, '/v1/account')).status).toBe(200);
  });

  it('answers 422 with per-field errors', async () => {
    const r = await mgmt(emu, '/v1/routes', { method: 'POST', json: { target_base_url: 'not a url' } });
    expect(r.status).toBe(422);
    expect(r.body.error.type).toBe('validation_error');
    expect(r.body.fields).toEqual({ name: ['is required'], target_base_url: ['must be an absolute URL'] });
  });

  it('survives a client that hangs up mid-request', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${emu.url}/v1/routes`, { method: 'POST', headers: { 'content-length': '1000', 'content-type': 'application/json' } });
      req.on('error', () => resolve());
      req.write('{"name":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    expect((await mgmt(emu, '/v1/account')).status).toBe(200);
  });

  it('answers an invalid percent-encoding in a path parameter with 400', async () => {
    const r = await mgmt(emu, '/v1/routes/%E0%A4%A');
    expect(r.status).toBe(400);
  });

  it('accepts the current KnoxCall-Version and refuses unknown ones with 400', async () => {
    expect((await mgmt(emu, '/v1/account', { headers: { 'knoxcall-version': '2026-08-05' } })).status).toBe(200);
    const future = await mgmt(emu, '/v1/account', { headers: { 'knoxcall-version': '2099-01-01' } });
    expect(future.status).toBe(400);
    expect(future.body.error.type).toBe('unsupported_api_version');
    expect((await mgmt(emu, '/v1/account', { headers: { 'knoxcall-version': 'latest' } })).status).toBe(400);
  });

  it('refuses an invalid seed tenant slug with a clear error', async () => {
    await expect(startEmulator({ seed: { tenant: 'evil.com#' } })).rejects.toThrow(/tenant slug "evil.com#" is invalid/);
  });

  it('rate-limits a key that has a limit, with 429 and Retry-After', async () => {
    let t = 1_000_000;
    const limited = await startEmulator({ now: () => t, seed: { api_keys: [{ key: 'kc_live_limited', rate_limit_requests: 2, rate_limit_window_sec: 60 }] } });
    try {
      const get = () => call(`${limited.url}/v1/account`, { headers: { authorization: 'Bearer kc_live_limited' } });
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(200);
      const third = await get();
      expect(third.status).toBe(429);
      expect(third.body.error.type).toBe('rate_limited');
      expect(third.headers.get('retry-after')).toBe('60');
      t += 61_000;
      expect((await get()).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
