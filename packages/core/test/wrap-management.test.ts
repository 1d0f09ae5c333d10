import { describe, expect, it } from 'vitest';
import { KnoxCall, KnoxCallError, manifestEtag, NotFoundError, ValidationError } from '../src/index.js';
import { startUpstream } from './client-test-support.js';
import { useWrapServers } from './wrap-test-support.js';

// client.wrap's management calls against the emulator's /v1/wrap/* endpoints, which keep
// real state: escrowed keys are injected upstream for pinned hosts only, revoked gateway
// tokens stop working, the manifest's ETag follows intercept-enabled routes.

const s = useWrapServers();
const client = () => new KnoxCall(s.options());
const upstreamHost = s.host;

describe('wrap.escrow', () => {
  it('stores the key without returning it and injects it only for the pinned host', async () => {
    const knox = client();
    const escrowed = await knox.wrap.escrow({ provider: 'stripe', name: 'stripe-key', value: 'sk_test_escrowed_123', hosts: [upstreamHost()] });
    expect(escrowed).toEqual({ secret_id: expect.any(String), name: 'stripe-key', provider: 'stripe', allowed_hosts: [upstreamHost()], sandbox: false });
    expect(JSON.stringify(escrowed)).not.toContain('sk_test_escrowed_123');
    const sent = s.emu.requests().find((r) => r.path === '/v1/wrap/credentials');
    expect(JSON.parse(sent!.body)).toEqual({ provider: 'stripe', name: 'stripe-key', value: 'sk_test_escrowed_123', hosts: [upstreamHost()] });

    const ok = await knox.ephemeral(`${s.upstream.url}/v1/charges`, { upstreamAuthSecret: 'stripe-key', mode: 'transparent' });
    expect(ok.status).toBe(200);
    expect(s.upstream.requests[0]!.headers.authorization).toBe('Bearer sk_test_escrowed_123');

    const other = await startUpstream();
    try {
      const refused = await knox.ephemeral(`${other.url}/v1/charges`, { upstreamAuthSecret: 'stripe-key' });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { type: string } }).error.type).toBe('host_not_allowed');
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('a missing member is a ValidationError', async () => {
    await expect(client().wrap.escrow({ provider: 'stripe', name: 'x', value: 'v', hosts: [] })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('wrap gateway tokens', () => {
  it('gatewayUrl sends snake_case, the URL reaches the host with the key, and a revoked token stops working', async () => {
    const knox = client();
    await knox.wrap.escrow({ provider: 'openai', name: 'openai-key', value: 'sk-openai-escrowed', hosts: [upstreamHost()] });
    const gw = await knox.wrap.gatewayUrl({ secret: 'openai-key', host: upstreamHost(), ttlSeconds: 600, label: 'ci', style: 'path' });
    expect(JSON.parse(s.emu.requests().find((r) => r.path === '/v1/wrap/tokens')!.body)).toEqual({
      secret: 'openai-key',
      host: upstreamHost(),
      ttl_seconds: 600,
      label: 'ci',
      style: 'path',
    });
    expect(gw).toMatchObject({ id: expect.any(String), token: expect.stringMatching(/^wgt_/), host: upstreamHost(), sandbox: false, base_url_style: 'path' });
    expect(gw.base_url).toBe(`${s.emu.url}/wg/${gw.token}/${upstreamHost()}`);

    const through = await fetch(`${gw.base_url}/v1/models?limit=1`);
    expect(through.status).toBe(200);
    expect(s.upstream.requests[0]).toMatchObject({
      url: '/v1/models?limit=1',
      headers: expect.objectContaining({ authorization: 'Bearer sk-openai-escrowed' }),
    });

    const listed = await knox.wrap.listGatewayTokens();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: gw.id, revoked: false });
    expect(JSON.stringify(listed)).not.toContain(gw.token);

    expect(await knox.wrap.revokeGatewayToken(gw.id)).toEqual({ id: gw.id, revoked: true });
    expect(await knox.wrap.revokeGatewayToken(gw.id)).toEqual({ id: gw.id, revoked: false });
    expect((await knox.wrap.listGatewayTokens())[0]).toMatchObject({ id: gw.id, revoked: true });
    const after = await fetch(`${gw.base_url}/v1/models`);
    expect(after.status).toBe(401);
    expect(s.upstream.requests).toHaveLength(1);
  });

  it('revokeGatewayToken percent-encodes the id and maps an unknown one to NotFoundError', async () => {
    await expect(client().wrap.revokeGatewayToken('a/b')).rejects.toBeInstanceOf(NotFoundError);
    expect(s.emu.requests().at(-1)!.path).toBe('/v1/wrap/tokens/a%2Fb');
  });
});

describe('wrap.interceptManifest', () => {
  it('lists intercept-enabled routes, sends no query by default, and answers null on a 304', async () => {
    const knox = client();
    const empty = await knox.wrap.interceptManifest();
    expect(empty).toMatchObject({ version: expect.any(String), ttl_seconds: 60, environment: 'production', sandbox: false, routes: [] });
    expect(s.emu.requests().at(-1)!.query).toEqual({});

    expect(await knox.wrap.interceptManifest({ ifNoneMatch: empty!.version })).toBeNull();
    expect(s.emu.requests().at(-1)!.headers['if-none-match']).toBe(manifestEtag(empty!.version));

    await knox.routes.create({ name: 'Stripe', slug: 'stripe', target_base_url: `${s.upstream.url}/stripe`, intercept_enabled: true });
    await knox.routes.create({ name: 'Plain', slug: 'plain', target_base_url: `${s.upstream.url}/plain` });
    const changed = await knox.wrap.interceptManifest({ ifNoneMatch: empty!.version });
    expect(changed!.version).not.toBe(empty!.version);
    expect(changed!.routes).toEqual([
      expect.objectContaining({ host: upstreamHost(), base_path: '/stripe', slug: 'stripe', route_id: expect.any(String), requires_clients: false }),
    ]);

    await knox.routes.update('stripe', { intercept_enabled: false });
    const again = await knox.wrap.interceptManifest({ ifNoneMatch: changed!.version });
    expect(again!.routes).toEqual([]);
  });

  it('sends ?environment= when given', async () => {
    await client()
      .wrap.interceptManifest({ environment: 'staging' })
      .catch(() => undefined);
    expect(s.emu.requests().at(-1)!.query).toEqual({ environment: 'staging' });
  });
});

describe('wrap.reportEgressObservations', () => {
  const observation = {
    host: 'api.example.com',
    first_segment: '/v1',
    method: 'POST',
    header_name: 'authorization',
    count: 3,
    first_seen: '2026-12-06T10:00:00.000Z',
    last_seen: '2026-12-06T10:01:00.000Z',
  };

  it('posts {sdk, observations} with the default sdk tag, and the emulator records them', async () => {
    const report = await client().wrap.reportEgressObservations([observation]);
    expect(report).toEqual({ accepted: 1, dropped: 0, reasons: {} });
    expect(JSON.parse(s.emu.requests().at(-1)!.body)).toEqual({ sdk: 'node/0.1.0', observations: [observation] });
    expect(s.emu.wrap.observations()).toEqual([{ sdk: 'node/0.1.0', ...observation }]);
  });

  it('refuses more than 200 per call before sending', async () => {
    const many = Array.from({ length: 201 }, () => observation);
    await expect(client().wrap.reportEgressObservations(many)).rejects.toBeInstanceOf(KnoxCallError);
    expect(s.emu.requests()).toHaveLength(0);
  });
});
