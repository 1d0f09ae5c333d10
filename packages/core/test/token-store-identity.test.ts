/**
 * A token cache entry belongs to exactly one credential. Clients of one tenant sharing a
 * store (memory or Redis) each present their own credential to the emulator, and a client
 * with a wrong secret is refused by the server however warm the store is for its client id.
 */
import { type Emulator, startEmulator } from '@knoxcall/testing';
import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../src/auth/memory-token-store.js';
import { RedisTokenStore } from '../src/auth/redis-token-store.js';
import type { TokenStore } from '../src/auth/token-store.js';
import { KnoxCall, type KnoxCallOptions, OidcTokenExchange } from '../src/index.js';
import { REDIS_URL, uniquePrefix } from './token-store-redis-clients.js';

const SECOND_CLIENT = { client_id: 'kc_client_second', client_secret: 'kcs_second_secret_value' };
const SECOND_KEY = 'kc_live_second_key_value_000';

let emulator: Emulator;
let redis: IORedis | undefined;
const clients: KnoxCall[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ seed: { oauth_clients: [{}, SECOND_CLIENT], api_keys: [{}, { key: SECOND_KEY }] } });
  if (REDIS_URL) redis = new IORedis(REDIS_URL);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await redis?.quit();
  await emulator?.close();
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** A client of the emulator's tenant on `store`, whose calls carry `x-who: {who}`. */
function clientOf(who: string, store: TokenStore, credential: KnoxCallOptions): KnoxCall {
  const client = new KnoxCall({ baseUrl: emulator.url, tenant: emulator.tenant, tokenStore: store, retry: { maxAttempts: 1 }, ...credential });
  clients.push(client);
  return client.withOptions({ headers: { 'x-who': who } });
}

/** The Authorization headers the emulator saw on management calls made by `who`. */
const authorizationsOf = (who: string) =>
  new Set(
    emulator
      .requests()
      .filter((r) => r.headers['x-who'] === who && r.path === '/v1/routes')
      .map((r) => r.headers.authorization),
  );
const tokenRequestsWith = (authorization: string) => emulator.requests().filter((r) => r.path === '/oauth/token' && r.headers.authorization === authorization);

const stores: Array<[string, (() => TokenStore) | undefined]> = [
  ['MemoryTokenStore', () => new MemoryTokenStore()],
  ['RedisTokenStore', REDIS_URL ? () => new RedisTokenStore({ client: redis!, prefix: uniquePrefix('identity') }) : undefined],
];

