import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// This folder is not a workspace package (each example stays copyable on its own, and this
// file is only for the examples' own tests), so it has no node_modules to resolve
// `@knoxcall/*` from. It reaches the same source files the examples' `knoxcall-source`
// condition resolves those packages to, so every test still loads one copy of each module.
import type { KnoxCallOptions, KnoxWebhookEvent, WebhookHmacFormat } from '../../packages/core/src/index.js';
import { type Emulator, deliverWebhook, startEmulator } from '../../packages/testing/src/index.js';

/** What every example's `startServer` accepts (each example declares its own, wider type). */
export interface ExampleStartOptions {
  knoxcall: KnoxCallOptions;
  route: string;
  webhook: { secret: string; format: WebhookHmacFormat };
  onEvent?: (event: KnoxWebhookEvent) => void;
}

/** What each example's src/local-knoxcall.ts returns (a deliberate copy per example). */
export interface ExampleLocalKnoxCall {
  knoxcall: KnoxCallOptions;
  route: string;
  webhookSecret: string;
  emulator: Pick<Emulator, 'idle'>;
  subscribe(appUrl: string): Promise<void>;
  close(): Promise<void>;
}

/** The framework-specific parts of one example that the shared cases drive. */
export interface ExampleUnderTest {
  /** The webhook format this example's deliveries are signed in (each example takes another one). */
  format: WebhookHmacFormat;
  startServer(options: ExampleStartOptions): Promise<{ url: string; close(): Promise<void> }>;
  configFromEnv(env: NodeJS.ProcessEnv): unknown;
  hasKnoxCallCredentials(env: NodeJS.ProcessEnv): boolean;
  startLocalKnoxCall(route: string, webhook: { format: WebhookHmacFormat }): Promise<ExampleLocalKnoxCall>;
}

/**
 * The behaviour every example promises in its README, as a user runs it: the app on a real
 * socket, KnoxCall emulated, an upstream whose API key only the emulator holds.
 */
