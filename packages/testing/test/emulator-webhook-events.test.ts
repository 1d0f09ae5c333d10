import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { call, mgmt } from './support/http.js';
import { type Upstream, startUpstream } from './support/upstream.js';

let emu: Emulator;
let api: Upstream;
let receiver: Upstream;

beforeAll(async () => {
  api = await startUpstream((req, res) => {
    res.writeHead(req.url.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  receiver = await startUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"received":true}');
  });
  emu = await startEmulator({
    seed: {
      routes: [
        { name: 'Orders', slug: 'orders', target_base_url: api.url },
        { name: 'Other', slug: 'other', target_base_url: api.url },
      ],
      webhooks: [
        { name: 'all', url: `${receiver.url}/all`, event_types: ['request.completed', 'request.client_error'], secret_key: 'whsec_all' },
        { name: 'stripe-style', url: `${receiver.url}/stripe`, event_types: ['request.success'], secret_key: 'whsec_stripe', hmac_format: 'stripe' },
        { name: 'elsewhere', url: 'https://example.test/hook', event_types: ['request.completed'] },
      ],
    },
  });
});
afterAll(async () => {
  await emu.close();
  await api.close();
  await receiver.close();
});
beforeEach(() => {
  emu.reset();
  receiver.seen.length = 0;
});

const proxy = (route: string, path: string) =>
  call(`${emu.proxyUrl}${path}`, { headers: { 'x-knoxcall-route': route, authorization: `Bearer ${emu.credentials.apiKey}` } });

describe('request.* webhook events from the data plane', () => {
  it('delivers signed events to subscribed loopback webhooks after a proxied call', async () => {
    await proxy('orders', '/orders/1');
    await emu.idle();
    const byPath = (p: string) => receiver.seen.filter((r) => r.url === p);
    expect(byPath('/all')).toHaveLength(1);
    const completed = byPath('/all')[0]!;
    const event = JSON.parse(completed.body);
    expect(event).toMatchObject({
      event: 'request.completed',
      webhook_name: 'all',
      data: { route_name: 'Orders', environment: 'production', request: { method: 'GET', path: '/orders/1' }, response: { status: 200 } },
    });
    expect(completed.headers['x-webhook-signature']).toBe(`sha256=${createHmac('sha256', 'whsec_all').update(completed.body).digest('hex')}`);

    const stripe = byPath('/stripe')[0]!;
    expect(JSON.parse(stripe.body).event).toBe('request.success');
    const sig = String(stripe.headers['stripe-signature']);
    const t = /t=(\d+)/.exec(sig)![1];
    expect(sig).toContain(`v1=${createHmac('sha256', 'whsec_stripe').update(`${t}.${stripe.body}`).digest('hex')}`);

    const logs = await mgmt(emu, `/v1/webhooks/${(await mgmt(emu, '/v1/webhooks')).body.data.find((w: { name: string }) => w.name === 'all').id}/logs`);
    expect(logs.body.data[0]).toMatchObject({ success: true, response_status: 200 });
  });

  it('sends the outcome event matching the upstream status', async () => {
    await proxy('orders', '/missing');
    await emu.idle();
    expect(
      receiver.seen
        .filter((r) => r.url === '/all')
        .map((r) => JSON.parse(r.body).event)
        .sort(),
    ).toEqual(['request.client_error', 'request.completed']);
    expect(receiver.seen.filter((r) => r.url === '/stripe')).toHaveLength(0);
  });

  it('honours route_filter', async () => {
    const hooks = (await mgmt(emu, '/v1/webhooks')).body.data;
    const all = hooks.find((w: { name: string }) => w.name === 'all');
    await mgmt(emu, `/v1/webhooks/${all.id}`, { method: 'PATCH', json: { route_filter: ['orders'] } });
    await proxy('other', '/x');
    await emu.idle();
    expect(receiver.seen.filter((r) => r.url === '/all')).toHaveLength(0);
  });
});

describe('webhook test against a hanging receiver', () => {
  it('gives up after timeout_seconds and reports the failure', async () => {
    const hanging = await startUpstream(() => {
      // never answers
    });
    try {
      const c = await mgmt(emu, '/v1/webhooks', { method: 'POST', json: { name: 'slow', url: hanging.url, event_types: [], timeout_seconds: 1 } });
      const r = await mgmt(emu, `/v1/webhooks/${c.body.data.id}/test`, { method: 'POST' });
      expect(r.body.data.success).toBe(false);
      expect(r.body.data.error).toContain('did not answer');
    } finally {
      await hanging.close();
    }
  });
});
