import type { AddressInfo } from 'node:net';
import { ERROR_STATUS_CASES, scriptRoutesFailure, startEmulatorClient } from '@knoxcall/adapter-contract';
import { KnoxCall, type WithOptions, isKnoxCallError } from '@knoxcall/core';
import type { Emulator } from '@knoxcall/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KnoxCallPluginOptions, getKnox, knoxCall, knoxErrorHandler } from '../src/index.js';

/** A real client that counts the views built from it (the "no view when unused" check). */
class CountingKnoxCall extends KnoxCall {
  views = 0;
  override withOptions(options?: WithOptions): this {
    this.views++;
    return super.withOptions(options);
  }
}

let emulator: Emulator;
let client: CountingKnoxCall;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ emulator, client, close: stop } = await startEmulatorClient((options) => new CountingKnoxCall(options)));
});
afterAll(async () => {
  await stop?.();
});

async function appWith(options: KnoxCallPluginOptions = { client }): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler(knoxErrorHandler());
  await app.register(knoxCall, options);
  app.get('/untouched', async () => 'ok');
  app.get('/routes', async (request) => {
    const page = await request.knox.routes.list();
    return { count: page.data.length };
  });
  app.get('/same', async (request) => {
    const first = request.knox;
    return { same: first === getKnox(request) && first === request.knox, shared: app.knox === client };
  });
  return app;
}

