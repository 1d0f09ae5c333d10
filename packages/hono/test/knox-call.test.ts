import { KnoxCall, type WithOptions, isKnoxCall } from '@knoxcall/core';
import { serve } from '@hono/node-server';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KnoxVariables, getKnox, knoxCall, knoxOnError } from '../src/index.js';

/** A real client that counts the views built from it. */
class CountingKnoxCall extends KnoxCall {
  views = 0;
  override withOptions(options?: WithOptions): this {
    this.views++;
    return super.withOptions(options);
  }
}

let emulator: Emulator;
let client: CountingKnoxCall;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new CountingKnoxCall({ baseUrl: emulator.url, proxyBaseUrl: emulator.proxyUrl, apiKey: emulator.credentials.apiKey, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

function appWith(options: Parameters<typeof knoxCall>[0] = { client }): Hono<{ Variables: KnoxVariables }> {
  const app = new Hono<{ Variables: KnoxVariables }>();
  app.onError(knoxOnError());
  app.use(knoxCall(options));
  app.get('/routes', async (c) => c.json({ count: (await c.var.knox.routes.list()).data.length }));
  app.get('/same', (c) => c.json({ same: c.var.knox === getKnox(c) && c.get('knox') === c.var.knox, isView: isKnoxCall(c.var.knox) && c.var.knox !== client }));
  return app;
}

describe('knoxCall(): c.var.knox', () => {
  it('sets one view per request, the same through c.var.knox, c.get and getKnox(c)', async () => {
    const before = client.views;
    const res = await appWith().request('http://app.test/same');
    expect(await res.json()).toEqual({ same: true, isView: true });
    expect(client.views).toBe(before + 1);
  });

  it('makes real calls through the view', async () => {
    const res = await appWith().request('http://app.test/routes');
    expect(res.status).toBe(200);
    expect(typeof ((await res.json()) as { count: unknown }).count).toBe('number');
  });

  it('passes the context to requestOptions(c), so bindings can shape the calls', async () => {
    const app = appWith({ client, requestOptions: (c) => ({ headers: { 'X-Deployment': (c.env as { DEPLOYMENT: string }).DEPLOYMENT } }) });
    const before = emulator.requests().length;
    const res = await app.request('http://app.test/routes', {}, { DEPLOYMENT: 'eu-west' });
    expect(res.status).toBe(200);
    const seen = emulator
      .requests()
      .slice(before)
      .filter((r) => r.path === '/v1/routes');
    expect(seen.map((r) => r.headers['x-deployment'])).toEqual(['eu-west']);
  });

  it('getKnox(c) without the middleware names the fix; knoxOnError answers 500', async () => {
    const app = new Hono();
    app.onError(knoxOnError());
    app.get('/routes', (c) => c.json(getKnox(c)));
    const res = await app.request('http://app.test/routes');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('knoxcall_configuration_error');
    expect(() => getKnox({ get: () => undefined } as never)).toThrow(/app\.use\(knoxCall\(\{ client \}\)\)/);
  });

  it('rejects bad options at setup', () => {
    expect(() => knoxCall({} as never)).toThrow(/exactly one of `client`/);
    expect(() => knoxCall({ client: {} as KnoxCall })).toThrow(/KnoxCall instance/);
    expect(() => knoxCall({ client, requestOptions: 'x' as never })).toThrow(/requestOptions/);
    expect(() => knoxCall({ clientOptions: () => ({}), maxCachedClients: 0 })).toThrow(/maxCachedClients/);
  });

  it('closes only clients it built itself', async () => {
    const built = knoxCall({ clientOptions: { baseUrl: emulator.url, apiKey: emulator.credentials.apiKey } });
    expect(built.client).toBeDefined();
    await built.close();
    await expect(built.client!.routes.list()).rejects.toThrow();
    const given = knoxCall({ client });
    await given.close();
    await expect(client.routes.list()).resolves.toBeDefined();
  });

  it("aborts the request's KnoxCall calls when the caller disconnects (node-server)", async () => {
    emulator.script('GET', '/v1/routes', [{ delayMs: 5000 }]);
    let settle!: (outcome: unknown) => void;
    const outcome = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    const app = new Hono<{ Variables: KnoxVariables }>();
    app.use(knoxCall({ client }));
    app.get('/slow', async (c) => {
      await c.var.knox.routes.list().then(
        () => settle('resolved'),
        (error) => settle(error),
      );
      return c.text('done');
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const { port } = server.address() as { port: number };
      const caller = new AbortController();
      const started = Date.now();
      const pending = fetch(`http://127.0.0.1:${port}/slow`, { signal: caller.signal }).catch(() => 'aborted');
      setTimeout(() => caller.abort(), 150);
      expect(await pending).toBe('aborted');
      const error = await outcome;
      expect(Date.now() - started).toBeLessThan(4000);
      expect((error as Error).name).toBe('APIUserAbortError');
    } finally {
      emulator.script('GET', '/v1/routes', []);
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close();
    }
  });
});

describe('knoxCall(): clientOptions from bindings', () => {
  type Bindings = { KNOXCALL_CLIENT_ID: string; KNOXCALL_CLIENT_SECRET: string };
  const options = (c: { env: Bindings }) => ({
    baseUrl: emulator.url,
    clientId: c.env.KNOXCALL_CLIENT_ID,
    clientSecret: c.env.KNOXCALL_CLIENT_SECRET,
    retry: { maxAttempts: 1 },
  });

  it('builds one client per credential and keeps it warm: one token for many requests', async () => {
    const middleware = knoxCall<{ Bindings: Bindings }>({ clientOptions: options });
    expect(middleware.client).toBeUndefined();
    const app = new Hono<{ Bindings: Bindings; Variables: KnoxVariables }>();
    app.onError(knoxOnError());
    app.use(middleware);
    app.get('/routes', async (c) => c.json({ count: (await c.var.knox.routes.list()).data.length }));
    const env = { KNOXCALL_CLIENT_ID: emulator.credentials.clientId, KNOXCALL_CLIENT_SECRET: emulator.credentials.clientSecret };
    const before = emulator.requests().length;
    for (let i = 0; i < 3; i++) expect((await app.request('http://app.test/routes', {}, env)).status).toBe(200);
    const seen = emulator.requests().slice(before);
    expect(seen.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    expect(seen.filter((r) => r.path === '/v1/routes')).toHaveLength(3);

    // Another deployment's (wrong) credential gets its own client: KnoxCall rejects it → 502.
    const wrong = await app.request('http://app.test/routes', {}, { ...env, KNOXCALL_CLIENT_SECRET: 'not-the-secret' });
    expect(wrong.status).toBe(502);
    const body = await wrong.text();
    expect(JSON.parse(body).error.type).toBe('knoxcall_credentials_rejected');
    expect(body).not.toContain('not-the-secret');
    await middleware.close();
  });

  it('names the mistake when the function does not return an options object', async () => {
    const app = new Hono();
    app.use(knoxCall({ clientOptions: (() => Promise.resolve({})) as never }));
    app.get('/', (c) => c.text('unreachable'));
    app.onError((err, c) => c.text(err.message, 500));
    expect(await (await app.request('http://app.test/')).text()).toMatch(/clientOptions` function must synchronously return/);
  });
});
