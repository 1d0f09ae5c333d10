/**
 * `WorkloadCredentialProvider` against the emulator's data-plane exchange (contract auth §8.3):
 * single-use assertions (the emulator refuses replays too), the advisory/mandatory refresh lines,
 * refresh under the store's lock, distinct live/sandbox cache keys, Memory and Redis stores.
 */
import { inspect } from 'node:util';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../src/auth/memory-token-store.js';
import { RedisTokenStore } from '../src/auth/redis-token-store.js';
import { APIConnectionError, StaleAssertionError, TokenExchangeError } from '../src/errors.js';
import { ADVISORY_REFRESH_MS, MANDATORY_REFRESH_MS, WorkloadCredentialProvider, type WorkloadCredentialProviderOptions } from '../src/token-exchange/index.js';
import { REDIS_URL, describeRedis, redisFactories, uniquePrefix } from './token-store-redis-clients.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
});

const TTL_MS = 900_000; // the emulator's data-plane token lifetime
const exchanges = () => emu.requests().filter((r) => r.method === 'POST' && r.path === '/v1/oauth/token');
const postedSubjects = () => exchanges().map((r) => JSON.parse(r.body).subject_token as string);

/** A fresh assertion per call (what a real platform gives), counted. */
function freshSource() {
  const issued: string[] = [];
  return {
    issued,
    assertion: () => {
      const token = emu.mintSubjectToken({ platform: 'github-actions', audience: 'knoxcall:gateway' });
      issued.push(token);
      return token;
    },
  };
}

function provider(extra: Partial<WorkloadCredentialProviderOptions> & { clock?: { t: number } } = {}) {
  const clock = extra.clock ?? { t: Date.now() };
  const warnings: string[] = [];
  const source = freshSource();
  const p = new WorkloadCredentialProvider({
    assertion: source.assertion,
    baseUrl: emu.url,
    now: () => clock.t,
    warn: (m) => warnings.push(m),
    ...extra,
  });
  return { p, clock, warnings, source };
}

describe('exchanging and caching', () => {
  it('the first call exchanges; the token is Redacted (never prints) and expose() gives the minted token', async () => {
    const { p } = provider();
    const token = await p.getAccessToken();
    expect(token.expose()).toMatch(/^kcg_/);
    for (const shown of [String(token), JSON.stringify({ token }), inspect(token), inspect(p, { depth: 5 })]) expect(shown).not.toContain(token.expose());
    expect(exchanges()).toHaveLength(1);
    expect(exchanges()[0]!.headers.authorization).toBeUndefined();
  });

  it('> 120 s left → cached; just under 120 s → a second exchange with a NEW assertion', async () => {
    const { p, clock, source } = provider();
    const first = (await p.getAccessToken()).expose();
    clock.t += TTL_MS - ADVISORY_REFRESH_MS - 1_000; // 121 s left
    expect((await p.getAccessToken()).expose()).toBe(first);
    expect(exchanges()).toHaveLength(1);
    clock.t += 2_000; // 119 s left
    const second = (await p.getAccessToken()).expose();
    expect(second).not.toBe(first);
    expect(postedSubjects()).toEqual(source.issued);
    expect(source.issued).toHaveLength(2);
  });

  it('a fresh-per-call source past the mandatory line → two exchanges, assertion-1 then assertion-2', async () => {
    const { p, clock, source } = provider();
    await p.getAccessToken();
    clock.t += TTL_MS - MANDATORY_REFRESH_MS + 1_000;
    await p.getAccessToken();
    expect(postedSubjects()).toEqual([source.issued[0], source.issued[1]]);
    expect(source.issued[0]).not.toBe(source.issued[1]);
  });

  it('8 concurrent callers on a cold provider → one exchange and one call of the assertion source', async () => {
    const { p, source } = provider();
    emu.script('POST', '/v1/oauth/token', [{ delayMs: 100 }]);
    const tokens = await Promise.all(Array.from({ length: 8 }, () => p.getAccessToken()));
    expect(new Set(tokens.map((t) => t.expose())).size).toBe(1);
    expect(exchanges()).toHaveLength(1);
    expect(source.issued).toHaveLength(1);
  });

  it('live and sandbox providers sharing one store get distinct entries (and exchanges)', async () => {
    const store = new MemoryTokenStore();
    const live = provider({ store, tenant: 'acme', baseUrl: emu.url });
    const sandbox = provider({ store, tenant: 'acme', baseUrl: emu.url, sandbox: true });
    expect(live.p.cacheKey).toBe(`workload:${emu.url}:live`);
    expect(sandbox.p.cacheKey).toBe(`workload:${emu.url}:test`);
    expect(new WorkloadCredentialProvider({ assertion: () => 'x', tenant: 'acme', sandbox: true }).cacheKey).toBe('workload:acme:test');
    expect(new WorkloadCredentialProvider({ assertion: () => 'x' }).cacheKey).toBe('workload:default:live');
    const a = await live.p.getAccessToken();
    const b = await sandbox.p.getAccessToken();
    expect(a.expose()).not.toBe(b.expose());
    expect(exchanges()).toHaveLength(2);
  });

  it('sends resource and audience when given', async () => {
    const { p } = provider({ audience: 'knoxcall:gateway', resource: 'https://acme.knoxcall.com/v1/mcp/gw/none' });
    await expect(p.getAccessToken()).rejects.toBeInstanceOf(TokenExchangeError); // no such MCP server
    expect(JSON.parse(exchanges()[0]!.body)).toMatchObject({ audience: 'knoxcall:gateway', resource: 'https://acme.knoxcall.com/v1/mcp/gw/none' });
  });
});

