import { X509Certificate, createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { basic, call, mgmt, tokenRequest } from './support/http.js';
import { type Upstream, startUpstream } from './support/upstream.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe('secrets', () => {
  it('never returns values and versions them per environment', async () => {
    const c = await mgmt(emu, '/v1/secrets', { method: 'POST', json: { name: 'stripe', value: 'sk_1', description: 'Stripe key' } });
    expect(c.status).toBe(201);
    expect(c.body.data).toMatchObject({ name: 'stripe', secret_type: 'string', base_environment: 'production' });
    expect(JSON.stringify(c.body)).not.toContain('sk_1');
    const id = c.body.data.id;

    const same = await mgmt(emu, `/v1/secrets/${id}/value`, { method: 'PUT', json: { value: 'sk_1' } });
    expect(same.body.data).toEqual({ id, name: 'stripe', environment: 'production', value_version: 1 });
    const changed = await mgmt(emu, `/v1/secrets/${id}/value`, { method: 'PUT', json: { value: 'sk_2' } });
    expect(changed.body.data.value_version).toBe(2);
    const staging = await mgmt(emu, `/v1/secrets/${id}/value`, { method: 'PUT', json: { value: 'sk_s', environment: 'staging' } });
    expect(staging.body.data).toMatchObject({ environment: 'staging', value_version: 1 });

    const got = await mgmt(emu, `/v1/secrets/${id}`);
    expect(got.body.data.environments.map((e: { environment_name: string; value_version: number }) => [e.environment_name, e.value_version])).toEqual([
      ['production', 2],
      ['staging', 1],
    ]);
    expect(JSON.stringify(got.body)).not.toMatch(/sk_[12s]/);
    expect((await mgmt(emu, '/v1/secrets')).body.meta.total).toBe(1);
  });

  it('refuses a duplicate name (409), missing fields (422) and an unknown environment (422)', async () => {
    await mgmt(emu, '/v1/secrets', { method: 'POST', json: { name: 'a', value: 'x' } });
    expect((await mgmt(emu, '/v1/secrets', { method: 'POST', json: { name: 'a', value: 'y' } })).status).toBe(409);
    const missing = await mgmt(emu, '/v1/secrets', { method: 'POST', json: {} });
    expect(missing.body.fields).toEqual({ name: ['is required'], value: ['is required'] });
    expect((await mgmt(emu, '/v1/secrets', { method: 'POST', json: { name: 'b', value: 'y', environment: 'qa' } })).status).toBe(422);
  });

  it('creates OAuth2 and certificate secrets and serves an OAuth token', async () => {
    const o = await mgmt(emu, '/v1/secrets/oauth2', { method: 'POST', json: { name: 'google', provider: 'google', client_id: 'cid', client_secret: 'cs' } });
    expect(o.body.data).toMatchObject({ secret_type: 'oauth2', provider: 'google', connection_status: 'connected' });
    const tok = await mgmt(emu, `/v1/secrets/${o.body.data.id}/oauth2/token`);
    expect(tok.body.data).toMatchObject({ token_type: 'Bearer', connection_status: 'connected' });
    expect(tok.body.data.access_token).toBeTruthy();
    expect((await mgmt(emu, '/v1/secrets/oauth2', { method: 'POST', json: { name: 'x', provider: 'custom', client_id: 'c' } })).status).toBe(422);

    const root = await mgmt(emu, '/v1/pki/roots', { method: 'POST', json: { name: 'r', subject: { common_name: 'R' } } });
    const cert = await mgmt(emu, '/v1/secrets/certificate', { method: 'POST', json: { name: 'ca', certificate_content: root.body.data.root.cert_pem } });
    expect(cert.body.data).toMatchObject({ secret_type: 'certificate', certificate_type: 'pem', metadata: { subject: 'CN=R', has_private_key: false } });
  });

  it('updates metadata and deletes', async () => {
    const id = (await mgmt(emu, '/v1/secrets', { method: 'POST', json: { name: 'm', value: 'x' } })).body.data.id;
    const u = await mgmt(emu, `/v1/secrets/${id}`, { method: 'PATCH', json: { expires_at: '2030-01-01T00:00:00Z', strict_expiry_enforcement: true } });
    expect(u.body.data).toEqual({ id, name: 'm', expires_at: '2030-01-01T00:00:00Z', strict_expiry_enforcement: true });
    expect((await mgmt(emu, `/v1/secrets/${id}`, { method: 'DELETE' })).body.data).toEqual({ deleted: true });
    expect((await mgmt(emu, `/v1/secrets/${id}`)).status).toBe(404);
  });
});

