/**
 * Stateful flows of the core catalogue against the emulator through a real client: what a
 * user relies on across calls (create → read → change → list → delete, round trips, one-time
 * secrets, parseable certificates, leases). Endpoints the emulator lacks are skipped and named.
 */
import { X509Certificate } from 'node:crypto';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnoxCall, NotFoundError } from '../src/index.js';
import { skippingEmulatorGaps } from './catalogue-emulator-gap.js';
import { HOOK_URL, TARGET, uniq } from './catalogue-fixtures.js';

let emu: Emulator;
let client: KnoxCall;

beforeAll(async () => {
  emu = await startEmulator();
  client = new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await emu?.close();
});

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of it) out.push(item);
  return out;
}

describe('routes: create → get → update → list → iterate → delete', () => {
  it('round-trips a route and forgets it after delete', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const name = uniq('flow-route');
      const created = await client.routes.create({ name, target_base_url: TARGET });
      expect(created.name).toBe(name);

      const got = await client.routes.get(created.id);
      expect(got).toMatchObject({ id: created.id, name, target_base_url: TARGET });

      const updated = await client.routes.update(created.id, { enabled: false });
      expect(updated.enabled).toBe(false);
      expect((await client.routes.get(created.id)).enabled).toBe(false);

      const page = await client.routes.list({ enabled: false, per_page: 100 });
      expect(page.data.map((r) => r.id)).toContain(created.id);

      for (let i = 0; i < 3; i += 1) await client.routes.create({ name: uniq('flow-route'), target_base_url: TARGET });
      const before = emu.requests().length;
      const all = await drain(client.routes.iterate({ per_page: 2 }));
      const pages = emu
        .requests()
        .slice(before)
        .filter((r) => r.path === '/v1/routes');
      expect(all.map((r) => r.id)).toContain(created.id);
      expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
      expect(pages.map((r) => r.query.page)).toEqual(Array.from({ length: pages.length }, (_, i) => String(i + 1)));
      expect(pages.length).toBe(Math.ceil(all.length / 2));

      expect(await client.routes.delete(created.id)).toEqual({ deleted: true });
      await expect(client.routes.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
    }));

  it('stops iterating when the caller breaks out (no further pages requested)', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      for (let i = 0; i < 3; i += 1) await client.routes.create({ name: uniq('flow-route'), target_base_url: TARGET });
      const before = emu.requests().length;
      for await (const _ of client.routes.iterate({ per_page: 1 })) break;
      expect(
        emu
          .requests()
          .slice(before)
          .filter((r) => r.path === '/v1/routes'),
      ).toHaveLength(1);
    }));
});

describe('secrets: values are write-only and versioned', () => {
  it('create → get → setValue → update → list → iterate → delete', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const name = uniq('flow-secret');
      const created = await client.secrets.create({ name, value: 'first' });
      expect(created).not.toHaveProperty('value');

      const got = await client.secrets.get(created.id);
      expect(got.name).toBe(name);
      expect(JSON.stringify(got)).not.toContain('first');
      const baseEnv = got.environments?.find((e) => e.environment_name === created.base_environment);
      expect(baseEnv?.value_version).toBe(1);

      const written = await client.secrets.setValue(created.id, { value: 'second' });
      expect(written.value_version).toBe(2);
      const after = await client.secrets.get(created.id);
      expect(after.environments?.find((e) => e.environment_name === created.base_environment)?.value_version).toBe(2);

      const updated = await client.secrets.update(created.id, { strict_expiry_enforcement: true });
      expect(updated.strict_expiry_enforcement).toBe(true);

      expect((await drain(client.secrets.iterate({ per_page: 1 }))).map((s) => s.id)).toContain(created.id);
      expect(await client.secrets.delete(created.id)).toEqual({ deleted: true });
      await expect(client.secrets.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
    }));
});

