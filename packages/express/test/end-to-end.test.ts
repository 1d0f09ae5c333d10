import type { AddressInfo } from 'node:net';
import { KnoxCall, type KnoxWebhookEvent } from '@knoxcall/core';
import { MemoryReplayStore } from '@knoxcall/core/webhooks';
import { type Emulator, startEmulator } from '@knoxcall/testing';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKnox, knoxCall, knoxErrorHandler, knoxWebhook } from '../src/index.js';

// One Express app is both the upstream of a KnoxCall route and the receiver of that
// route's webhook events: a data-plane call through req.knox makes the emulator sign and
// deliver real request.* events (stripe format), which knoxWebhook verifies.
describe('end to end: req.knox.call() through the emulator, its events back through knoxWebhook', () => {
  const SECRET = 'whsec_end_to_end';
  const events: KnoxWebhookEvent[] = [];
  let emulator: Emulator;
  let client: KnoxCall;
  const app = express();
  let server: ReturnType<ReturnType<typeof express>['listen']>;

  beforeAll(async () => {
    app.post(
      '/webhooks/knoxcall',
      knoxWebhook({
        secret: SECRET,
        format: 'stripe',
        replayStore: new MemoryReplayStore(),
        on: { '*': (event) => void events.push(event) },
      }),
    );
    app.get('/upstream/orders', (req, res) => {
      res.json({ orders: [], endUser: req.get('x-end-user') ?? null });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    emulator = await startEmulator({
      seed: {
        routes: [{ name: 'orders', slug: 'orders', target_base_url: appUrl }],
        webhooks: [
          {
            name: 'orders-events',
            url: `${appUrl}/webhooks/knoxcall`,
            secret_key: SECRET,
            hmac_format: 'stripe',
            event_types: ['request.received', 'request.success', 'request.completed'],
          },
        ],
      },
    });
    client = new KnoxCall({ baseUrl: emulator.url, proxyBaseUrl: emulator.proxyUrl, apiKey: emulator.credentials.apiKey });
    // Mounted now that the client exists (the emulator's seed needed the app's URL first).
    app.use(knoxCall({ client, requestOptions: () => ({ headers: { 'x-end-user': 'u-7' } }) }));
    app.get('/orders', async (req, res) => {
      const upstream = await getKnox(req).call('orders', { path: '/upstream/orders' });
      res.status(upstream.status).json(await upstream.json());
    });
    app.use(knoxErrorHandler());
  });

  afterAll(async () => {
    await client?.close();
    await emulator?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('delivers verified, typed events for the call', async () => {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ orders: [], endUser: 'u-7' });
    await emulator.idle();
    expect(events.map((e) => e.event).sort()).toEqual(['request.completed', 'request.received', 'request.success']);
    const success = events.find((e) => e.event === 'request.success') as KnoxWebhookEvent & { data: { route_name: string; response: { status: number } } };
    expect(success.data.route_name).toBe('orders');
    expect(success.data.response.status).toBe(200);
  });
});
