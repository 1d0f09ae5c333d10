import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { mgmt } from './support/http.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function createRoutes(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await mgmt(emu, '/v1/routes', { method: 'POST', json: { name: `r${i}`, target_base_url: `http://127.0.0.1:9/${i}` } });
    expect(r.status).toBe(201);
  }
}

describe('pagination', () => {
  it('returns an empty list with total 0 and total_pages 0', async () => {
    const r = await mgmt(emu, '/v1/routes');
    expect(r.body.data).toEqual([]);
    expect(r.body.meta).toEqual({ total: 0, page: 1, per_page: 20, total_pages: 0, request_id: r.headers.get('x-request-id') });
  });

  it('serves the last partial page and an empty page past the end', async () => {
    await createRoutes(5);
    const p3 = await mgmt(emu, '/v1/routes?page=3&per_page=2');
    expect(p3.body.data.map((x: { name: string }) => x.name)).toEqual(['r4']);
    expect(p3.body.meta).toMatchObject({ total: 5, page: 3, per_page: 2, total_pages: 3 });
    const p4 = await mgmt(emu, '/v1/routes?page=4&per_page=2');
    expect(p4.body.data).toEqual([]);
    expect(p4.body.meta).toMatchObject({ total: 5, page: 4, total_pages: 3 });
  });

  it('caps per_page at 100', async () => {
    const r = await mgmt(emu, '/v1/routes?per_page=500');
    expect(r.status).toBe(200);
    expect(r.body.meta.per_page).toBe(100);
  });

  it('answers a non-numeric or zero page with 400', async () => {
    expect((await mgmt(emu, '/v1/routes?page=0')).status).toBe(400);
    expect((await mgmt(emu, '/v1/routes?per_page=abc')).status).toBe(400);
  });
});