describe('knoxCall plugin: request.knox', () => {
  it('builds no view for requests that never touch request.knox, and one per request that does', async () => {
    const app = await appWith();
    const before = client.views;
    for (let i = 0; i < 5; i++) expect((await app.inject('/untouched')).body).toBe('ok');
    expect(client.views).toBe(before);
    const res = await app.inject('/same');
    expect(res.json()).toEqual({ same: true, shared: true });
    expect(client.views).toBe(before + 1);
    await app.close();
  });

  it('makes real calls through the view', async () => {
    const app = await appWith();
    const res = await app.inject('/routes');
    expect(res.statusCode).toBe(200);
    expect(typeof res.json().count).toBe('number');
    await app.close();
  });

  it('keeps concurrent requests isolated: distinct views, each call carrying its own request’s headers', async () => {
    const app = await appWith({
      client,
      requestOptions: (request) => ({ headers: { 'X-End-User': String(request.headers['x-user'] ?? 'anonymous') } }),
    });
    const views = new Set<unknown>();
    app.get('/who', async (request) => {
      const view = request.knox;
      views.add(view);
      // Yield between taking the view and using it, so the requests interleave.
      await new Promise((resolve) => setImmediate(resolve));
      await view.routes.list();
      return { user: request.headers['x-user'] };
    });
    const users = Array.from({ length: 20 }, (_, i) => ({ user: `user-${i}`, id: `iso-${crypto.randomUUID()}` }));
    const answers = await Promise.all(users.map(({ user, id }) => app.inject({ url: '/who', headers: { 'x-user': user, 'x-request-id': id } })));
    expect(answers.map((a) => a.json().user)).toEqual(users.map((u) => u.user));
    expect(views.size).toBe(users.length);
    for (const { user, id } of users) {
      const seen = emulator.requests().filter((r) => r.path === '/v1/routes' && r.headers['x-request-id'] === id);
      expect(seen, user).toHaveLength(1);
      expect(seen[0]!.headers['x-end-user']).toBe(user);
    }
    await app.close();
  });

  it('getKnox(request) without the plugin names the fix, and knoxErrorHandler answers 500', async () => {
    const app = Fastify();
    app.setErrorHandler(knoxErrorHandler());
    app.get('/routes', async (request) => {
      getKnox(request);
      return 'unreachable';
    });
    let message = '';
    app.get('/message', async (request) => {
      try {
        getKnox(request);
      } catch (error) {
        message = (error as Error).message;
      }
      return 'ok';
    });
    const res = await app.inject('/routes');
    expect(res.statusCode).toBe(500);
    expect(res.json().error.type).toBe('knoxcall_configuration_error');
    await app.inject('/message');
    expect(message).toContain('app.register(knoxCall, { client })');
    await app.close();
  });

  it('rejects bad options when the plugin loads', async () => {
    await expect(
      Fastify()
        .register(knoxCall, {} as never)
        .ready(),
    ).rejects.toThrow(/exactly one of `client`/);
    await expect(
      Fastify()
        .register(knoxCall, { client: {} as KnoxCall })
        .ready(),
    ).rejects.toThrow(/KnoxCall instance/);
    await expect(
      Fastify()
        .register(knoxCall, { client, requestOptions: 'x' as never })
        .ready(),
    ).rejects.toThrow(/requestOptions/);
  });

  it('closes a client it built from clientOptions in onClose, and never a client it was given', async () => {
    const built = Fastify();
    await built.register(knoxCall, { clientOptions: { baseUrl: emulator.url, apiKey: emulator.credentials.apiKey, retry: { maxAttempts: 1 } } });
    await built.ready();
    const own = built.knox;
    expect(own).not.toBe(client);
    await expect(own.routes.list()).resolves.toBeDefined();
    await built.close();
    await expect(own.routes.list()).rejects.toSatisfy(isKnoxCallError);

    const given = await appWith();
    await given.ready();
    await given.close();
    await expect(client.routes.list()).resolves.toBeDefined();
  });

  it("aborts the request's KnoxCall calls when the caller disconnects", async () => {
    emulator.script('GET', '/v1/routes', [{ delayMs: 5000 }]);
    let settle!: (outcome: unknown) => void;
    const outcome = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    const app = Fastify();
    await app.register(knoxCall, { client });
    app.get('/slow', async (request) => {
      await request.knox.routes.list().then(
        () => settle('resolved'),
        (error) => settle(error),
      );
      return 'done';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const caller = new AbortController();
      const started = Date.now();
      const pending = fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/slow`, { signal: caller.signal }).catch(() => 'aborted');
      setTimeout(() => caller.abort(), 150);
      expect(await pending).toBe('aborted');
      const error = await outcome;
      expect(Date.now() - started).toBeLessThan(4000);
      expect(isKnoxCallError(error) && error.name).toBe('APIUserAbortError');
    } finally {
      emulator.script('GET', '/v1/routes', []);
      app.server.closeAllConnections();
      await app.close();
    }
  });

  it("adds the response's 'close' listener with the view's first call, not when the view is built", async () => {
    const app = Fastify();
    await app.register(knoxCall, { client });
    app.get('/listeners', async (request, reply) => {
      const before = reply.raw.listenerCount('close');
      const view = request.knox;
      const afterView = reply.raw.listenerCount('close');
      await view.routes.list();
      await getKnox(request).routes.list();
      return { before, afterView, afterCalls: reply.raw.listenerCount('close') };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/listeners`);
      const counts = (await res.json()) as { before: number; afterView: number; afterCalls: number };
      expect(counts).toEqual({ before: counts.before, afterView: counts.before, afterCalls: counts.before + 1 });
    } finally {
      app.server.closeAllConnections();
      await app.close();
    }
  });

  it('aborts a first call made after the caller disconnected, and sends nothing', async () => {
    let settle!: (outcome: unknown) => void;
    const outcome = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    const requestId = `req-late-${Date.now()}`;
    const app = Fastify();
    await app.register(knoxCall, { client });
    app.get('/late', async (request) => {
      const view = request.knox; // built while the caller is still there
      const socket = request.raw.socket;
      if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
      await new Promise((resolve) => setImmediate(resolve)); // the response's own 'close' runs first
      await view.routes.list().then(
        () => settle('resolved'),
        (error) => settle(error),
      );
      return 'done';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const caller = new AbortController();
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/late`;
      const pending = fetch(url, { signal: caller.signal, headers: { 'x-request-id': requestId } }).catch(() => 'aborted');
      setTimeout(() => caller.abort(), 50);
      expect(await pending).toBe('aborted');
      const error = await outcome;
      expect(isKnoxCallError(error) && error.name).toBe('APIUserAbortError');
      expect(emulator.requests().filter((r) => r.headers['x-request-id'] === requestId)).toHaveLength(0);
    } finally {
      app.server.closeAllConnections();
      await app.close();
    }
  });

  it('does not abort calls of a POST whose body was read (unlike Fastify’s request.signal)', async () => {
    const app = await appWith();
    app.post('/with-body', async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const page = await request.knox.routes.list();
      return { body: request.body, listed: Array.isArray(page.data) };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/with-body`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ body: { a: 1 }, listed: true });
    } finally {
      await app.close();
    }
  });
});

