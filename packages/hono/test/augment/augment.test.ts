// Opting into the global augmentation types c.var.knox and c.var.knoxEvent on every Hono
// context. This directory has its own tsconfig (run by `pnpm typecheck`), because an
// augmentation applies to the whole program it is part of.
import '../../src/augment.js';
import { KnoxCall } from '@knoxcall/core';
import type { KnoxWebhookEvent } from '@knoxcall/core/webhooks';
import { signWebhook } from '@knoxcall/testing/signer';
import { Hono } from 'hono';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { knoxCall, knoxWebhook } from '../../src/index.js';

describe("import '@knoxcall/hono/augment'", () => {
  it('types c.var.knox and c.var.knoxEvent in an app declared without Variables', async () => {
    const client = new KnoxCall({ apiKey: 'kc_unused', baseUrl: 'http://127.0.0.1:9' });
    const app = new Hono();
    app.use(knoxCall({ client }));
    const handler = (c: import('hono').Context) => {
      expectTypeOf(c.var.knox).toEqualTypeOf<KnoxCall>();
      expectTypeOf(c.var.knoxEvent).toEqualTypeOf<KnoxWebhookEvent>();
      return c.json({ event: c.var.knoxEvent.event, view: c.var.knox !== client });
    };
    app.post('/hook', knoxWebhook({ secret: 'whsec_a' }), handler);
    const body = JSON.stringify({ event: 'webhook.test', timestamp: new Date().toISOString(), data: {} }, null, 2);
    const headers = await signWebhook({ body, secret: 'whsec_a', format: 'legacy' });
    const res = await app.request('http://app.test/hook', { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
    expect(await res.json()).toEqual({ event: 'webhook.test', view: true });
    await client.close();
  });
});
