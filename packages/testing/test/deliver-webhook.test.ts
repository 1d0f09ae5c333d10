import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverWebhook } from '../src/deliver-webhook.js';

// A real receiver on 127.0.0.1 that records the exact bytes and headers it got. Signatures
// are checked here with node:crypto — a third HMAC implementation, independent of both the
// signer under test and core's verifier.
interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const SECRET = 'whsec_test_secret';
const T = 1767225600;
let server: Server;
let url: string;
let received: Received[] = [];
let answer: { status: number; contentType?: string; body: string } = { status: 200, body: '' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      if (req.url === '/hang') return; // never answers: the sender's timeout must fire
      if (req.url === '/moved') {
        res.writeHead(308, { location: '/webhooks' }).end();
        return;
      }
      res.statusCode = answer.status;
      if (answer.contentType) res.setHeader('content-type', answer.contentType);
      res.setHeader('x-receiver', 'test');
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

beforeEach(() => {
  received = [];
  answer = { status: 200, contentType: 'application/json', body: '{"received":true}' };
});

const hmacHex = (message: Buffer | string, secret = SECRET) => createHmac('sha256', secret).update(message).digest('hex');
const only = (): Received => {
  expect(received).toHaveLength(1);
  return received[0]!;
};

const orderEvent = {
  event: 'request.success',
  webhook_id: 'wh_123',
  webhook_name: 'orders-hook',
  data: { route_id: 'r_1', route_name: 'orders', environment: 'production' },
};

describe('deliverWebhook with an event', () => {
  it("POSTs the envelope pretty-printed, in the server's member order, signed over the bytes sent", async () => {
    const result = await deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'legacy', timestamp: T });
    const got = only();
    const expectedBody = JSON.stringify(
      {
        event: 'request.success',
        timestamp: '2026-01-01T00:00:00Z',
        webhook_id: 'wh_123',
        webhook_name: 'orders-hook',
        data: orderEvent.data,
      },
      null,
      2,
    );
    expect(got.method).toBe('POST');
    expect(got.body.toString('utf8')).toBe(expectedBody);
    expect(got.body.includes('\n  "data": {\n')).toBe(true);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-webhook-event']).toBe('request.success');
    expect(got.headers['x-webhook-id']).toBe('wh_123');
    expect(got.headers['x-webhook-signature']).toBe(`sha256=${hmacHex(got.body)}`);
    expect(result.status).toBe(200);
  });

  it('fills the envelope timestamp with now (ISO-8601) and keeps a given one', async () => {
    const before = Date.now();
    await deliverWebhook(url, { event: { event: 'webhook.test', data: {} }, secret: SECRET, format: 'legacy' });
    const after = Date.now();
    const filled = JSON.parse(only().body.toString('utf8')) as { timestamp: string };
    expect(filled.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(filled.timestamp)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Date.parse(filled.timestamp)).toBeLessThanOrEqual(after);

    received = [];
    const given = '2025-12-31T23:00:00.123456Z';
    await deliverWebhook(url, { event: { event: 'x', timestamp: given, data: null }, secret: SECRET, format: 'legacy' });
    const kept = JSON.parse(only().body.toString('utf8')) as Record<string, unknown>;
    expect(kept).toEqual({ event: 'x', timestamp: given, data: null });
    // Without a webhook_id in the envelope, X-Webhook-ID is still sent.
    expect(only().headers['x-webhook-id']).toMatch(/^wh_[0-9a-f-]{36}$/);
  });

  it.each([
    ['github', 'x-hub-signature-256'],
    ['custom', 'x-acme-signature'],
  ] as const)('%s carries sha256=<hex> under %s', async (format, header) => {
    await deliverWebhook(url, { event: orderEvent, secret: SECRET, format, headerName: 'X-Acme-Signature' });
    const got = only();
    expect(got.headers[header]).toBe(`sha256=${hmacHex(got.body)}`);
  });

  it('aws-sns carries the padded base64 digest', async () => {
    await deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'aws-sns' });
    const got = only();
    expect(got.headers['x-amz-sns-signature']).toBe(createHmac('sha256', SECRET).update(got.body).digest('base64'));
  });

  it('stripe and slack sign the given timestamp', async () => {
    await deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'stripe', timestamp: T });
    const stripe = only();
    const signedStripe = Buffer.concat([Buffer.from(`${T}.`), stripe.body]);
    expect(stripe.headers['stripe-signature']).toBe(`t=${T},v1=${hmacHex(signedStripe)}`);

    received = [];
    await deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'slack', timestamp: T });
    const slack = only();
    expect(slack.headers['x-slack-request-timestamp']).toBe(String(T));
    expect(slack.headers['x-slack-signature']).toBe(`v0=${hmacHex(Buffer.concat([Buffer.from(`v0:${T}:`), slack.body]))}`);
  });
});

describe('deliverWebhook with a raw body', () => {
  const vectorA = '{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","data":{}}';

  it('sends a string body byte for byte with the contract signature', async () => {
    await deliverWebhook(url, { body: vectorA, secret: SECRET, format: 'legacy' });
    const got = only();
    expect(got.body.toString('utf8')).toBe(vectorA);
    expect(got.headers['x-webhook-signature']).toBe('sha256=ed8f955e0bfdd4976d135b961f32cde519b89e8ca71261a78357a35a6c10a7e0');
    expect(got.headers['x-webhook-event']).toBe('request.success');
  });

  it('sends non-UTF-8 bytes untouched', async () => {
    await deliverWebhook(url, { body: new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]), secret: SECRET, format: 'legacy' });
    const got = only();
    expect([...got.body]).toEqual([0xff, 0xfe, 0x7b, 0x7d]);
    expect(got.headers['x-webhook-signature']).toBe('sha256=c8c6c6f4d1792e6d03a83cf823457a1cc60b27cce6c60f34c2a43d0780a15431');
    expect(got.headers['x-webhook-event']).toBeUndefined();
  });

  it('caller headers override the defaults case-insensitively, never the signature', async () => {
    await deliverWebhook(url, {
      body: vectorA,
      secret: SECRET,
      format: 'legacy',
      headers: { 'content-type': 'text/plain', 'X-Webhook-Signature': 'sha256=forged', 'X-Extra': '1' },
    });
    const got = only();
    expect(got.headers['content-type']).toBe('text/plain');
    expect(got.headers['x-extra']).toBe('1');
    expect(got.headers['x-webhook-signature']).toBe(`sha256=${hmacHex(got.body)}`);
  });
});

