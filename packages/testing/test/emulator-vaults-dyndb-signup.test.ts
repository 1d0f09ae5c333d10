import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { call, mgmt } from './support/http.js';
import { type Upstream, startUpstream } from './support/upstream.js';

let t = 1_760_000_000_000;
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ now: () => t });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const post = (path: string, json: unknown) => mgmt(emu, path, { method: 'POST', json });

describe('vaults', () => {
  it('tokenizes and detokenizes, never lists values, and iterates tokens by page', async () => {
    expect((await post('/v1/vaults', { name: 'cards', token_format: 'pan' })).status).toBe(201);
    const tok = await post('/v1/vaults/cards/tokens', { value: '4242424242424242', metadata: { user: 'u1' }, card_exp_month: 2, card_exp_year: 2030 });
    expect(tok.status).toBe(201);
    expect(tok.body.data.token).toMatch(/^\d{12}4242$/);
    expect(tok.body.data.card_expires_on).toBe('2030-02-28');
    const de = await mgmt(emu, `/v1/vaults/cards/tokens/${tok.body.data.token}`);
    expect(de.body.data).toMatchObject({ value: '4242424242424242', metadata: { user: 'u1' }, crypto_key_version: 1 });
    expect(Buffer.from(de.body.data.value_b64, 'base64').toString()).toBe('4242424242424242');
    expect((await mgmt(emu, `/v1/vaults/cards/tokens/${tok.body.data.id}`)).body.data.value).toBe('4242424242424242');

    const bulk = await post('/v1/vaults/cards/tokens/bulk', { values: [{ value: '4000000000000002' }, { value: '5555555555554444' }] });
    expect(bulk.body.data.count).toBe(2);
    const page = await mgmt(emu, '/v1/vaults/cards/tokens?per_page=2&page=2');
    expect(page.body.meta).toMatchObject({ total: 3, total_pages: 2 });
    expect(JSON.stringify(page.body)).not.toMatch(/4242424242424242|5555555555554444/);
    expect((await mgmt(emu, '/v1/vaults/cards')).body.data.stats).toEqual({ token_count: 3, active_count: 3, expiring_in_24h: 0 });
  });

  it('refuses a bulk batch as a whole and names the bad index', async () => {
    await post('/v1/vaults', { name: 'v' });
    const r = await post('/v1/vaults/v/tokens/bulk', { values: [{ value: 'ok' }, { value: '' }] });
    expect(r.status).toBe(422);
    expect(Object.keys(r.body.fields)).toEqual(['values[1].value']);
    expect((await mgmt(emu, '/v1/vaults/v/tokens')).body.meta.total).toBe(0);
    expect((await post('/v1/vaults/v/tokens', { value: 'x', card_exp_month: 1, card_exp_year: 2030 })).status).toBe(422);
  });

  it('expires tokens by the emulator clock, updates metadata and deletes', async () => {
    await post('/v1/vaults', { name: 'v' });
    const tok = await post('/v1/vaults/v/tokens', { value: 'secret', ttl_seconds: 60 });
    expect((await mgmt(emu, `/v1/vaults/v/tokens/${tok.body.data.id}`, { method: 'PATCH', json: { metadata: { a: 1 } } })).body.data).toEqual({
      updated: true,
    });
    t += 61_000;
    expect((await mgmt(emu, `/v1/vaults/v/tokens/${tok.body.data.id}`)).status).toBe(404);
    const other = await post('/v1/vaults/v/tokens', { value: 'x' });
    expect((await mgmt(emu, `/v1/vaults/v/tokens/${other.body.data.id}`, { method: 'DELETE' })).body.data).toEqual({ deleted: true });
    expect((await post('/v1/vaults/v/rotate', {})).body.data).toEqual({ new_version: 2 });
    expect((await mgmt(emu, '/v1/vaults/v', { method: 'DELETE' })).body.data).toEqual({ deleted: true });
    expect((await mgmt(emu, '/v1/vaults/v')).status).toBe(404);
  });

  it('keeps nothing but the key in dual custody: the token is a kc: ciphertext', async () => {
    await post('/v1/vaults', { name: 'dual', custody_mode: 'dual' });
    const tok = await post('/v1/vaults/dual/tokens', { value: 'ssn-123' });
    expect(tok.body.data.token).toMatch(/^kc:v1:string:/);
    expect((await post('/v1/decrypt', { data: tok.body.data.token })).body.data.plaintext).toBe('ssn-123');
  });
});