describe('webhooks', () => {
  let receiver: Upstream;
  beforeAll(async () => {
    receiver = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"received":true}');
    });
  });
  afterAll(() => receiver.close());

  it('returns secret_key once, hides it afterwards, and lists event types and formats', async () => {
    const c = await mgmt(emu, '/v1/webhooks', {
      method: 'POST',
      json: { name: 'w', url: 'https://example.test/hook', event_types: ['request.completed'], auth_config: { token: 'x' } },
    });
    expect(c.status).toBe(201);
    expect(c.body.data.secret_key).toMatch(/^whsec_/);
    const got = await mgmt(emu, `/v1/webhooks/${c.body.data.id}`);
    expect(got.body.data.secret_key).toBeUndefined();
    expect(got.body.data.auth_config).toBeUndefined();
    expect(got.body.data).toMatchObject({ route_filter: null, include_headers: false, timeout_seconds: 10 });
    const types = await mgmt(emu, '/v1/webhooks/event-types');
    expect(types.body.data.event_types.map((e: { value: string }) => e.value)).toContain('webhook.test');
    const formats = await mgmt(emu, '/v1/webhooks/hmac-formats');
    expect(formats.body.data.hmac_formats.map((f: { value: string }) => f.value)).toEqual(['legacy', 'stripe', 'github', 'slack', 'aws-sns', 'custom']);
    expect((await mgmt(emu, '/v1/webhooks', { method: 'POST', json: { name: 'x', url: 'nope', event_types: [] } })).status).toBe(422);
  });

  it('test delivers a signed webhook.test event to a loopback receiver and logs it', async () => {
    receiver.seen.length = 0;
    const c = await mgmt(emu, '/v1/webhooks', { method: 'POST', json: { name: 'local', url: `${receiver.url}/hooks`, event_types: ['request.completed'] } });
    const t = await mgmt(emu, `/v1/webhooks/${c.body.data.id}/test`, { method: 'POST' });
    expect(t.body.data).toMatchObject({ success: true, status: 200 });
    const seen = receiver.seen[0]!;
    expect(seen.url).toBe('/hooks');
    const event = JSON.parse(seen.body);
    expect(event).toMatchObject({ event: 'webhook.test', webhook_id: c.body.data.id, webhook_name: 'local' });
    expect(seen.body).toContain('\n  '); // pretty-printed like the real server
    const expected = createHmac('sha256', c.body.data.secret_key).update(seen.body).digest('hex');
    expect(seen.headers['x-webhook-signature']).toBe(`sha256=${expected}`);
    const logs = await mgmt(emu, `/v1/webhooks/${c.body.data.id}/logs`);
    expect(logs.body.data[0]).toMatchObject({ success: true, response_status: 200, target_url: `${receiver.url}/hooks` });
    expect((await mgmt(emu, `/v1/webhooks/${c.body.data.id}`)).body.data).toMatchObject({ trigger_count: 1, success_count: 1 });
  });

  it('test reports a failure for non-loopback URLs without sending anything', async () => {
    const c = await mgmt(emu, '/v1/webhooks', { method: 'POST', json: { name: 'remote', url: 'https://example.test/hook', event_types: [] } });
    const t = await mgmt(emu, `/v1/webhooks/${c.body.data.id}/test`, { method: 'POST' });
    expect(t.body.data.success).toBe(false);
    expect(t.body.data.error).toContain('loopback');
  });

  it('updates and deletes', async () => {
    const id = (await mgmt(emu, '/v1/webhooks', { method: 'POST', json: { name: 'u', url: 'https://example.test', event_types: [] } })).body.data.id;
    const u = await mgmt(emu, `/v1/webhooks/${id}`, { method: 'PATCH', json: { enabled: false, method: 'PUT' } });
    expect(u.body.data).toMatchObject({ enabled: false, method: 'PUT' });
    expect((await mgmt(emu, `/v1/webhooks/${id}`, { method: 'DELETE' })).body.data).toEqual({ deleted: true });
  });
});