describe('single-use assertions', () => {
  it('a constant source → StaleAssertionError ("single-use", "NEWLY minted") and only the first request sent', async () => {
    const constant = emu.mintSubjectToken({ audience: 'knoxcall:gateway' });
    const { p, clock } = provider({ assertion: () => constant });
    await p.getAccessToken();
    clock.t += TTL_MS; // expired: a refresh is mandatory
    const error = await p.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleAssertionError);
    expect((error as Error).message).toContain('single-use');
    expect((error as Error).message).toContain('NEWLY minted');
    expect((error as Error).message).not.toContain(constant);
    expect(exchanges()).toHaveLength(1);
  });

  it('an empty (or non-string) assertion → StaleAssertionError, no request', async () => {
    await expect(provider({ assertion: () => '' }).p.getAccessToken()).rejects.toBeInstanceOf(StaleAssertionError);
    await expect(provider({ assertion: async () => undefined as unknown as string }).p.getAccessToken()).rejects.toBeInstanceOf(StaleAssertionError);
    expect(exchanges()).toHaveLength(0);
  });

  it('a connect error on the first exchange leaves the assertion reusable: the same one is accepted on retry', async () => {
    const constant = emu.mintSubjectToken({ audience: 'knoxcall:gateway' });
    const { p } = provider({ assertion: () => constant });
    emu.script('POST', '/v1/oauth/token', [{ reset: true }]);
    await expect(p.getAccessToken()).rejects.toBeInstanceOf(APIConnectionError);
    expect((await p.getAccessToken()).expose()).toMatch(/^kcg_/);
    expect(postedSubjects()).toEqual([constant, constant]);
  });
});

describe('advisory and mandatory refresh', () => {
  it('an advisory refresh that fails → the cached token and a warning', async () => {
    const { p, clock, warnings } = provider();
    const first = (await p.getAccessToken()).expose();
    clock.t += TTL_MS - 60_000; // 60 s left: advisory window
    emu.script('POST', '/v1/oauth/token', [{ status: 503, body: { error: 'server_error' } }]);
    expect((await p.getAccessToken()).expose()).toBe(first);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('advisory token refresh failed');
    expect(warnings[0]).not.toContain(first);
  });

  it('a mandatory refresh that fails → the error propagates', async () => {
    const { p, clock } = provider();
    await p.getAccessToken();
    clock.t += TTL_MS - 10_000; // 10 s left
    emu.script('POST', '/v1/oauth/token', [{ status: 400, body: { error: 'invalid_grant', error_description: 'nope' } }]);
    await expect(p.getAccessToken()).rejects.toMatchObject({ name: 'TokenExchangeError', status: 400, type: 'invalid_grant' });
  });

  it('the refresh runs under store.withLock(cacheKey)', async () => {
    const store = new MemoryTokenStore();
    const locked: string[] = [];
    const spy = {
      get: (key: string) => store.get(key),
      set: (key: string, token: Parameters<typeof store.set>[1]) => store.set(key, token),
      delete: (key: string) => store.delete(key),
      withLock: <T>(key: string, fn: () => Promise<T>) => {
        locked.push(key);
        return store.withLock(key, fn);
      },
    };
    const { p } = provider({ store: spy });
    await p.getAccessToken();
    await p.getAccessToken();
    expect(locked).toEqual([p.cacheKey]);
  });
});

describeRedis('with a RedisTokenStore', () => {
  for (const [name, connect] of redisFactories.slice(0, 2)) {
    it(`${name}: two providers with their own stores on one Redis, cold at once → one exchange, one token`, async () => {
      const prefix = uniquePrefix('workload');
      const [a, b] = [await connect(REDIS_URL!), await connect(REDIS_URL!)];
      try {
        emu.script('POST', '/v1/oauth/token', [{ delayMs: 150 }]);
        const pa = provider({ store: new RedisTokenStore({ client: a.client, prefix }) });
        const pb = provider({ store: new RedisTokenStore({ client: b.client, prefix }) });
        const [ta, tb] = await Promise.all([pa.p.getAccessToken(), pb.p.getAccessToken()]);
        expect(ta.expose()).toBe(tb.expose());
        expect(exchanges()).toHaveLength(1);
        expect(await a.raw.get(`${prefix}:token:${pa.p.cacheKey}`)).toContain('"tokenType":"Bearer"');
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
});