for (const [name, makeStore] of stores) {
  // Redis cases need REDIS_URL (see token-store-redis-clients.ts); they are skipped, never passed, without it.
  describe.skipIf(makeStore === undefined)(`${name}: one tenant, two credentials, one store`, () => {
    it('two OAuth clients each mint and present their own token', async () => {
      const store = makeStore!();
      const { clientId, clientSecret } = emulator.credentials;
      const a = clientOf(`${name}-cc-a`, store, { clientId, clientSecret });
      const b = clientOf(`${name}-cc-b`, store, { clientId: SECOND_CLIENT.client_id, clientSecret: SECOND_CLIENT.client_secret });
      emulator.clearRequests();
      await a.routes.list();
      await b.routes.list();
      await a.routes.list();
      expect(tokenRequestsWith(basic(clientId, clientSecret))).toHaveLength(1);
      expect(tokenRequestsWith(basic(SECOND_CLIENT.client_id, SECOND_CLIENT.client_secret))).toHaveLength(1);
      const [aToken, ...moreA] = authorizationsOf(`${name}-cc-a`);
      const [bToken, ...moreB] = authorizationsOf(`${name}-cc-b`);
      expect([moreA, moreB]).toEqual([[], []]);
      expect(aToken).toMatch(/^Bearer kc_/);
      expect(bToken).toMatch(/^Bearer kc_/);
      expect(bToken).not.toBe(aToken);
    });

    it('a wrong secret is refused by the server although the store holds a token for its client id', async () => {
      const store = makeStore!();
      const { clientId, clientSecret } = emulator.credentials;
      await clientOf(`${name}-right`, store, { clientId, clientSecret }).routes.list();
      const wrong = clientOf(`${name}-wrong`, store, { clientId, clientSecret: 'kcs_not_the_secret' });
      emulator.clearRequests();
      await expect(wrong.routes.list()).rejects.toMatchObject({ status: 401 });
      expect(tokenRequestsWith(basic(clientId, 'kcs_not_the_secret'))).toHaveLength(1);
      expect(authorizationsOf(`${name}-wrong`).size).toBe(0);
    });

    it('two API keys each send their own key', async () => {
      const store = makeStore!();
      const a = clientOf(`${name}-key-a`, store, { apiKey: emulator.credentials.apiKey });
      const b = clientOf(`${name}-key-b`, store, { apiKey: SECOND_KEY });
      await a.routes.list();
      await b.routes.list();
      expect([...authorizationsOf(`${name}-key-a`)]).toEqual([`Bearer ${emulator.credentials.apiKey}`]);
      expect([...authorizationsOf(`${name}-key-b`)]).toEqual([`Bearer ${SECOND_KEY}`]);
    });

    it('two workloads exchanging their own OIDC tokens each mint and present their own token; a forged subject token is refused', async () => {
      const store = makeStore!();
      const a = clientOf(`${name}-oidc-a`, store, {
        bootstrap: new OidcTokenExchange({ subjectToken: emulator.mintSubjectToken({ platform: 'github-actions' }) }),
      });
      const b = clientOf(`${name}-oidc-b`, store, { bootstrap: new OidcTokenExchange({ subjectToken: emulator.mintSubjectToken({ platform: 'gcp' }) }) });
      emulator.clearRequests();
      await a.routes.list();
      await b.routes.list();
      await a.routes.list();
      expect(emulator.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(2);
      const [aToken, ...moreA] = authorizationsOf(`${name}-oidc-a`);
      const [bToken, ...moreB] = authorizationsOf(`${name}-oidc-b`);
      expect([moreA, moreB]).toEqual([[], []]);
      expect(bToken).not.toBe(aToken);
      // A subject token signed by no issuer the server trusts: the warm store must not stand in for it.
      const [header, payload] = emulator.mintSubjectToken({ platform: 'github-actions' }).split('.');
      const forged = clientOf(`${name}-oidc-forged`, store, { bootstrap: new OidcTokenExchange({ subjectToken: `${header}.${payload}.${'A'.repeat(86)}` }) });
      await expect(forged.routes.list()).rejects.toMatchObject({ name: 'TokenExchangeError' });
      expect(authorizationsOf(`${name}-oidc-forged`).size).toBe(0);
    });

    it('a bogus API key is refused by the server, never answered with another key', async () => {
      const store = makeStore!();
      await clientOf(`${name}-good-key`, store, { apiKey: emulator.credentials.apiKey }).routes.list();
      const bogus = clientOf(`${name}-bogus-key`, store, { apiKey: 'kc_live_bogus_key_000000000' });
      await expect(bogus.routes.list()).rejects.toMatchObject({ status: 401 });
      expect([...authorizationsOf(`${name}-bogus-key`)]).toEqual(['Bearer kc_live_bogus_key_000000000']);
    });
  });
}

describe.skipIf(!REDIS_URL)('the Redis layout', () => {
  it('keys hold no secret in clear: {prefix}token:{tenant}:cid:{client id}:{sha256}:{scopes}', async () => {
    const prefix = uniquePrefix('layout');
    const { clientId, clientSecret } = emulator.credentials;
    await clientOf('layout', new RedisTokenStore({ client: redis!, prefix }), { clientId, clientSecret }).routes.list();
    const keys = await redis!.keys(`${prefix}:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${prefix}:token:${emulator.tenant}:cid:${clientId}:[0-9a-f]{64}:$`));
    expect(keys[0]).not.toContain(clientSecret);
  });
});
