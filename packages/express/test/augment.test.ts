// Opting into the global augmentation types req.knox and req.knoxEvent; this file only
// compiles (typecheck) because of it, and the runtime checks prove both are set.
import '../src/augment.js';
import { KnoxCall, isKnoxCall } from '@knoxcall/core';
import { signWebhook } from '@knoxcall/testing/signer';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { knoxCall, knoxWebhook } from '../src/index.js';

describe("import '@knoxcall/express/augment'", () => {
  it('types req.knox and req.knoxEvent without casts', async () => {
    const client = new KnoxCall({ apiKey: 'kc_unused', baseUrl: 'http://127.0.0.1:9' });
    const app = express();
    app.use(knoxCall({ client }));
    app.post('/hook', knoxWebhook({ secret: 'whsec_a' }), (req, res) => {
      const view: KnoxCall = req.knox;
      res.json({ event: req.knoxEvent?.event, isView: isKnoxCall(view) && view !== client });
    });
    const body = JSON.stringify({ event: 'webhook.test', timestamp: new Date().toISOString(), data: {} }, null, 2);
    const headers = await signWebhook({ body, secret: 'whsec_a', format: 'legacy' });
    const res = await request(app).post('/hook').set('Content-Type', 'application/json').set(headers).send(body);
    expect(res.body).toEqual({ event: 'webhook.test', isView: true });
    await client.close();
  });
});