describe('clients and credentials', () => {
  it('CRUD with credentials and an mTLS issue-mode reveal shown once', async () => {
    const c = await mgmt(emu, '/v1/clients', { method: 'POST', json: { name: 'backend', ip_address: '10.0.0.1' } });
    expect(c.body.data).toMatchObject({ name: 'backend', type: 'server', enabled: true, agent_version: null });
    const id = c.body.data.id;
    const ip = await mgmt(emu, `/v1/clients/${id}/credentials`, { method: 'POST', json: { kind: 'ip', data: { ip_address: '10.0.0.2' } } });
    expect(ip.body.data).toMatchObject({ kind: 'ip', enabled: true });
    const mtls = await mgmt(emu, `/v1/clients/${id}/credentials`, {
      method: 'POST',
      json: { kind: 'mtls_thumbprint', data: { mode: 'issue' }, label: 'laptop' },
    });
    expect(() => new X509Certificate(mtls.body.data.reveal.certificate_pem)).not.toThrow();
    expect(mtls.body.data.reveal.private_key_pem).toContain('PRIVATE KEY');
    const list = await mgmt(emu, `/v1/clients/${id}/credentials`);
    expect(list.body.data).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain('PRIVATE KEY');
    expect((await mgmt(emu, `/v1/clients/${id}/credentials`, { method: 'POST', json: { kind: 'machine_id', data: {} } })).status).toBe(422);
    const dis = await mgmt(emu, `/v1/clients/${id}/credentials/${ip.body.data.id}`, { method: 'PATCH', json: { enabled: false, label: 'old' } });
    expect(dis.body.data).toMatchObject({ enabled: false, label: 'old' });
    expect((await mgmt(emu, `/v1/clients/${id}`)).body.data.route_assignments).toEqual([]);
    expect((await mgmt(emu, '/v1/clients?type=user')).body.data).toEqual([]);
    expect((await mgmt(emu, `/v1/clients/${id}`, { method: 'DELETE' })).body.data).toEqual({ deleted: true });
  });
});

describe('oauth clients', () => {
  it('answers bare {data}, shows the secret once with a warning, and revokes tokens on rotation', async () => {
    const list = await mgmt(emu, '/v1/oauth-clients');
    expect(list.body.meta).toBeUndefined();
    expect(list.body.data.some((c: { system_role: string | null }) => c.system_role === 'cli')).toBe(true);

    const c = await mgmt(emu, '/v1/oauth-clients', {
      method: 'POST',
      json: { name: 'svc', grant_types: ['client_credentials'], require_pkce: true, token_format: 'opaque' },
    });
    expect(c.status).toBe(201);
    expect(c.body.warning).toBeTruthy();
    expect(c.body.meta).toBeUndefined();
    const { id, client_id, client_secret } = c.body.data;
    const tok = await tokenRequest(emu, { grant_type: 'client_credentials' }, { authorization: basic(client_id, client_secret) });
    expect(tok.status).toBe(200);

    const rotated = await mgmt(emu, `/v1/oauth-clients/${id}/rotate-secret`, { method: 'POST', json: {} });
    expect(rotated.body.data.client_secret).not.toBe(client_secret);
    expect(rotated.body.warning).toBeTruthy();
    expect((await call(`${emu.url}/v1/account`, { headers: { authorization: `Bearer ${tok.body.access_token}` } })).status).toBe(401);
    expect((await tokenRequest(emu, { grant_type: 'client_credentials' }, { authorization: basic(client_id, client_secret) })).status).toBe(401);

    expect((await mgmt(emu, `/v1/oauth-clients/${id}`, { method: 'PATCH', json: { name: 'renamed' } })).body).toEqual({ data: { id } });
    expect((await mgmt(emu, `/v1/oauth-clients/${id}`)).body.data).toMatchObject({ name: 'renamed', step_up_scopes: [] });
    expect((await mgmt(emu, `/v1/oauth-clients/${id}`, { method: 'DELETE' })).body).toEqual({ data: { revoked: true } });
    expect((await mgmt(emu, `/v1/oauth-clients/${id}`)).status).toBe(404);
  });

  it('refuses token_format other than opaque, require_pkce false, and changes to the CLI client', async () => {
    expect((await mgmt(emu, '/v1/oauth-clients', { method: 'POST', json: { name: 'x', token_format: 'jwt' } })).status).toBe(400);
    expect((await mgmt(emu, '/v1/oauth-clients', { method: 'POST', json: { name: 'x', require_pkce: false } })).status).toBe(400);
    const cli = (await mgmt(emu, '/v1/oauth-clients')).body.data.find((c: { system_role: string | null }) => c.system_role === 'cli');
    expect((await mgmt(emu, `/v1/oauth-clients/${cli.id}`, { method: 'DELETE' })).status).toBe(403);
  });

  it('gives public clients no secret and no warning', async () => {
    const c = await mgmt(emu, '/v1/oauth-clients', { method: 'POST', json: { name: 'spa', type: 'public', grant_types: ['authorization_code'] } });
    expect(c.body.data.client_secret).toBeNull();
    expect('warning' in c.body).toBe(false);
  });
});

