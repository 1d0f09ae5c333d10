import { MemoryReplayStore } from '@knoxcall/core/webhooks';
import { signWebhook } from '@knoxcall/testing/signer';
import express5, { type Express } from 'express';
import express4 from 'express4';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { getKnoxEvent, knoxWebhook, rawBodySaver } from '../src/index.js';

const SECRET = 'whsec_express_secret';

function prettyEnvelope(event = 'request.success'): string {
  return JSON.stringify({ event, timestamp: new Date().toISOString(), data: { route_id: 'r_1', note: 'pretty' } }, null, 2);
}

async function signed(body: string, secret = SECRET): Promise<Record<string, string>> {
  return { 'Content-Type': 'application/json', ...(await signWebhook({ body, secret, format: 'legacy' })) };
}

function post(app: Express, body: string, headers: Record<string, string>, path = '/webhooks/knoxcall') {
  const req = request(app).post(path);
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  return req.send(body);
}

for (const [major, express] of [
  ['express 5', express5],
  ['express 4', express4 as unknown as typeof express5],
] as const) {
  describe(`${major}: raw body sources`, () => {
    it('fails at once with raw_body_unavailable (500) naming the fix when express.json() consumed the body', async () => {
      const app = express();
      app.use(express.json());
      const ran: string[] = [];
      app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, on: { '*': (e) => void ran.push(e.event) } }));
      const body = prettyEnvelope();
      const res = await post(app, body, await signed(body));
      expect(res.status).toBe(500);
      expect(res.body.error.type).toBe('raw_body_unavailable');
      expect(res.body.error.message).toContain('rawBodySaver');
      expect(res.body.error.message).toContain('express.json');
      expect(ran).toEqual([]);
    });

    it('verifies the bytes kept by rawBodySaver behind a global express.json()', async () => {
      const app = express();
      app.use(express.json({ verify: rawBodySaver }));
      app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET }), (req, res) => {
        res.json({ event: getKnoxEvent(req).event, parsedByExpress: req.body.data.note });
      });
      const body = prettyEnvelope('audit.event');
      const res = await post(app, body, await signed(body));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ event: 'audit.event', parsedByExpress: 'pretty' });
    });

    it('reads the stream itself when a urlencoded parser is mounted (it skips JSON bodies)', async () => {
      const app = express();
      app.use(express.urlencoded({ extended: false }));
      app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, on: { 'request.success': () => {} } }));
      app.post('/form', (req, res) => res.json(req.body));
      const body = prettyEnvelope();
      const res = await post(app, body, await signed(body));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true });
      const form = await request(app).post('/form').type('form').send('a=1');
      expect(form.body).toEqual({ a: '1' });
      // A form-encoded "delivery" is refused on its content type, whoever read it.
      const formDelivery = await post(app, 'a=1', { ...(await signed('a=1')), 'Content-Type': 'application/x-www-form-urlencoded' });
      expect(formDelivery.status).toBe(415);
      expect(formDelivery.body.error.type).toBe('unsupported_media_type');
    });

    it('uses the Buffer of an earlier express.raw()', async () => {
      const app = express();
      app.post('/webhooks/knoxcall', express.raw({ type: '*/*' }), knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
      const body = prettyEnvelope();
      const res = await post(app, body, await signed(body));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true });
    });

    it('refuses a body express.text() decoded (a string is not the exact bytes)', async () => {
      const app = express();
      app.post('/webhooks/knoxcall', express.text({ type: '*/*' }), knoxWebhook({ secret: SECRET, on: { '*': () => {} } }));
      const body = prettyEnvelope();
      const res = await post(app, body, await signed(body));
      expect(res.status).toBe(500);
      expect(res.body.error.type).toBe('raw_body_unavailable');
    });

    it('applies maxBodyBytes to kept bytes too', async () => {
      const app = express();
      app.use(express.json({ verify: rawBodySaver }));
      app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, maxBodyBytes: 64, on: { '*': () => {} } }));
      const body = prettyEnvelope();
      const res = await post(app, body, await signed(body));
      expect(res.status).toBe(413);
      expect(res.body.error.type).toBe('payload_too_large');
    });
  });

  describe(`${major}: handlers and answers`, () => {
    it('passes (event, req, res) to typed handlers, and does not answer again when a handler did', async () => {
      const app = express();
      app.post(
        '/webhooks/knoxcall',
        knoxWebhook({
          secret: SECRET,
          on: {
            'request.success': (event, req, res) => {
              // The event is already on the request while handlers run.
              res.status(202).json({ route: event.data.route_id, path: req.path, attached: getKnoxEvent(req) === event });
            },
          },
        }),
      );
      const body = prettyEnvelope();
      const res = await post(app, body, await signed(body));
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ route: 'r_1', path: '/webhooks/knoxcall', attached: true });
    });

    it('resolves a per-request secret from req (async)', async () => {
      const secrets: Record<string, string> = { acme: 'whsec_acme', globex: 'whsec_globex' };
      const app = express();
      app.post('/webhooks/:tenant', knoxWebhook({ secret: async (req) => secrets[String(req.params.tenant)] ?? [], on: { '*': () => {} } }));
      const body = prettyEnvelope();
      expect((await post(app, body, await signed(body, 'whsec_acme'), '/webhooks/acme')).status).toBe(200);
      expect((await post(app, body, await signed(body, 'whsec_acme'), '/webhooks/globex')).status).toBe(401);
      const unknown = await post(app, body, await signed(body, 'whsec_acme'), '/webhooks/initech');
      expect(unknown.status).toBe(500);
      expect(unknown.body.error.type).toBe('invalid_configuration');
    });

    it('lets onError answer failures its own way', async () => {
      const app = express();
      app.post(
        '/webhooks/knoxcall',
        knoxWebhook({
          secret: SECRET,
          onError: (error, _req, res) => {
            res.status(error.code === 'signature_mismatch' ? 404 : 400).send('nope');
          },
        }),
        (_req, res) => res.send('ok'),
      );
      const body = prettyEnvelope();
      const res = await post(app, body, await signed(body, 'whsec_wrong'));
      expect(res.status).toBe(404);
      expect(res.text).toBe('nope');
    });

    it('without `on`, releases the replay claim when the route handler fails so the retry is processed', async () => {
      const replayStore = new MemoryReplayStore();
      let fail = true;
      const app = express();
      app.post('/webhooks/knoxcall', knoxWebhook({ secret: SECRET, replayStore }), (req, res) => {
        if (fail) {
          fail = false;
          res.status(503).json({ retry: true });
          return;
        }
        res.json({ ok: getKnoxEvent(req).event });
      });
      const body = prettyEnvelope();
      const headers = await signed(body);
      expect((await post(app, body, headers)).status).toBe(503);
      const retry = await post(app, body, headers);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ ok: 'request.success' });
      const replay = await post(app, body, headers);
      expect(replay.body).toEqual({ received: true, duplicate: true });
    });

    it('getKnoxEvent(req) names the fix when knoxWebhook did not run', async () => {
      const app = express();
      app.get('/x', (req, res) => {
        try {
          getKnoxEvent(req);
          res.send('unexpected');
        } catch (error) {
          res.status(500).send((error as Error).message);
        }
      });
      const res = await request(app).get('/x');
      expect(res.text).toContain('knoxWebhook');
    });
  });
}