describe('one-time secrets are present on create and absent afterwards', () => {
  it('webhooks: secret_key only from create', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const created = await client.webhooks.create({ name: uniq('flow-hook'), url: HOOK_URL, event_types: ['request.completed'] });
      expect(created.secret_key).toEqual(expect.any(String));
      expect(created.secret_key.length).toBeGreaterThan(0);
      const detail = await client.webhooks.get(created.id);
      expect(detail).not.toHaveProperty('secret_key');
      const listed = (await client.webhooks.list({ per_page: 100 })).data.find((w) => w.id === created.id);
      expect(listed).toBeDefined();
      expect(listed).not.toHaveProperty('secret_key');
    }));

  it('oauthClients: client_secret only from create and rotateSecret', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const created = await client.oauthClients.create({ name: uniq('flow-oauth') });
      expect(created.client_secret).toEqual(expect.any(String));
      expect(await client.oauthClients.get(created.id)).not.toHaveProperty('client_secret');
      expect((await client.oauthClients.list()).find((c) => c.id === created.id)).not.toHaveProperty('client_secret');
      const rotated = await client.oauthClients.rotateSecret(created.id);
      expect(rotated.client_secret).toEqual(expect.any(String));
      expect(rotated.client_secret).not.toBe(created.client_secret);
    }));

  it('apiKeys: api_key only from create', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const created = await client.apiKeys.create({ name: uniq('flow-key') });
      expect(created.api_key).toEqual(expect.any(String));
      const rows = await drain(client.apiKeys.iterate());
      const row = rows.find((k) => k.id === created.id);
      expect(row).toBeDefined();
      expect(row).not.toHaveProperty('api_key');
      expect(JSON.stringify(rows)).not.toContain(created.api_key);
      expect(await client.apiKeys.revoke(created.id)).toEqual({ revoked: true });
    }));

  it('agents: agent_secret only from create', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const created = await client.agents.create({ name: uniq('flow-agent') });
      expect(created.agent_secret).toEqual(expect.any(String));
      const row = (await client.agents.list()).find((a) => a.id === created.id);
      expect(row).toBeDefined();
      expect(row).not.toHaveProperty('agent_secret');
    }));
});

describe('vaults: tokenize → detokenize', () => {
  it('returns the value only from detokenize, and iterates tokens across pages', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const vault = uniq('flow-vault');
      await client.vaults.create({ name: vault });
      const token = await client.vaults.tokenize(vault, { value: '4111111111111111', metadata: { user: 'u1' } });
      expect(token.token).not.toContain('4111111111111111');

      const back = await client.vaults.detokenize(vault, token.token);
      expect(back.value).toBe('4111111111111111');
      expect(back.metadata).toEqual({ user: 'u1' });

      await client.vaults.bulkTokenize(vault, { values: [{ value: 'a' }, { value: 'b' }] });
      const rows = await drain(client.vaults.iterateTokens(vault, { per_page: 1 }));
      expect(rows).toHaveLength(3);
      expect(JSON.stringify(rows)).not.toContain('4111111111111111');

      expect(await client.vaults.updateToken(vault, token.token, { metadata: { user: 'u2' } })).toMatchObject({ updated: true });
      expect((await client.vaults.detokenize(vault, token.token)).metadata).toEqual({ user: 'u2' });
      await client.vaults.deleteToken(vault, token.token);
      await expect(client.vaults.detokenize(vault, token.token)).rejects.toBeInstanceOf(NotFoundError);
    }));
});

