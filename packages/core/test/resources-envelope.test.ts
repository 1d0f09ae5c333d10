/**
 * How resource methods shape what the server sends (contract transport §4.2, resources §22):
 * unwrapping, the oauth-clients `warning` copy-in, raw text, pass-through of unknown fields,
 * errors and aborts. Real client, real emulator; `emu.script` supplies the rarer server answers.
 */
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APIUserAbortError, KnoxCall, PermissionDeniedError } from '../src/index.js';
import { skippingEmulatorGaps } from './catalogue-emulator-gap.js';
import { TARGET, uniq } from './catalogue-fixtures.js';

let emu: Emulator;
let client: KnoxCall;

beforeAll(async () => {
  emu = await startEmulator();
  client = new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => emu.clearRequests());

describe('unwrapping', () => {
  it('single objects come back without the envelope', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const account = await client.account.get();
      expect(account).not.toHaveProperty('meta');
      expect(account).not.toHaveProperty('data');
      expect(account.slug).toBe(emu.tenant);
      const usage = await client.account.getUsage();
      expect(usage).not.toHaveProperty('meta');
      expect(usage.resources).toBeDefined();
    }));

  it('agents.create unwraps its hand-built {data, meta: {secret_shown_once}} and keeps the secret', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const created = await client.agents.create({ name: uniq('agent') });
      expect(created).not.toHaveProperty('meta');
      expect(created.agent_secret).toEqual(expect.any(String));
    }));

  it('fields the server adds pass through untouched, and nothing is stripped', async () => {
    emu.script('GET', '/v1/routes/:id', [
      { status: 200, body: { data: { id: 'r1', name: 'n', brand_new_field: { nested: [1, 2] }, enabled: true }, meta: { request_id: 'req_1' } } },
    ]);
    const route = await client.routes.get('r1');
    expect(route).toEqual({ id: 'r1', name: 'n', brand_new_field: { nested: [1, 2] }, enabled: true });
  });

  it('pages are returned whole, with meta', async () => {
    await client.routes.create({ name: uniq('route'), target_base_url: TARGET });
    const page = await client.routes.list({ per_page: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.meta).toMatchObject({ page: 1, per_page: 1 });
    expect(page.meta.total).toBeGreaterThanOrEqual(1);
  });
});

describe('oauthClients: bare {data} and the top-level warning', () => {
  it('copies a warning into create and rotate results, and leaves it absent when none is sent', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      emu.script('POST', '/v1/oauth-clients', [
        { status: 201, body: { data: { id: 'oc1', client_id: 'cid', client_secret: 'sec' }, warning: 'Store the secret now.' } },
        { status: 201, body: { data: { id: 'oc2', client_id: 'cid2', client_secret: null } } },
        { status: 201, body: { data: { id: 'oc3', client_id: 'cid3', client_secret: null }, warning: null } },
      ]);
      expect(await client.oauthClients.create({ name: 'a' })).toEqual({ id: 'oc1', client_id: 'cid', client_secret: 'sec', warning: 'Store the secret now.' });
      const noWarning = await client.oauthClients.create({ name: 'b', type: 'public' });
      expect(noWarning).toEqual({ id: 'oc2', client_id: 'cid2', client_secret: null });
      expect(Object.keys(noWarning)).not.toContain('warning');
      expect(Object.keys(await client.oauthClients.create({ name: 'c', type: 'public' }))).not.toContain('warning');

      const created = await client.oauthClients.create({ name: uniq('oauth') });
      const rotated = await client.oauthClients.rotateSecret(created.id);
      expect(rotated.warning).toEqual(expect.any(String));
      expect(rotated.client_secret).toEqual(expect.any(String));
      expect(await client.oauthClients.list()).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.id })]));
    }));

  it('an explicit grant_types: [] is sent as given, not widened', async () => {
    emu.script('POST', '/v1/oauth-clients', [{ status: 201, body: { data: { id: 'x', client_id: 'x', client_secret: 's' } } }]);
    await client.oauthClients.create({ name: 'n', grant_types: [] });
    const body = JSON.parse(emu.requests().at(-1)?.body ?? '{}');
    expect(body.grant_types).toEqual([]);
    expect(body.require_pkce).toBe(true);
  });
});

describe('raw text endpoints', () => {
  it('returns PEM verbatim, and an empty body as ""', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const root = uniq('root');
      await client.pki.createRoot({ name: root, subject: { common_name: 'Raw Root' } });
      const pem = await client.pki.getRootCert(root);
      expect(pem.startsWith('-----BEGIN CERTIFICATE-----')).toBe(true);
      emu.script('GET', '/v1/pki/roots/:name/crl', [{ rawBody: '', status: 200, headers: { 'content-type': 'text/plain' } }]);
      expect(await client.pki.getCrl(root)).toBe('');
    }));
});

describe('errors and options', () => {
  it('role_ids reach the wire only when given, and a privilege escalation is a PermissionDeniedError', async () => {
    emu.script('POST', '/v1/api-keys', [{ status: 403, body: { error: { type: 'privilege_escalation', message: 'grant secret:read exceeds the caller' } } }]);
    const err = await client.apiKeys.create({ name: 'k', role_ids: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect((err as PermissionDeniedError).code).toBe('privilege_escalation');
    expect(JSON.parse(emu.requests().at(-1)?.body ?? '{}')).toEqual({ name: 'k', role_ids: [] });
  });

  it('an aborted signal rejects with APIUserAbortError and sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(client.routes.list(undefined, { signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(emu.requests()).toEqual([]);
  });

  it('a bad path parameter rejects with a typed error before any request', async () => {
    await expect(client.routes.get('')).rejects.toThrow(/empty string/);
    await expect(client.crypto.destroyKeyVersion('k', 1.5)).rejects.toThrow(/integer/);
    expect(emu.requests()).toEqual([]);
  });

  it("an iterator sends the caller's idempotencyKey with its first page only, and its signal with every page", async () => {
    for (let i = 0; i < 3; i += 1) await client.routes.create({ name: uniq('route'), target_base_url: TARGET });
    emu.clearRequests();
    const controller = new AbortController();
    const seen: unknown[] = [];
    const run = (async () => {
      for await (const route of client.routes.iterate({ per_page: 1 }, { idempotencyKey: 'iter-key', signal: controller.signal })) {
        seen.push(route);
        if (seen.length === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toBeInstanceOf(APIUserAbortError);
    expect(seen).toHaveLength(2);
    expect(emu.requests().map((r) => r.headers['x-idempotency-key'])).toEqual(['iter-key', undefined]);
  });

  it('idempotencyKey is sent on a GET and on a mutation as given', async () => {
    await client.routes.list(undefined, { idempotencyKey: 'list-key-1' });
    await client.routes.create({ name: uniq('route'), target_base_url: TARGET }, { idempotencyKey: 'create-key-1' });
    const [list, create] = emu.requests();
    expect(list?.headers['x-idempotency-key']).toBe('list-key-1');
    expect(create?.headers['x-idempotency-key']).toBe('create-key-1');
  });
});
