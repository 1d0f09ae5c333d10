// `path` (issue: a global app.use(knoxWebhook()) answered every other request 400): mounted
// globally with `path`, only a POST to that exact path is verified; other routes and methods
// pass through untouched. Also the `app.use('/webhooks/knoxcall', knoxWebhook())` form, and
// today's behaviour without `path`. Real Hono apps, driven in-process with app.request().
import { signWebhook } from '@knoxcall/testing/signer';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { knoxOnError, knoxWebhook } from '../src/index.js';

const SECRET = 'whsec_path_secret';
const ORIGIN = 'http://app.test';

async function deliver(app: Hono, path: string): Promise<Response> {
  const body = JSON.stringify({ event: 'request.success', timestamp: new Date().toISOString(), data: { n: Math.random() } }, null, 2);
  const headers = { 'content-type': 'application/json', ...(await signWebhook({ body, secret: SECRET, format: 'legacy' })) };
  return app.request(ORIGIN + path, { method: 'POST', body, headers });
}

/** The routes beside the webhook: a health check and a JSON API route. */
function withOtherRoutes(app: Hono): Hono {
  app.get('/health', (c) => c.json({ ok: true }));
  app.post('/api/items', async (c) => c.json({ created: await c.req.json() }, 201));
  return app;
}

const postJson = (app: Hono, path: string, json: string) =>
  app.request(ORIGIN + path, { method: 'POST', body: json, headers: { 'content-type': 'application/json' } });

describe('app.use(knoxWebhook({ path }))', () => {
  const received: string[] = [];
  const app = new Hono();
  app.onError(knoxOnError());
  app.use(knoxWebhook({ path: '/webhooks/knoxcall', secret: SECRET, on: { '*': (event) => void received.push(event.event) } }));
  withOtherRoutes(app);
  app.get('/webhooks/knoxcall', (c) => c.json({ probe: 'get' }));

  it('verifies POSTs to the path (query string ignored) and rejects bad ones', async () => {
    expect(await (await deliver(app, '/webhooks/knoxcall')).json()).toEqual({ received: true });
    expect((await deliver(app, '/webhooks/knoxcall?attempt=2')).status).toBe(200);
    expect((await postJson(app, '/webhooks/knoxcall', '{}')).status).toBe(400);
    expect(received).toEqual(['request.success', 'request.success']);
  });

  it('lets GET /health, a JSON POST route and a GET to the webhook path through untouched', async () => {
    const health = await app.request(`${ORIGIN}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const created = await postJson(app, '/api/items', '{"name":"widget"}');
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ created: { name: 'widget' } });
    expect(await (await app.request(`${ORIGIN}/webhooks/knoxcall`)).json()).toEqual({ probe: 'get' });
    expect((await postJson(app, '/webhooks/knoxcall/extra', '{}')).status).toBe(404);
  });

  it('takes a list of paths', async () => {
    const multi = new Hono();
    multi.use(knoxWebhook({ path: ['/hooks/a', '/hooks/b'], secret: SECRET, on: { '*': () => {} } }));
    withOtherRoutes(multi);
    expect((await deliver(multi, '/hooks/a')).status).toBe(200);
    expect((await deliver(multi, '/hooks/b')).status).toBe(200);
    expect((await multi.request(`${ORIGIN}/health`)).status).toBe(200);
  });

  it('refuses a path that is not absolute, at creation', () => {
    for (const path of ['webhooks', '', [], [42]] as never[]) {
      expect(() => knoxWebhook({ path, secret: SECRET })).toThrow('`path` must be an absolute path');
    }
  });
});

describe("app.use('/webhooks/knoxcall', knoxWebhook())", () => {
  const app = new Hono();
  app.onError(knoxOnError());
  app.use('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
  withOtherRoutes(app);
  it('verifies deliveries there, and other routes answer normally', async () => {
    expect(await (await deliver(app, '/webhooks/knoxcall')).json()).toEqual({ received: true });
    expect(await (await app.request(`${ORIGIN}/health`)).json()).toEqual({ ok: true });
    expect((await postJson(app, '/api/items', '{"a":1}')).status).toBe(201);
  });
});

describe('app.use(knoxWebhook()) without path (unchanged: verifies everything it is mounted on)', () => {
  const app = new Hono();
  app.onError(knoxOnError());
  app.use(knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
  withOtherRoutes(app);
  it('verifies a delivery on any path, and answers other requests as deliveries (400 missing_header)', async () => {
    expect((await deliver(app, '/anything')).status).toBe(200);
    const health = await app.request(`${ORIGIN}/health`);
    expect(health.status).toBe(400);
    expect(((await health.json()) as { error: { type: string } }).error.type).toBe('missing_header');
  });
});