export function describeExample(example: ExampleUnderTest): void {
  const { format: FORMAT, startServer, configFromEnv, hasKnoxCallCredentials, startLocalKnoxCall } = example;
  const UPSTREAM_KEY = `sk_test_${randomBytes(8).toString('hex')}`;
  const WEBHOOK_SECRET = `whsec_test_${randomBytes(8).toString('hex')}`;

  let upstream: Server;
  const upstreamSaw: { authorization: string | undefined; requestId: string | undefined }[] = [];
  let emulator: Emulator;
  let app: Awaited<ReturnType<ExampleUnderTest['startServer']>>;
  const events: KnoxWebhookEvent[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      upstreamSaw.push({ authorization: req.headers.authorization, requestId: req.headers['x-request-id'] as string | undefined });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ authorized: req.headers.authorization === `Bearer ${UPSTREAM_KEY}` }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    emulator = await startEmulator({
      seed: {
        secrets: [{ name: 'upstream_key', value: UPSTREAM_KEY }],
        routes: [
          {
            name: 'Upstream',
            slug: 'upstream',
            target_base_url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
            inject_headers_json: { Authorization: 'Bearer {{secret:upstream_key}}' },
          },
        ],
      },
    });
    app = await startServer({
      knoxcall: {
        baseUrl: emulator.url,
        proxyBaseUrl: emulator.proxyUrl,
        clientId: emulator.credentials.clientId,
        clientSecret: emulator.credentials.clientSecret,
      },
      route: 'upstream',
      webhook: { secret: WEBHOOK_SECRET, format: FORMAT },
      onEvent: (event) => events.push(event),
    });
  });

  afterAll(async () => {
    await app?.close();
    await emulator?.close();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  describe('GET /api/hello', () => {
    it('calls the upstream through the KnoxCall route: the key is injected, the caller request id forwarded', async () => {
      const res = await fetch(`${app.url}/api/hello`, { headers: { 'x-request-id': 'req-hello-1' } });
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(JSON.parse(text)).toEqual({ route: 'upstream', upstream_status: 200, upstream: { authorized: true } });
      expect(upstreamSaw.find((r) => r.requestId === 'req-hello-1')?.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
      expect(text).not.toContain(UPSTREAM_KEY);
    });

    it('answers 502 (not 401) when KnoxCall rejects the app credential', async () => {
      const broken = await startServer({
        knoxcall: {
          baseUrl: emulator.url,
          proxyBaseUrl: emulator.proxyUrl,
          clientId: emulator.credentials.clientId,
          clientSecret: 'wrong',
          retry: { maxAttempts: 1 },
        },
        route: 'upstream',
        webhook: { secret: WEBHOOK_SECRET, format: FORMAT },
      });
      try {
        const res = await fetch(`${broken.url}/api/hello`);
        expect(res.status).toBe(502);
        expect(((await res.json()) as { error: { type: string } }).error.type).toBe('knoxcall_credentials_rejected');
      } finally {
        await broken.close();
      }
    });
  });

  describe('POST /webhooks/knoxcall', () => {
    const event = {
      event: 'request.success',
      data: {
        route_id: 'r1',
        route_name: 'upstream',
        environment: null,
        request: { method: 'GET', path: '/', ip: null },
        response: { status: 200, latency_ms: 3 },
      },
    };

    it('accepts a signed delivery in the configured format and hands the typed event on', async () => {
      const before = events.length;
      const res = await deliverWebhook(`${app.url}/webhooks/knoxcall`, { event, secret: WEBHOOK_SECRET, format: FORMAT });
      expect(res.status).toBe(200);
      expect(events.slice(before).map((e) => e.event)).toEqual(['request.success']);
      const recent = (await (await fetch(`${app.url}/webhooks/recent`)).json()) as { events: { event: string }[] };
      expect(recent.events[0]?.event).toBe('request.success');
    });

    it('refuses a tampered delivery and one signed with another secret with 401, without running the handler', async () => {
      const before = events.length;
      const tampered = await deliverWebhook(`${app.url}/webhooks/knoxcall`, { event, secret: WEBHOOK_SECRET, format: FORMAT, tamper: true });
      const wrongSecret = await deliverWebhook(`${app.url}/webhooks/knoxcall`, { event, secret: 'whsec_someone_else', format: FORMAT });
      expect([tampered.status, wrongSecret.status]).toEqual([401, 401]);
      expect(events.length).toBe(before);
    });
  });

  describe('configuration', () => {
    it('reads the environment and names what is missing', () => {
      expect(() => configFromEnv({})).toThrow(/KNOXCALL_WEBHOOK_SECRET/);
      expect(() => configFromEnv({ KNOXCALL_WEBHOOK_SECRET: 's', KNOXCALL_WEBHOOK_FORMAT: 'md5' })).toThrow(/KNOXCALL_WEBHOOK_FORMAT/);
      expect(() => configFromEnv({ KNOXCALL_WEBHOOK_SECRET: 's', KNOXCALL_WEBHOOK_FORMAT: 'custom' })).toThrow(/KNOXCALL_WEBHOOK_HEADER/);
      expect(() => configFromEnv({ KNOXCALL_WEBHOOK_SECRET: 's', PORT: 'eighty' })).toThrow(/PORT/);
      expect(configFromEnv({ KNOXCALL_WEBHOOK_SECRET: 's', KNOXCALL_WEBHOOK_FORMAT: 'slack', KNOXCALL_ROUTE: 'stripe', PORT: '0' })).toMatchObject({
        port: 0,
        host: '127.0.0.1',
        route: 'stripe',
        webhook: { secret: 's', format: 'slack' },
      });
      expect(hasKnoxCallCredentials({})).toBe(false);
      expect(hasKnoxCallCredentials({ KNOXCALL_CLIENT_ID: 'id' })).toBe(false);
      expect(hasKnoxCallCredentials({ KNOXCALL_CLIENT_ID: 'id', KNOXCALL_CLIENT_SECRET: 's' })).toBe(true);
      expect(hasKnoxCallCredentials({ KNOXCALL_API_KEY: 'kc_x' })).toBe(true);
    });

    it('runs against a local emulator when no credentials are configured (what `pnpm start` does)', async () => {
      const local = await startLocalKnoxCall('hello', { format: 'github' });
      const received: KnoxWebhookEvent[] = [];
      const running = await startServer({
        knoxcall: local.knoxcall,
        route: local.route,
        webhook: { secret: local.webhookSecret, format: 'github' },
        onEvent: (e) => received.push(e),
      });
      try {
        await local.subscribe(running.url);
        const res = await fetch(`${running.url}/api/hello`);
        expect(await res.json()).toMatchObject({ upstream_status: 200, upstream: { authorized: true } });
        await local.emulator.idle();
        expect(received.map((e) => e.event)).toEqual(['request.completed']);
      } finally {
        await running.close();
        await local.close();
      }
    });
  });
}
