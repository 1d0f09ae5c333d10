/**
 * The Hono app. Edge-safe: it imports no `node:` module, so the same `createApp` runs on
 * Cloudflare Workers, Bun and Deno (see README); src/node-server.ts serves it on Node.
 */
import type { KnoxCall, KnoxWebhookEvent, WebhookHmacFormat } from '@knoxcall/core';
import { MemoryReplayStore } from '@knoxcall/core/webhooks';
import { type KnoxVariables, knoxCall, knoxOnError, knoxWebhook } from '@knoxcall/hono';
import { Hono } from 'hono';

export interface ExampleAppOptions {
  /** The app's KnoxCall client (one per isolate / process); `c.var.knox` is a view of it per request. */
  client: KnoxCall;
  /** The KnoxCall route `GET /api/hello` calls. */
  route: string;
  /** The webhook's `secret_key` and `hmac_format` as KnoxCall shows them. */
  webhook: { secret: string | string[]; format?: WebhookHmacFormat; headerName?: string };
  /** Called with every verified webhook event (the demo and the tests watch deliveries with it). */
  onEvent?: (event: KnoxWebhookEvent) => void;
}

/** Event types and times of the last deliveries, for `GET /webhooks/recent`. */
const RECENT_LIMIT = 20;

export function createApp(options: ExampleAppOptions): Hono<{ Variables: KnoxVariables }> {
  const app = new Hono<{ Variables: KnoxVariables }>();
  const recent: { event: string; received_at: string }[] = [];

  // KnoxCall errors thrown in handlers become proper answers (a rejected credential is a 502,
  // not a 401 to your caller; a KnoxCall timeout a 504, …), rejected deliveries their 4xx.
  app.onError(knoxOnError());

  // 1. Webhooks: knoxWebhook reads the body with c.req.arrayBuffer() (Hono caches it, so the
  //    handler could still read it) and verifies the exact bytes with Web Crypto.
  app.post(
    '/webhooks/knoxcall',
    knoxWebhook({
      secret: options.webhook.secret, // on Workers: (c) => c.env.KNOXCALL_WEBHOOK_SECRET
      format: options.webhook.format ?? 'legacy',
      ...(options.webhook.headerName !== undefined ? { headerName: options.webhook.headerName } : {}),
      replayStore: new MemoryReplayStore(),
    }),
    (c) => {
      const event = c.var.knoxEvent;
      recent.unshift({ event: event.event, received_at: new Date().toISOString() });
      recent.length = Math.min(recent.length, RECENT_LIMIT);
      options.onEvent?.(event);
      return c.json({ received: true });
    },
  );
  app.get('/webhooks/recent', (c) => c.json({ events: recent }));

  // 2. A request-scoped KnoxCall view on the API routes: it forwards the caller's
  //    traceparent / x-request-id and is aborted if the caller goes away.
  app.use('/api/*', knoxCall({ client: options.client }));

  // Calls the upstream through the KnoxCall route: KnoxCall injects the upstream's API key,
  // so this app never holds it.
  app.get('/api/hello', async (c) => {
    const upstream = await c.var.knox.call(options.route, { path: '/hello' });
    const body: unknown = await upstream.json().catch(() => null);
    return c.json({ route: options.route, upstream_status: upstream.status, upstream: body }, upstream.ok ? 200 : 502);
  });

  app.get('/health', (c) => c.json({ ok: true }));
  return app;
}