describe('tamper', () => {
  it('changes exactly one byte after signing; the body stays valid JSON and the signature no longer matches', async () => {
    const options = { event: orderEvent, secret: SECRET, format: 'legacy', timestamp: T } as const;
    await deliverWebhook(url, options);
    await deliverWebhook(url, { ...options, tamper: true });
    expect(received).toHaveLength(2);
    const [clean, tampered] = received as [Received, Received];

    expect(tampered.body.length).toBe(clean.body.length);
    const differing = [...clean.body].flatMap((byte, i) => (byte === tampered.body[i] ? [] : [i]));
    expect(differing).toHaveLength(1);
    expect(() => JSON.parse(tampered.body.toString('utf8'))).not.toThrow();

    // Same signature header as the clean delivery: it was computed before the change.
    expect(tampered.headers['x-webhook-signature']).toBe(clean.headers['x-webhook-signature']);
    expect(clean.headers['x-webhook-signature']).toBe(`sha256=${hmacHex(clean.body)}`);
    expect(tampered.headers['x-webhook-signature']).not.toBe(`sha256=${hmacHex(tampered.body)}`);
  });

  it('also changes one byte of a body with no letters in strings', async () => {
    await deliverWebhook(url, { body: '[1,2,3]', secret: SECRET, format: 'legacy', tamper: true });
    const got = only();
    const original = Buffer.from('[1,2,3]');
    expect([...original].filter((byte, i) => byte !== got.body[i])).toHaveLength(1);
    expect(got.headers['x-webhook-signature']).toBe(`sha256=${hmacHex(original)}`);
  });

  it('refuses to tamper with an empty body', async () => {
    await expect(deliverWebhook(url, { body: '', secret: SECRET, format: 'legacy', tamper: true })).rejects.toThrow(/cannot tamper with an empty body/);
    expect(received).toHaveLength(0);
  });
});

describe('result', () => {
  it('returns status, parsed JSON body, headers and duration', async () => {
    answer = { status: 201, contentType: 'application/json; charset=utf-8', body: '{"received":true,"duplicate":true}' };
    const result = await deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'legacy' });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({ received: true, duplicate: true });
    expect(result.headers['x-receiver']).toBe('test');
    expect(typeof result.durationMs).toBe('number');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('returns text for non-JSON answers and for JSON-labelled garbage', async () => {
    answer = { status: 401, contentType: 'text/plain', body: 'signature mismatch' };
    expect((await deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'legacy' })).body).toBe('signature mismatch');
    answer = { status: 500, contentType: 'application/json', body: 'not json' };
    const broken = await deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'legacy' });
    expect(broken).toMatchObject({ status: 500, body: 'not json' });
    answer = { status: 204, body: '' };
    expect((await deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'legacy' })).body).toBe('');
  });
});

describe('receivers that misbehave', () => {
  it('a receiver that never answers fails after timeoutMs with a clear error', async () => {
    const hang = url.replace('/webhooks', '/hang');
    await expect(deliverWebhook(hang, { event: orderEvent, secret: SECRET, format: 'legacy', timeoutMs: 100 })).rejects.toThrow(
      `deliverWebhook: ${hang} did not answer within 100 ms`,
    );
    expect(received).toHaveLength(1);
  });

  it('a redirect is reported, not followed (the delivery is not re-POSTed)', async () => {
    const result = await deliverWebhook(url.replace('/webhooks', '/moved'), {
      event: orderEvent,
      secret: SECRET,
      format: 'legacy',
    });
    expect(result.status).toBe(308);
    expect(result.headers.location).toBe('/webhooks');
    expect(received).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('needs exactly one of event and body', async () => {
    const both = { event: orderEvent, body: '{}', secret: SECRET, format: 'legacy' } as unknown as Parameters<typeof deliverWebhook>[1];
    await expect(deliverWebhook(url, both)).rejects.toThrow(/exactly one of `event`.*or `body`/);
    const neither = { secret: SECRET, format: 'legacy' } as unknown as Parameters<typeof deliverWebhook>[1];
    await expect(deliverWebhook(url, neither)).rejects.toThrow(/exactly one of/);
  });

  it('an event needs a type and data', async () => {
    const noData = { event: { event: 'request.success' }, secret: SECRET, format: 'legacy' } as unknown as Parameters<typeof deliverWebhook>[1];
    await expect(deliverWebhook(url, noData)).rejects.toThrow(/`event.data` is required/);
    await expect(deliverWebhook(url, { event: { event: '', data: {} }, secret: SECRET, format: 'legacy' })).rejects.toThrow(/event type/);
  });

  it('signing errors surface before anything is sent', async () => {
    await expect(deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'custom' })).rejects.toThrow(/headerName.*required/);
    await expect(deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'legacy', timestamp: 1.5 })).rejects.toThrow(/timestamp/);
    await expect(deliverWebhook(url, { event: orderEvent, secret: SECRET, format: 'legacy', timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
    expect(received).toHaveLength(0);
  });
});
