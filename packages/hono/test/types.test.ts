// Typed variables WITHOUT the global augmentation (this file's tsconfig never loads
// src/augment.ts; test/augment/ has its own). The type assertions are checked by
// `pnpm typecheck`; the requests prove the same values are there at run time.
import type { KnoxCall } from '@knoxcall/core';
import type { KnoxWebhookEvent } from '@knoxcall/core/webhooks';
import { signWebhook } from '@knoxcall/testing/signer';
import { Hono } from 'hono';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type KnoxVariables, getKnox, getKnoxEvent, knoxCall, knoxWebhook } from '../src/index.js';

describe('typed variables without global augmentation', () => {
  it('a route that mounts knoxWebhook() gets c.var.knoxEvent typed from the middleware', async () => {
    // Strict Variables of the app's own: only what a route's middleware adds is typed on top.
    const app = new Hono<{ Variables: { tenant: string } }>();
    app.post('/hook', knoxWebhook({ secret: 'whsec_types' }), (c) => {
      expectTypeOf(c.var.knoxEvent).toEqualTypeOf<KnoxWebhookEvent>();
      expectTypeOf(c.get('knoxEvent')).toEqualTypeOf<KnoxWebhookEvent>();
      expectTypeOf(getKnoxEvent(c)).toEqualTypeOf<KnoxWebhookEvent>();
      return c.json({ event: c.var.knoxEvent.event, same: c.var.knoxEvent === getKnoxEvent(c) });
    });
    app.get('/plain', (c) => {
      // @ts-expect-error — nothing declares knoxEvent on a route without the middleware (and no augmentation is loaded)
      const missing: unknown = c.var.knoxEvent;
      return c.json({ missing: missing === undefined });
    });
    const body = JSON.stringify({ event: 'webhook.test', timestamp: new Date().toISOString(), data: {} }, null, 2);
    const headers = await signWebhook({ body, secret: 'whsec_types', format: 'legacy' });
    const res = await app.request('http://app.test/hook', { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
    expect(await res.json()).toEqual({ event: 'webhook.test', same: true });
    expect(await (await app.request('http://app.test/plain')).json()).toEqual({ missing: true });
  });

  it('an app typed with KnoxVariables gets c.var.knox typed in every route', async () => {
    const { KnoxCall: Client } = await import('@knoxcall/core');
    const client = new Client({ apiKey: 'kc_unused', baseUrl: 'http://127.0.0.1:9' });
    const app = new Hono<{ Variables: KnoxVariables }>();
    app.use(knoxCall({ client }));
    app.get('/x', (c) => {
      expectTypeOf(c.var.knox).toEqualTypeOf<KnoxCall>();
      expectTypeOf(getKnox(c)).toEqualTypeOf<KnoxCall>();
      return c.json({ view: c.var.knox !== client && c.var.knox === getKnox(c) });
    });
    expect(await (await app.request('http://app.test/x')).json()).toEqual({ view: true });

    // A route with knoxCall() in its own chain gets c.var.knox typed from the middleware.
    const plain = new Hono<{ Variables: { tenant: string } }>();
    plain.get('/y', knoxCall({ client }), (c) => {
      expectTypeOf(c.var.knox).toEqualTypeOf<KnoxCall>();
      return c.json({ view: c.var.knox !== client });
    });
    expect(await (await plain.request('http://app.test/y')).json()).toEqual({ view: true });
    await client.close();
  });
});
