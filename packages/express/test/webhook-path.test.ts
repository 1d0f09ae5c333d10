// `path` (issue: a global app.use(knoxWebhook()) answered every other request 400): mounted
// globally with `path`, only a POST to that exact path is verified; other routes and methods
// pass through untouched. Also the `app.use('/webhooks/knoxcall', knoxWebhook())` form, and
// today's behaviour without `path`. Real Express 4 and 5 apps over HTTP (supertest).
import { signWebhook } from '@knoxcall/testing/signer';
import express5, { type Express } from 'express';
import express4 from 'express4';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { getKnoxEvent, knoxWebhook } from '../src/index.js';

const SECRET = 'whsec_path_secret';

async function delivery(): Promise<{ body: string; headers: Record<string, string> }> {
  const body = JSON.stringify({ event: 'request.success', timestamp: new Date().toISOString(), data: { n: Math.random() } }, null, 2);
  return { body, headers: { 'Content-Type': 'application/json', ...(await signWebhook({ body, secret: SECRET, format: 'legacy' })) } };
}

async function deliver(app: Express, path: string) {
  const { body, headers } = await delivery();
  return request(app).post(path).set(headers).send(body);
}

/** The routes beside the webhook: a health check and a JSON API route with its own parser. */
function withOtherRoutes(app: Express, express: typeof express5): Express {
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/api/items', express.json(), (req, res) => {
    res.status(201).json({ created: req.body });
  });
  return app;
}

for (const [major, express] of [
  ['express 5', express5],
  ['express 4', express4 as unknown as typeof express5],
] as const) {
  describe(`${major}: app.use(knoxWebhook({ path }))`, () => {
    const received: string[] = [];
    const app = express();
    app.use(knoxWebhook({ path: '/webhooks/knoxcall', secret: SECRET, on: { '*': (event) => void received.push(event.event) } }));
    withOtherRoutes(app, express);
    app.get('/webhooks/knoxcall', (_req, res) => {
      res.json({ probe: 'get' });
    });

    it('verifies POSTs to the path (query string ignored) and rejects bad ones', async () => {
      expect((await deliver(app, '/webhooks/knoxcall')).body).toEqual({ received: true });
      expect((await deliver(app, '/webhooks/knoxcall?attempt=2')).status).toBe(200);
      const unsigned = await request(app).post('/webhooks/knoxcall').set('Content-Type', 'application/json').send('{}');
      expect(unsigned.status).toBe(400);
      expect(received).toEqual(['request.success', 'request.success']);
    });

    it('lets GET /health, a JSON POST route and a GET to the webhook path through untouched', async () => {
      const health = await request(app).get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ ok: true });
      const created = await request(app).post('/api/items').set('Content-Type', 'application/json').send('{"name":"widget"}');
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ created: { name: 'widget' } });
      const probe = await request(app).get('/webhooks/knoxcall');
      expect(probe.body).toEqual({ probe: 'get' });
      // exact match: a longer path is another route
      expect((await request(app).post('/webhooks/knoxcall/extra').set('Content-Type', 'text/plain').send('x')).status).toBe(404);
    });

    it('takes a list of paths', async () => {
      const multi = express();
      multi.use(knoxWebhook({ path: ['/hooks/a', '/hooks/b'], secret: SECRET, on: { '*': () => {} } }));
      withOtherRoutes(multi, express);
      expect((await deliver(multi, '/hooks/a')).status).toBe(200);
      expect((await deliver(multi, '/hooks/b')).status).toBe(200);
      expect((await request(multi).get('/health')).status).toBe(200);
    });

    it('refuses a path that is not absolute, at creation', () => {
      for (const path of ['webhooks', '', [], [42]] as never[]) {
        expect(() => knoxWebhook({ path, secret: SECRET })).toThrow('`path` must be an absolute path');
      }
    });
  });

  describe(`${major}: app.use('/webhooks/knoxcall', knoxWebhook())`, () => {
    const app = express();
    app.use('/webhooks/knoxcall', knoxWebhook({ secret: SECRET }), (req, res) => {
      res.json({ event: getKnoxEvent(req).event });
    });
    withOtherRoutes(app, express);

    it('verifies deliveries there, and other routes answer normally', async () => {
      expect((await deliver(app, '/webhooks/knoxcall')).body).toEqual({ event: 'request.success' });
      expect((await request(app).get('/health')).body).toEqual({ ok: true });
      expect((await request(app).post('/api/items').set('Content-Type', 'application/json').send('{"a":1}')).status).toBe(201);
    });
  });

  describe(`${major}: app.use(knoxWebhook()) without path (unchanged: verifies everything it is mounted on)`, () => {
    const app = express();
    app.use(knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
    withOtherRoutes(app, express);
    it('verifies a delivery on any path, and answers other requests as deliveries (400 missing_header)', async () => {
      expect((await deliver(app, '/anything')).status).toBe(200);
      const health = await request(app).get('/health');
      expect(health.status).toBe(400);
      expect(health.body.error.type).toBe('missing_header');
    });
  });
}
