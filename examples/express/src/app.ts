import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KnoxCall, type KnoxCallOptions, type KnoxWebhookEvent, type WebhookHmacFormat } from '@knoxcall/core';
import { MemoryReplayStore } from '@knoxcall/core/webhooks';
import { getKnox, getKnoxEvent, knoxCall, knoxErrorHandler, knoxWebhook } from '@knoxcall/express';
import express, { type Express } from 'express';
import Stripe from 'stripe';

export interface ExampleAppOptions {
  /** The app's KnoxCall client (one per process); `req.knox` is a view of it per request. */
  client: KnoxCall;
  /** The KnoxCall route `GET /api/hello` calls. */
  route: string;
  /** The webhook's `secret_key` and `hmac_format` as KnoxCall shows them. */
  webhook: { secret: string | string[]; format?: WebhookHmacFormat; headerName?: string };
  /** Called with every verified webhook event (the demo and the tests watch deliveries with it). */
  onEvent?: (event: KnoxWebhookEvent) => void;
  /** Where the Stripe API is (default: the real one); the demo points it at a local fake. */
  stripe?: { host: string; port: number; protocol?: 'http' | 'https' };
}

/** Event types and times of the last deliveries, for `GET /webhooks/recent`. */
const RECENT_LIMIT = 20;

export function createApp(options: ExampleAppOptions): Express {
  const app = express();
  const recent: { event: string; received_at: string }[] = [];

  // 1. Webhooks, mounted BEFORE any body parser: knoxWebhook verifies the exact bytes
  //    KnoxCall signed (it reads the stream itself). A replay store answers re-deliveries
  //    of an already processed event as duplicates.
  app.post(
    '/webhooks/knoxcall',
    knoxWebhook({
      secret: options.webhook.secret,
      format: options.webhook.format ?? 'legacy',
      ...(options.webhook.headerName !== undefined ? { headerName: options.webhook.headerName } : {}),
      replayStore: new MemoryReplayStore(),
    }),
    (req, res) => {
      const event = getKnoxEvent(req);
      recent.unshift({ event: event.event, received_at: new Date().toISOString() });
      recent.length = Math.min(recent.length, RECENT_LIMIT);
      options.onEvent?.(event);
      res.json({ received: true });
    },
  );
  app.get('/webhooks/recent', (_req, res) => {
    res.json({ events: recent });
  });

  // 2. Everything else may parse JSON as usual.
  app.use(express.json());

  // 3. A request-scoped KnoxCall view on every request: it forwards the caller's
  //    traceparent / x-request-id and is aborted if the caller goes away.
  app.use(knoxCall({ client: options.client }));

  // Calls the upstream through the KnoxCall route: KnoxCall injects the upstream's API key,
  // so this process never holds it.
  app.get('/api/hello', async (req, res) => {
    const upstream = await getKnox(req).call(options.route, { path: '/hello' });
    res.status(upstream.ok ? 200 : 502).json({
      route: options.route,
      upstream_status: upstream.status,
      upstream: await upstream.json().catch(() => null),
    });
  });

  // The Stripe SDK as usual, with the request's wrap.fetch() as its HTTP client: requests an
  // intercept-enabled KnoxCall route covers go through that route, which injects the Stripe
  // key. The key this process hands the SDK is a placeholder; the caller's x-request-id is
  // forwarded. Making the fetch per request costs no I/O (the route manifest is shared).
  app.get('/api/charges', async (req, res) => {
    const wrapped = getKnox(req).wrap.fetch({ routes: 'auto' });
    await wrapped.ready;
    const stripe = new Stripe('sk_placeholder_knoxcall_injects_the_key', {
      httpClient: Stripe.createFetchHttpClient(wrapped),
      maxNetworkRetries: 0,
      ...(options.stripe ?? {}),
    });
    const charges = await stripe.charges.list({ limit: 3 });
    res.json({ charges: charges.data.map((c) => ({ id: c.id, amount: c.amount })) });
  });

  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  // 4. KnoxCall errors thrown in handlers become proper answers (a rejected credential is a
  //    502, not a 401 to your caller; a KnoxCall timeout a 504, …).
  app.use(knoxErrorHandler());
  return app;
}

export interface StartOptions extends Omit<ExampleAppOptions, 'client'> {
  /** Options of the app's KnoxCall client; empty = read from KNOXCALL_* environment variables. */
  knoxcall?: KnoxCallOptions;
  port?: number;
  host?: string;
}

export interface RunningExample {
  url: string;
  close(): Promise<void>;
}

/** Builds the client and the app and listens (port 0 = a free port); `close()` stops both. */
export async function startServer(options: StartOptions): Promise<RunningExample> {
  const { knoxcall, port = 0, host = '127.0.0.1', ...appOptions } = options;
  const client = new KnoxCall(knoxcall);
  const app = createApp({ ...appOptions, client });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await client.close();
    },
  };
}