describe('routes', () => {
  it('creates, reads by slug and id, updates and deletes a route', async () => {
    const created = await mgmt(emu, '/v1/routes', {
      method: 'POST',
      json: { name: 'Stripe', slug: 'stripe', target_base_url: 'https://api.stripe.test', inject_headers_json: { Authorization: 'Bearer {{secret:stripe}}' } },
    });
    expect(created.status).toBe(201);
    const rec = created.body.data;
    expect(rec).toMatchObject({
      name: 'Stripe',
      slug: 'stripe',
      target_base_url: 'https://api.stripe.test',
      enabled: true,
      base_environment: 'production',
      sandbox: false,
    });
    expect(rec.tenant_id).toBeTruthy();

    const bySlug = await mgmt(emu, '/v1/routes/stripe');
    expect(bySlug.body.data).toMatchObject({ id: rec.id, configured_environments: ['production'], environment_override_count: 0 });
    expect((await mgmt(emu, `/v1/routes/${rec.id}`)).body.data.slug).toBe('stripe');

    const patched = await mgmt(emu, '/v1/routes/stripe', { method: 'PATCH', json: { name: 'Stripe API', enabled: false } });
    expect(patched.body.data).toMatchObject({ name: 'Stripe API', enabled: false });

    const list = await mgmt(emu, '/v1/routes?enabled=false');
    expect(list.body.data).toHaveLength(1);

    expect((await mgmt(emu, '/v1/routes/stripe', { method: 'DELETE' })).body.data).toEqual({ deleted: true });
    expect((await mgmt(emu, '/v1/routes/stripe')).status).toBe(404);
  });

  it('refuses a duplicate slug with 409 and a slug change with 409', async () => {
    await mgmt(emu, '/v1/routes', { method: 'POST', json: { name: 'a', slug: 'dup', target_base_url: 'http://127.0.0.1:1' } });
    const dup = await mgmt(emu, '/v1/routes', { method: 'POST', json: { name: 'b', slug: 'dup', target_base_url: 'http://127.0.0.1:1' } });
    expect(dup.status).toBe(409);
    const change = await mgmt(emu, '/v1/routes/dup', { method: 'PATCH', json: { slug: 'other' } });
    expect(change.status).toBe(409);
  });

  it('lets a slug be set once on a route created without one', async () => {
    const c = await mgmt(emu, '/v1/routes', { method: 'POST', json: { name: 'noslug', target_base_url: 'http://127.0.0.1:1' } });
    expect(c.body.data.slug).toBeNull();
    const p = await mgmt(emu, `/v1/routes/${c.body.data.id}`, { method: 'PATCH', json: { slug: 'later' } });
    expect(p.body.data.slug).toBe('later');
  });

  it('upserts, lists and deletes environment overrides', async () => {
    await mgmt(emu, '/v1/routes', { method: 'POST', json: { name: 'svc', slug: 'svc', target_base_url: 'http://127.0.0.1:1' } });
    const put = await mgmt(emu, '/v1/routes/svc/environments/staging', {
      method: 'PUT',
      json: { target_base_url: 'http://127.0.0.1:2', inject_headers_json: { 'X-Key': '{{secret:k}}' }, enabled: true },
    });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      environment_name: 'staging',
      target_base_url: 'http://127.0.0.1:2',
      inject_headers_json: { 'X-Key': '{{secret:k}}' },
      enabled: true,
    });
    const again = await mgmt(emu, '/v1/routes/svc/environments/staging', { method: 'PUT', json: { enabled: false } });
    expect(again.body.data).toMatchObject({ id: put.body.data.id, target_base_url: 'http://127.0.0.1:2', enabled: false });

    const envs = await mgmt(emu, '/v1/routes/svc/environments');
    expect(envs.body.data.map((e: { environment_name: string }) => e.environment_name)).toEqual(['production', 'staging']);
    expect((await mgmt(emu, '/v1/routes/svc')).body.data.environment_override_count).toBe(1);

    expect((await mgmt(emu, '/v1/routes/svc/environments/staging', { method: 'DELETE' })).body.data).toEqual({ deleted: true });
    expect((await mgmt(emu, '/v1/routes/svc/environments/staging', { method: 'DELETE' })).status).toBe(404);
    expect((await mgmt(emu, '/v1/routes/svc/environments/nope', { method: 'PUT', json: {} })).status).toBe(404);
  });

  it('refuses non-empty injection_rules with 400', async () => {
    await mgmt(emu, '/v1/routes', { method: 'POST', json: { name: 'svc', slug: 'svc', target_base_url: 'http://127.0.0.1:1' } });
    expect((await mgmt(emu, '/v1/routes/svc/environments/staging', { method: 'PUT', json: { injection_rules: [{ a: 1 }] } })).status).toBe(400);
    expect((await mgmt(emu, '/v1/routes/svc/environments/staging', { method: 'PUT', json: { injection_rules: [] } })).status).toBe(200);
  });

  it('creates, lists and deletes field actions', async () => {
    await mgmt(emu, '/v1/routes', { method: 'POST', json: { name: 'svc', slug: 'svc', target_base_url: 'http://127.0.0.1:1' } });
    const a = await mgmt(emu, '/v1/routes/svc/actions', {
      method: 'POST',
      json: { direction: 'request', action: 'encrypt', selectors: ['$.card.number'], key_name: 'k1' },
    });
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({ direction: 'request', action: 'encrypt', selectors: ['$.card.number'], key_name: 'k1', data_role: null });
    expect((await mgmt(emu, '/v1/routes/svc/actions')).body.data).toHaveLength(1);
    const bad = await mgmt(emu, '/v1/routes/svc/actions', { method: 'POST', json: { direction: 'sideways', action: 'encrypt', selectors: [] } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.fields).sort()).toEqual(['direction', 'selectors']);
    expect((await mgmt(emu, `/v1/routes/svc/actions/${a.body.data.id}`, { method: 'DELETE' })).body.data).toEqual({ deleted: true });
    expect((await mgmt(emu, '/v1/routes/svc/actions')).body.data).toEqual([]);
  });

  it('percent-decodes path ids', async () => {
    await mgmt(emu, '/v1/routes', { method: 'POST', json: { name: 'with space', target_base_url: 'http://127.0.0.1:1' } });
    const r = await mgmt(emu, '/v1/routes/with%20space');
    expect(r.status).toBe(200);
    expect(r.body.data.name).toBe('with space');
  });
});