describe('knoxErrorHandler(): KnoxCall failures against the emulator', () => {
  for (const { name, step, expected, type } of ERROR_STATUS_CASES) {
    it(name, async () => {
      scriptRoutesFailure(emulator, step);
      const app = await appWith();
      try {
        const res = await app.inject('/routes');
        expect(res.statusCode).toBe(expected);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json().error.request_id).toBe('req_scripted');
        if (type) expect(res.json().error.type).toBe(type);
        expect(res.body).not.toContain('kc_');
      } finally {
        emulator.script('GET', '/v1/routes', []);
        await app.close();
      }
    });
  }

  it('422 → 422 with the per-field messages', async () => {
    emulator.script('GET', '/v1/routes', [
      { status: 422, body: { error: { type: 'validation_error', message: 'invalid', request_id: 'req_v' }, fields: { name: ['is required'] } } },
    ]);
    const app = await appWith();
    const res = await app.inject('/routes');
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ type: 'validation_error', request_id: expect.stringMatching(/^req_/), fields: { name: ['is required'] } });
    await app.close();
  });

  it('429 → 503 with Retry-After', async () => {
    emulator.script('GET', '/v1/routes', [{ status: 429, headers: { 'Retry-After': '12' }, body: { error: { type: 'rate_limited', message: 'slow' } } }]);
    const app = await appWith();
    const res = await app.inject('/routes');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('12');
    expect(res.json().error.type).toBe('knoxcall_rate_limited');
    await app.close();
  });

  it('timeout → 504', async () => {
    emulator.script('GET', '/v1/routes', [{ delayMs: 2000 }]);
    const app = await appWith({ client, requestOptions: () => ({ timeout: 100 }) });
    try {
      const res = await app.inject('/routes');
      expect(res.statusCode).toBe(504);
      expect(res.json().error.type).toBe('knoxcall_timeout');
    } finally {
      emulator.script('GET', '/v1/routes', []);
      await app.close();
    }
  });

  it('connection failure → 502', async () => {
    const dead = Fastify();
    await dead.listen({ port: 0, host: '127.0.0.1' });
    const deadUrl = `http://127.0.0.1:${(dead.server.address() as AddressInfo).port}`;
    await dead.close();
    const unreachable = new KnoxCall({ baseUrl: deadUrl, apiKey: emulator.credentials.apiKey, retry: { maxAttempts: 1 } });
    const app = await appWith({ client: unreachable });
    const res = await app.inject('/routes');
    expect(res.statusCode).toBe(502);
    expect(res.json().error.type).toBe('knoxcall_unreachable');
    await app.close();
    await unreachable.close();
  });

  it('hands errors that are not KnoxCall errors to the next error handler (Fastify’s default at the root)', async () => {
    const app = Fastify();
    app.setErrorHandler(knoxErrorHandler());
    app.get('/boom', async () => {
      throw Object.assign(new Error('not ours'), { statusCode: 418 });
    });
    await app.register(async (child) => {
      child.setErrorHandler(knoxErrorHandler());
      child.get('/child-boom', async () => {
        throw new Error('also not ours');
      });
    });
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({ statusCode: 418, error: "I'm a Teapot", message: 'not ours' });
    const child = await app.inject('/child-boom');
    expect(child.statusCode).toBe(500);
    expect(child.json()).toMatchObject({ statusCode: 500, message: 'also not ours' });
    await app.close();
  });
});
