import type { AddressInfo } from 'node:net';
import { ERROR_STATUS_CASES, scriptRoutesFailure, startEmulatorClient } from '@knoxcall/adapter-contract';
import { KnoxCall, type WithOptions, isKnoxCallError } from '@knoxcall/core';
import type { Emulator } from '@knoxcall/testing';
import express, { type Express, type Request } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKnox, knoxCall, knoxErrorHandler } from '../src/index.js';

/** A real client that counts the views built from it (the "no view when unused" check). */
class CountingKnoxCall extends KnoxCall {
  static views = 0;
  override withOptions(options?: WithOptions): this {
    CountingKnoxCall.views++;
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

function appWith(options: Parameters<typeof knoxCall>[0] = { client }): Express {
  const app = express();
  app.use(knoxCall(options));
  app.get('/untouched', (_req, res) => {
    res.send('ok');
  });
  app.get('/routes', async (req, res) => {
    const page = await getKnox(req).routes.list();
    res.json({ count: page.data.length });
  });
  app.get('/same', (req: Request & { knox?: KnoxCall }, res) => {
    const first = getKnox(req);
    const second = getKnox(req);
    res.json({ same: req.knox === first && first === second });
  });
  app.use(knoxErrorHandler());
  return app;
}

describe('knoxCall(): req.knox', () => {
  it('creates no view for a request that never touches req.knox', async () => {
    const app = appWith();
    const before = CountingKnoxCall.views;
    for (let i = 0; i < 5; i++) expect((await request(app).get('/untouched')).text).toBe('ok');
    expect(CountingKnoxCall.views).toBe(before);
    await request(app).get('/same');
    expect(CountingKnoxCall.views).toBe(before + 1);
  });

  it('builds the view once per request; req.knox and getKnox(req) are the same view', async () => {
    const res = await request(appWith()).get('/same');
    expect(res.body).toEqual({ same: true });
  });

  it('makes real calls through the view', async () => {
    const res = await request(appWith()).get('/routes');
    expect(res.status).toBe(200);
    expect(typeof res.body.count).toBe('number');
  });

  it('getKnox(req) without the middleware names the fix, and the error handler answers 500', async () => {
    const app = express();
    app.get('/routes', (req, res) => {
      getKnox(req);
      res.send('unreachable');
    });
    app.use(knoxErrorHandler());
    const res = await request(app).get('/routes');
    expect(res.status).toBe(500);
    expect(res.body.error.type).toBe('knoxcall_configuration_error');
    let message = '';
    try {
      getKnox({} as Request);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('app.use(knoxCall({ client }))');
  });

  it('rejects bad options at setup', () => {
    expect(() => knoxCall({} as never)).toThrow(/exactly one of `client`/);
    expect(() => knoxCall({ client: {} as KnoxCall })).toThrow(/KnoxCall instance/);
  });

  it('closes only a client it built itself', async () => {
    const built = knoxCall({ clientOptions: { baseUrl: emulator.url, apiKey: emulator.credentials.apiKey } });
    await built.close();
    await expect(built.client.routes.list()).rejects.toSatisfy(isKnoxCallError);
    const given = knoxCall({ client });
    await given.close();
    await expect(client.routes.list()).resolves.toBeDefined();
  });

  it("aborts the request's KnoxCall calls when the caller disconnects", async () => {
    emulator.script('GET', '/v1/routes', [{ delayMs: 5000 }]);
    let settle!: (outcome: unknown) => void;
    const outcome = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    const app = express();
    app.use(knoxCall({ client }));
    app.get('/slow', (req, res) => {
      getKnox(req)
        .routes.list()
        .then(
          () => settle('resolved'),
          (error) => settle(error),
        )
        .finally(() => res.end());
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const caller = new AbortController();
      const started = Date.now();
      const pending = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`, { signal: caller.signal }).catch(() => 'aborted');
      setTimeout(() => caller.abort(), 150);
      expect(await pending).toBe('aborted');
      const error = await outcome;
      expect(Date.now() - started).toBeLessThan(4000);
      expect(isKnoxCallError(error) && error.name).toBe('APIUserAbortError');
    } finally {
      emulator.script('GET', '/v1/routes', []);
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('knoxCall(): the disconnect signal is made with the first call', () => {
  async function listen(app: Express) {
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it("adds the response's 'close' listener with the view's first call, not when the view is built", async () => {
    const app = express();
    app.use(knoxCall({ client }));
    app.get('/listeners', async (req, res) => {
      const before = res.listenerCount('close');
      const view = getKnox(req);
      const afterView = res.listenerCount('close');
      await view.routes.list();
      await getKnox(req).routes.list();
      res.json({ before, afterView, afterCalls: res.listenerCount('close') });
    });
    const { server, url } = await listen(app);
    try {
      const counts = (await (await fetch(`${url}/listeners`)).json()) as { before: number; afterView: number; afterCalls: number };
      expect(counts).toEqual({ before: counts.before, afterView: counts.before, afterCalls: counts.before + 1 });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('aborts a first call made after the caller disconnected, and sends nothing', async () => {
    let settle!: (outcome: unknown) => void;
    const outcome = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    const requestId = `req-late-${Date.now()}`;
    const app = express();
    app.use(knoxCall({ client }));
    app.get('/late', async (req, res) => {
      const view = getKnox(req); // built while the caller is still there
      if (!req.socket.destroyed) await new Promise((resolve) => req.socket.once('close', resolve));
      await new Promise((resolve) => setImmediate(resolve)); // the response's own 'close' runs first
      await view.routes.list().then(
        () => settle('resolved'),
        (error) => settle(error),
      );
      res.end();
    });
    const { server, url } = await listen(app);
    try {
      const caller = new AbortController();
      const pending = fetch(`${url}/late`, { signal: caller.signal, headers: { 'x-request-id': requestId } }).catch(() => 'aborted');
      setTimeout(() => caller.abort(), 50);
      expect(await pending).toBe('aborted');
      const error = await outcome;
      expect(isKnoxCallError(error) && error.name).toBe('APIUserAbortError');
      expect(emulator.requests().filter((r) => r.headers['x-request-id'] === requestId)).toHaveLength(0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('knoxErrorHandler(): KnoxCall failures against the emulator', () => {
  const app = () => appWith();
  for (const { name, step, expected, type } of ERROR_STATUS_CASES) {
    it(name, async () => {
      scriptRoutesFailure(emulator, step);
      try {
        const res = await request(app()).get('/routes');
        expect(res.status).toBe(expected);
        expect(res.body.error.request_id).toBe('req_scripted');
        if (type) expect(res.body.error.type).toBe(type);
        expect(res.text).not.toContain('kc_');
      } finally {
        emulator.script('GET', '/v1/routes', []);
      }
    });
  }

  it('422 → 422 with the per-field messages', async () => {
    emulator.script('GET', '/v1/routes', [
      { status: 422, body: { error: { type: 'validation_error', message: 'invalid', request_id: 'req_v' }, fields: { name: ['is required'] } } },
    ]);
    const res = await request(app()).get('/routes');
    expect(res.status).toBe(422);
    // The emulator's x-request-id header wins over the body's request_id (contract transport §5.3).
    expect(res.body.error).toMatchObject({ type: 'validation_error', request_id: expect.stringMatching(/^req_/), fields: { name: ['is required'] } });
  });

  it('429 → 503 with Retry-After', async () => {
    emulator.script('GET', '/v1/routes', [{ status: 429, headers: { 'Retry-After': '12' }, body: { error: { type: 'rate_limited', message: 'slow' } } }]);
    const res = await request(app()).get('/routes');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('12');
  });

  it('timeout → 504', async () => {
    emulator.script('GET', '/v1/routes', [{ delayMs: 2000 }]);
    try {
      const res = await request(appWith({ client, requestOptions: () => ({ timeout: 100 }) })).get('/routes');
      expect(res.status).toBe(504);
      expect(res.body.error.type).toBe('knoxcall_timeout');
    } finally {
      emulator.script('GET', '/v1/routes', []);
    }
  });

  it('connection failure → 502', async () => {
    const server = express().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const deadUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));
    const unreachable = new KnoxCall({ baseUrl: deadUrl, apiKey: emulator.credentials.apiKey, retry: { maxAttempts: 1 } });
    const res = await request(appWith({ client: unreachable })).get('/routes');
    expect(res.status).toBe(502);
    expect(res.body.error.type).toBe('knoxcall_unreachable');
    await unreachable.close();
  });

  it('passes errors that are not KnoxCall errors on', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error('not ours');
    });
    app.use(knoxErrorHandler());
    app.use((_err: unknown, _req: Request, res: express.Response, _next: express.NextFunction) => {
      res.status(418).send('next handler');
    });
    const res = await request(app).get('/boom');
    expect(res.status).toBe(418);
  });
});