describe('crypto: encrypt → decrypt', () => {
  it('round-trips through a transit key (base64 by default, utf8 on request)', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const key = uniq('flow-key');
      await client.crypto.createKey({ name: key, mode: 'encrypt' });
      const { ciphertext } = await client.crypto.encrypt(key, { plaintext: 'héllo wörld' });
      expect(ciphertext).not.toContain('héllo');
      expect((await client.crypto.decrypt(key, { ciphertext }, { format: 'utf8' })).plaintext).toBe('héllo wörld');
      const b64 = (await client.crypto.decrypt(key, { ciphertext })).plaintext_b64;
      expect(Buffer.from(b64 ?? '', 'base64').toString('utf8')).toBe('héllo wörld');
    }));

  it('portable kc: encryption keeps the shape and decrypts back', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const data = { card: { number: '4242424242424242', cvc: 123 }, tags: ['a', 'b'], ok: true };
      const sealed = await client.crypto.encryptData(data);
      const ct = sealed.ciphertext as { card: { number: string; cvc: string }; tags: string[] };
      expect(ct.card.number).toMatch(/^kc:/);
      expect(ct.tags).toHaveLength(2);
      expect(JSON.stringify(ct)).not.toContain('4242424242424242');
      expect((await client.crypto.inspect(ct.card.number)).encrypted).toBe(true);
      expect((await client.crypto.decryptData(sealed.ciphertext)).plaintext).toEqual(data);
    }));
});

describe('pki: an issued certificate parses', () => {
  it('root cert PEM and an issued leaf parse with node:crypto', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const root = uniq('flow-root');
      await client.pki.createRoot({ name: root, subject: { common_name: 'Flow Root CA' } });
      const rootPem = await client.pki.getRootCert(root);
      const rootCert = new X509Certificate(rootPem);
      expect(rootCert.subject).toContain('Flow Root CA');

      await client.pki.createRole(root, { role_name: 'web', allowed_domains: ['example.com'], allow_subdomains: true });
      const issued = await client.pki.issueCert(root, 'web', { subject: { common_name: 'api.example.com' }, san_dns: ['api.example.com'] });
      expect(issued.private_key_pem).toContain('PRIVATE KEY');
      const leaf = new X509Certificate(issued.cert_pem);
      expect(leaf.subject).toContain('api.example.com');
      expect(leaf.checkHost('api.example.com')).toBe('api.example.com');
      expect(leaf.serialNumber.toLowerCase().replace(/^0+/, '')).toBe(issued.serial_hex.toLowerCase().replace(/^0+/, ''));

      expect(typeof (await client.pki.getCrl(root))).toBe('string');
      expect((await client.pki.revokeCert(root, { serial_hex: issued.serial_hex })).revoked).toBe(true);
    }));
});

describe('dynamicDb: a lease is minted and revoked', () => {
  it('mint → listLeases shows it → revokeLease → gone', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      const conn = uniq('flow-db');
      await client.dynamicDb.create({ name: conn, engine: 'postgres', host: '127.0.0.1', port: 5432, admin_username: 'admin', admin_password: 'pw' });
      await client.dynamicDb.createRole(conn, { name: 'readonly', template: 'postgres_readonly' });
      const minted = await client.dynamicDb.mint(conn, 'readonly', { ttl_seconds: 300 });
      expect(minted.password).toEqual(expect.any(String));
      expect(Number.isInteger(minted.lease_id)).toBe(true);

      const leases = await client.dynamicDb.listLeases({ connection: conn });
      expect(leases.leases.map((l) => l.id)).toContain(minted.lease_id);
      expect(leases).toMatchObject({ total: 1, offset: 0 });
      expect(JSON.stringify(leases)).not.toContain(minted.password);

      expect(await client.dynamicDb.revokeLease(minted.lease_id)).toEqual({ revoked: minted.lease_id });
      expect((await client.dynamicDb.listLeases({ connection: conn })).leases).toEqual([]);
    }));
});

describe('auditLogs: the cursor feed drains', () => {
  it('iterateEvents follows next_cursor and yields each event once', (ctx) =>
    skippingEmulatorGaps(ctx, async () => {
      for (let i = 0; i < 3; i += 1) await client.secrets.create({ name: uniq('audit-secret'), value: 'v' });
      const before = emu.requests().length;
      const events = await drain(client.auditLogs.iterateEvents({ limit: 2 }));
      const sent = emu.requests().slice(before);
      expect(events.length).toBeGreaterThanOrEqual(3);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(sent.length).toBeGreaterThan(1);
      expect(sent[0]?.query).toEqual({ limit: '2' });
      expect(sent[1]?.query.cursor).toEqual(expect.any(String));
    }));
});
