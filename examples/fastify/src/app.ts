import { KnoxCall, type KnoxCallOptions, type KnoxWebhookEvent, type WebhookHmacFormat } from '@knoxcall/core';
import { MemoryReplayStore } from '@knoxcall/core/webhooks';
import { knoxCall, knoxErrorHandler, knoxWebhook } from '@knoxcall/fastify';
import Fastify, { type FastifyInstance } from 'fastify';

export interface ExampleAppOptions {
  /** The app's KnoxCall client (one per process); `request.knox` is a view of it per request. */
  client: KnoxCall;
  /** The KnoxCall route `GET /api/hello` calls. */
  route: string;
  /** The webhook's `secret_key` and `hmac_format` as KnoxCall shows them. */
  webhook: { secret: string | string[]; format?: WebhookHmacFormat; headerName?: string };
  /** Called with every verified webhook event (the demo and the tests watch deliveries with it). */
  onEvent?: (event: KnoxWebhookEvent) => void;
  /** Fastify's request logging; off by default. */
  logger?: boolean;
}

/** Event types and times of the last deliveries, for `GET /webhooks/recent`. */
const RECENT_LIMIT = 20;

export async function createApp(options: ExampleAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  const recent: { event: string; received_at: string }[] = [];

  // KnoxCall errors thrown in routes become proper answers (a rejected credential is a 502,
  // not a 401 to your caller; a KnoxCall timeout a 504, …); other errors go to Fastify's.
  app.setErrorHandler(knoxErrorHandler());

  // 1. `app.knox` is the client, `request.knox` a view of it per request that forwards the
  //    caller's traceparent / x-request-id (and is aborted if the caller goes away).
  await app.register(knoxCall, { client: options.client });

  // 2. Webhooks: an encapsulated route whose JSON parser keeps the raw bytes KnoxCall signed.
  //    The app's JSON parsing everywhere else (prototype-poisoning protection included) is
  //    untouched. A replay store answers re-deliveries as duplicates.
  await app.register(knoxWebhook, {
    path: '/webhooks/knoxcall',
    secret: options.webhook.secret,
    format: options.webhook.format ?? 'legacy',
    ...(options.webhook.headerName !== undefined ? { headerName: options.webhook.headerName } : {}),
    replayStore: new MemoryReplayStore(),
    handler: async (request) => {
      recent.unshift({ event: request.knoxEvent.event, received_at: new Date().toISOString() });
      recent.length = Math.min(recent.length, RECENT_LIMIT);
      options.onEvent?.(request.knoxEvent);
      return { received: true };
    },
  });
  app.get('/webhooks/recent', async () => ({ events: recent }));

  // Calls the upstream through the KnoxCall route: KnoxCall injects the upstream's API key,
  // so this process never holds it.
  app.get('/api/hello', async (request, reply) => {
    const upstream = await request.knox.call(options.route, { path: '/hello' });
    reply.code(upstream.ok ? 200 : 502);
    return { route: options.route, upstream_status: upstream.status, upstream: await upstream.json().catch(() => null) };
  });

  app.get('/health', async () => ({ ok: true }));
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
  const app = await createApp({ ...appOptions, client });
  await app.listen({ port, host });
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://${host}:${bound}`,
    async close() {
      await app.close();
      await client.close();
    },
  };
}