describe('environments, api keys, account, agents', () => {
  it('manages environments with one default', async () => {
    const list = await mgmt(emu, '/v1/environments');
    expect(list.body.data.map((e: { name: string }) => e.name)).toEqual(['production', 'staging', 'development']);
    const c = await mgmt(emu, '/v1/environments', { method: 'POST', json: { name: 'qa', color: '#f59e0b', is_default: true } });
    expect(c.body.data).toMatchObject({ name: 'qa', display_name: 'qa', is_default: true, sandbox: false });
    const after = await mgmt(emu, '/v1/environments');
    expect(after.body.data.filter((e: { is_default: boolean }) => e.is_default).map((e: { name: string }) => e.name)).toEqual(['qa']);
    expect((await mgmt(emu, `/v1/environments/${c.body.data.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await mgmt(emu, '/v1/environments', { method: 'POST', json: { name: 'qa' } })).status).toBe(409);
    expect((await mgmt(emu, '/v1/environments', { method: 'POST', json: { name: 'x', color: 'red' } })).status).toBe(422);
    const prod = after.body.data.find((e: { name: string }) => e.name === 'production');
    expect((await mgmt(emu, `/v1/environments/${prod.id}`, { method: 'DELETE' })).body.data).toEqual({ deleted: true });
  });

  it('creates an API key shown once that works as a Bearer credential, and revokes it', async () => {
    const c = await mgmt(emu, '/v1/api-keys', { method: 'POST', json: { name: 'ci', rate_limit_requests: 100 } });
    expect(c.body.data).toMatchObject({ name: 'ci', key_type: 'standard', role_ids: [] });
    const key = c.body.data.api_key as string;
    expect(key).toMatch(/^kc_/);
    expect(JSON.stringify((await mgmt(emu, '/v1/api-keys')).body)).not.toContain(key);
    expect((await call(`${emu.url}/v1/account`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await mgmt(emu, `/v1/api-keys/${c.body.data.id}`, { method: 'DELETE' })).body.data).toEqual({ revoked: true });
    expect((await call(`${emu.url}/v1/account`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });

  it('reports account usage', async () => {
    const u = await mgmt(emu, '/v1/account/usage');
    expect(u.body.data.resources.environments).toEqual({ used: 3, limit: null });
    expect(u.body.data.billing_period.year).toBeGreaterThan(2000);
  });

  it('creates agents with a once-only secret and revokes them', async () => {
    const c = await mgmt(emu, '/v1/agents', { method: 'POST', json: { name: 'edge-1' } });
    expect(c.body.meta).toEqual({ secret_shown_once: true });
    expect(c.body.data.agent_secret).toBeTruthy();
    expect((await mgmt(emu, '/v1/agents')).body.data[0].agent_secret).toBeUndefined();
    expect((await mgmt(emu, `/v1/agents/${c.body.data.id}/tamper-events`)).body.data).toEqual([]);
    expect((await mgmt(emu, `/v1/agents/${c.body.data.id}`, { method: 'DELETE' })).body.data).toEqual({ revoked: true });
    expect((await mgmt(emu, '/v1/agents')).body.data[0].status).toBe('revoked');
  });
});

describe('audit logs', () => {
  it('records mutations, pages newest first and feeds events by cursor', async () => {
    for (const n of ['a', 'b', 'c']) await mgmt(emu, '/v1/secrets', { method: 'POST', json: { name: n, value: 'v' } });
    await mgmt(emu, '/v1/environments', { method: 'POST', json: { name: 'qa' } });
    const list = await mgmt(emu, '/v1/audit-logs?action=secret.created&per_page=2');
    expect(list.body.meta).toMatchObject({ total: 3, total_pages: 2 });
    expect(list.body.data[0].details.name).toBe('c');

    const first = await mgmt(emu, '/v1/audit-logs/events?limit=2&action_prefix=secret.');
    expect(first.body.data.map((e: { details: { name: string } }) => e.details.name)).toEqual(['a', 'b']);
    expect(first.body.meta).toMatchObject({ limit: 2, delivery: 'at_least_once', dedupe_on: 'id' });
    const second = await mgmt(emu, `/v1/audit-logs/events?limit=2&action_prefix=secret.&cursor=${first.body.meta.next_cursor}`);
    expect(second.body.data.map((e: { details: { name: string } }) => e.details.name)).toEqual(['c']);
    expect(second.body.meta.next_cursor).toBeNull();
    expect((await mgmt(emu, '/v1/audit-logs/events?cursor=garbage')).status).toBe(400);
  });
});
