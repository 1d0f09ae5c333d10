/**
 * `clientOptions` as a function of the request: one app serving several tenants, each with
 * its own KnoxCall credential, in every shape the client accepts. A tenant's calls go out
 * with its own credential only, and a bogus credential is refused with the adapter's
 * contract answer (502 `knoxcall_credentials_rejected`) — never answered through another
 * tenant's cached client.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessToken, ClientCredentials, type KnoxCallOptions, StoredCredentials } from '@knoxcall/core';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KnoxVariables, knoxCall, knoxOnError } from '../src/index.js';

const SECOND_CLIENT = { client_id: 'kc_client_tenant_b', client_secret: 'kcs_tenant_b_secret_value' };
const SECOND_KEY = 'kc_live_tenant_b_key_0000000';
const BOGUS_KEY = 'kc_live_bogus_key_00000000000';

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ seed: { oauth_clients: [{}, SECOND_CLIENT], api_keys: [{}, { key: SECOND_KEY }] } });
  dir = mkdtempSync(join(tmpdir(), 'knoxcall-hono-tenants-'));
});
afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Tenant = 'a' | 'b' | 'bogus';
interface Shape {
  /** The credential options of one tenant. */
  credential(tenant: Tenant): KnoxCallOptions;
  /** The Authorization a tenant's management calls must carry; undefined: a minted token (checked by distinctness). */
  expectedAuthorization?(tenant: 'a' | 'b'): string;
}

const keys = () => ({ a: emulator.credentials.apiKey, b: SECOND_KEY, bogus: BOGUS_KEY });
const secrets = () => ({
  a: { clientId: emulator.credentials.clientId, clientSecret: emulator.credentials.clientSecret },
  b: { clientId: SECOND_CLIENT.client_id, clientSecret: SECOND_CLIENT.client_secret },
  // The first tenant's client id with a wrong secret: the case a shared client would have hidden.
  bogus: { clientId: emulator.credentials.clientId, clientSecret: 'kcs_not_the_secret' },
});
const byKey = (tenant: 'a' | 'b') => `Bearer ${keys()[tenant]}`;

/** A CLI credentials file per tenant, holding that tenant's key as a still-valid access token. */
function credentialsFile(tenant: Tenant): string {
  const path = join(dir, `${tenant}.json`);
  const expires = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const profile = { access_token: keys()[tenant], access_token_expires_at: expires };
  writeFileSync(path, JSON.stringify({ version: 1, profiles: { default: profile } }));
  chmodSync(path, 0o600);
  return path;
}

const shapes: Record<string, Shape> = {
  'flat apiKey': { credential: (t) => ({ apiKey: keys()[t] }), expectedAuthorization: byKey },
  'flat accessToken': { credential: (t) => ({ accessToken: keys()[t] }), expectedAuthorization: byKey },
  'flat clientId + clientSecret': { credential: (t) => secrets()[t] },
  'new AccessToken()': { credential: (t) => ({ bootstrap: new AccessToken({ accessToken: keys()[t] }) }), expectedAuthorization: byKey },
  "{ type: 'access_token' }": {
    credential: (t) => ({ bootstrap: { type: 'access_token', accessToken: keys()[t] } }),
    expectedAuthorization: byKey,
  },
  'new ClientCredentials()': { credential: (t) => ({ bootstrap: new ClientCredentials(secrets()[t]) }) },
  "{ type: 'client_credentials' }": { credential: (t) => ({ bootstrap: { type: 'client_credentials', ...secrets()[t] } }) },
  'new StoredCredentials()': {
    credential: (t) => ({ bootstrap: new StoredCredentials({ path: credentialsFile(t) }) }),
    expectedAuthorization: byKey,
  },
  "{ type: 'stored_credentials' }": {
    credential: (t) => ({ bootstrap: { type: 'stored_credentials', path: credentialsFile(t), profile: 'default' } }),
    expectedAuthorization: byKey,
  },
};