describe('dynamic db', () => {
  it('mints leases (password once), lists live leases inside data, refuses deletes while live, revokes', async () => {
    const c = await post('/v1/dyn-db-credentials', { name: 'main', engine: 'postgres', host: '127.0.0.1', port: 5432, admin_password: 'pw' });
    expect(c.body.data).toMatchObject({ name: 'main', engine: 'postgres', execution_mode: 'direct' });
    expect(JSON.stringify((await mgmt(emu, '/v1/dyn-db-credentials/main')).body)).not.toContain('pw"');
    const role = await post('/v1/dyn-db-credentials/main/roles', { name: 'ro', template: 'postgres_readonly', max_ttl_seconds: 600 });
    expect(role.body.data).toMatchObject({ name: 'ro', connection: 'main' });
    expect((await mgmt(emu, '/v1/dyn-db-credentials/main/roles')).body.data[0].creation_sql_template).toContain('CREATE ROLE');

    const mint = await post('/v1/dyn-db-credentials/main/creds/ro', { ttl_seconds: 3600 });
    expect(mint.body.data).toMatchObject({ connection_name: 'main', role_name: 'ro' });
    expect(Number.isInteger(mint.body.data.lease_id)).toBe(true);
    expect(Date.parse(mint.body.data.expires_at) - t).toBe(600_000);

    const leases = await mgmt(emu, '/v1/dyn-db-credentials/leases?connection=main');
    expect(leases.body.data).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(leases.body.data.leases[0].id).toBe(mint.body.data.lease_id);
    expect(leases.body.data.leases[0].password).toBeUndefined();

    expect((await mgmt(emu, '/v1/dyn-db-credentials/main/roles/ro', { method: 'DELETE' })).status).toBe(409);
    expect((await mgmt(emu, '/v1/dyn-db-credentials/main', { method: 'DELETE' })).status).toBe(409);
    expect((await post(`/v1/dyn-db-credentials/leases/${mint.body.data.lease_id}/revoke`, {})).body.data).toEqual({ revoked: mint.body.data.lease_id });
    expect((await mgmt(emu, '/v1/dyn-db-credentials/leases')).body.data.total).toBe(0);
    expect((await mgmt(emu, '/v1/dyn-db-credentials/main/roles/ro', { method: 'DELETE' })).body.data).toEqual({ deleted: 'ro' });
    expect((await mgmt(emu, '/v1/dyn-db-credentials/main', { method: 'DELETE' })).body.data).toEqual({ deleted: 'main' });
  });

  it('drops expired leases from the live list', async () => {
    await post('/v1/dyn-db-credentials', { name: 'db', engine: 'mysql', host: 'h' });
    await post('/v1/dyn-db-credentials/db/roles', { name: 'r', creation_sql: 'CREATE USER x' });
    await post('/v1/dyn-db-credentials/db/creds/r', { ttl_seconds: 30 });
    expect((await mgmt(emu, '/v1/dyn-db-credentials/leases')).body.data.total).toBe(1);
    t += 31_000;
    expect((await mgmt(emu, '/v1/dyn-db-credentials/leases')).body.data.total).toBe(0);
  });
});

describe('signup and claim', () => {
  let upstream: Upstream;
  beforeAll(async () => {
    upstream = await startUpstream();
  });
  afterAll(() => upstream.close());

  const anon = (path: string, json: unknown) =>
    call(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });

  it('stays pending until completeSignup, then returns the starter key exactly once', async () => {
    const s = await anon('/v1/signup', { email: 'dev@example.test', tenant_name: 'Globex Corp' });
    expect(s.status).toBe(202);
    expect(s.body.data).toMatchObject({ status: 'pending', claim_path: '/v1/signup/claim', poll_after_seconds: 5 });
    const handle = s.body.data.claim_handle as string;
    const pending = await anon('/v1/signup/claim', { claim_handle: handle });
    expect(pending.status).toBe(202);
    expect(pending.body.data.status).toBe('pending');

    emu.completeSignup(handle);
    const ready = await anon('/v1/signup/claim', { claim_handle: handle });
    expect(ready.status).toBe(200);
    expect(ready.body.data).toMatchObject({ status: 'ready', tenant: { slug: 'globex-corp', name: 'Globex Corp' } });
    const key = ready.body.data.starter.api_key;
    expect(key).toMatchObject({ key_type: 'test' });
    expect(key.api_key).toMatch(/^tk_test_/);

    const again = await anon('/v1/signup/claim', { claim_handle: handle });
    expect(again.status).toBe(409);
    expect(again.body.error.type).toBe('claim_already_collected');
    expect((await anon('/v1/signup/claim', { claim_handle: 'sck_unknown' })).status).toBe(404);

    // The starter key works on this emulator's data plane.
    await post('/v1/routes', { name: 'u', slug: 'u', target_base_url: upstream.url });
    const dp = await call(`${emu.proxyUrl}/hello`, { headers: { 'x-knoxcall-route': 'u', 'x-knoxcall-key': key.api_key } });
    expect(dp.status).toBe(200);
  });

  it('validates signup input with 422 and rejects unknown handles in completeSignup', async () => {
    expect((await anon('/v1/signup', { email: 'not-an-email' })).status).toBe(422);
    expect(() => emu.completeSignup('sck_nope')).toThrow(/no pending signup/);
  });
});