/** One app serving every tenant: the tenant comes from a header, its credential from `shape`. */
function tenantApp(shape: Shape) {
  const middleware = knoxCall({
    clientOptions: (c) => ({
      baseUrl: emulator.url,
      tenant: emulator.tenant,
      retry: { maxAttempts: 1 },
      ...shape.credential(c.req.header('x-tenant') as Tenant),
    }),
    requestOptions: (c) => ({ headers: { 'x-tenant': c.req.header('x-tenant') ?? '' } }),
  });
  const app = new Hono<{ Variables: KnoxVariables }>();
  app.onError(knoxOnError());
  app.use(middleware);
  app.get('/routes', async (c) => c.json({ count: (await c.var.knox.routes.list()).data.length }));
  return { app, middleware };
}

const authorizationsOf = (tenant: Tenant) => [
  ...new Set(
    emulator
      .requests()
      .filter((r) => r.path === '/v1/routes' && r.headers['x-tenant'] === tenant)
      .map((r) => r.headers.authorization),
  ),
];

for (const [name, shape] of Object.entries(shapes)) {
  describe(`clientOptions(c) with ${name}`, () => {
    it('two tenants never share a client; a bogus credential is refused with 502, not served by another tenant', async () => {
      const { app, middleware } = tenantApp(shape);
      emulator.clearRequests();
      const get = (tenant: Tenant) => app.request('http://app.test/routes', { headers: { 'x-tenant': tenant } });
      try {
        expect((await get('a')).status).toBe(200);
        expect((await get('b')).status).toBe(200);
        expect((await get('a')).status).toBe(200);

        const refused = await get('bogus');
        expect(refused.status).toBe(502);
        const body = await refused.text();
        expect(JSON.parse(body).error.type).toBe('knoxcall_credentials_rejected');
        expect(body).not.toContain('kcs_not_the_secret');

        const [a, ...moreA] = authorizationsOf('a');
        const [b, ...moreB] = authorizationsOf('b');
        expect([moreA, moreB]).toEqual([[], []]);
        expect(b).not.toBe(a);
        if (shape.expectedAuthorization) {
          expect(a).toBe(shape.expectedAuthorization('a'));
          expect(b).toBe(shape.expectedAuthorization('b'));
          // The bogus key itself went to KnoxCall (and was refused), not another tenant's.
          expect(authorizationsOf('bogus')).toEqual([`Bearer ${BOGUS_KEY}`]);
        } else {
          // A minted token per tenant; the bogus secret was refused at the token endpoint and
          // no management call was sent for it at all.
          expect(a).toMatch(/^Bearer kc_/);
          expect(b).toMatch(/^Bearer kc_/);
          expect(authorizationsOf('bogus')).toEqual([]);
        }
      } finally {
        await middleware.close();
      }
    });
  });
}

describe('options the key cannot look into are keyed by identity', () => {
  it('requests naming different fetchImpl functions each go out through their own', async () => {
    const seen: string[] = [];
    const fetchFor =
      (label: string): typeof fetch =>
      (input, init) => {
        seen.push(label);
        return fetch(input, init);
      };
    const fetchA = fetchFor('a');
    const fetchB = fetchFor('b');
    const middleware = knoxCall({
      clientOptions: (c) => ({
        baseUrl: emulator.url,
        apiKey: emulator.credentials.apiKey,
        fetchImpl: c.req.header('x-fetch') === 'b' ? fetchB : fetchA,
      }),
    });
    const app = new Hono<{ Variables: KnoxVariables }>();
    app.use(middleware);
    app.get('/routes', async (c) => c.json((await c.var.knox.routes.list()).data.length));
    try {
      for (const label of ['a', 'b', 'a', 'b']) {
        expect((await app.request('http://app.test/routes', { headers: { 'x-fetch': label } })).status).toBe(200);
      }
      // Each request went out through the fetch its own options named.
      expect(seen).toEqual(['a', 'b', 'a', 'b']);
    } finally {
      await middleware.close();
    }
  });
});
