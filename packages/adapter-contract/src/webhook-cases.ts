import type { KnoxWebhookEvent, WebhookHmacFormat } from '@knoxcall/core/adapter';
import { deliverWebhook } from '@knoxcall/testing';
import { describe, expect, it } from 'vitest';
import { useApp } from './app-fixture.js';
import { CUSTOM_HEADER, SECRET, envelopeBody, nowSeconds, post, signedDelivery } from './deliveries.js';
import { errorTypeOf } from './error-code.js';
import { RecordingReplayStore } from './recording-replay-store.js';
import { type AdapterUnderTest, CONTRACT_PATHS } from './types.js';

const FORMATS: readonly WebhookHmacFormat[] = ['legacy', 'github', 'stripe', 'slack', 'aws-sns', 'custom'];

/** The error body every failure has; its message never echoes the secret or a signature. */
function expectErrorBodyOf(adapter: AdapterUnderTest, answer: { body: unknown; text: string }, type: string, signatures: Record<string, string> = {}): void {
  if (adapter.readErrorCode !== undefined) expect(adapter.readErrorCode(answer.body), answer.text).toBe(type);
  else expect(answer.body).toEqual({ error: { type, message: expect.any(String) } });
  expect(answer.text).not.toContain(SECRET);
  for (const value of Object.values(signatures)) {
    const hex = /[0-9a-f]{64}/i.exec(value)?.[0] ?? value;
    expect(answer.text).not.toContain(hex);
  }
}

export function webhookCases(adapter: AdapterUnderTest): void {
  const errorType = (body: unknown): unknown => errorTypeOf(adapter, body);
  const expectErrorBody = (answer: { body: unknown; text: string }, type: string, signatures?: Record<string, string>): void =>
    expectErrorBodyOf(adapter, answer, type, signatures);
  describe('every format is accepted (pretty-printed bodies, typed handlers run)', () => {
    for (const format of FORMATS) {
      describe(format, () => {
        const seen: KnoxWebhookEvent[] = [];
        const app = useApp(adapter, () => ({
          webhook: {
            secret: SECRET,
            format,
            ...(format === 'custom' ? { headerName: CUSTOM_HEADER } : {}),
            on: { 'request.success': (event) => void seen.push(event) },
          },
        }));

        it('verifies a delivery and answers 200 { received: true } after the handler ran', async () => {
          const result = await deliverWebhook(app.url + CONTRACT_PATHS.webhook, {
            event: { event: 'request.success', data: { route_id: 'r_fmt', format } },
            secret: SECRET,
            format,
            ...(format === 'custom' ? { headerName: CUSTOM_HEADER } : {}),
          });
          expect(result.status).toBe(200);
          expect(result.body).toEqual({ received: true });
          expect(seen.map((e) => (e.data as { format?: string }).format)).toEqual([format]);
        });
      });
    }
  });

  describe('rejected deliveries (status and code from the contract table)', () => {
    const ran: string[] = [];
    const app = useApp(adapter, () => ({
      webhook: { secret: SECRET, maxBodyBytes: 4096, on: { '*': (event) => void ran.push(event.event) } },
    }));
    const url = () => app.url + CONTRACT_PATHS.webhook;

    it('tampered body → 401 signature_mismatch', async () => {
      const result = await deliverWebhook(url(), { event: { event: 'request.success', data: { a: 'Value' } }, secret: SECRET, format: 'legacy', tamper: true });
      expect(result.status).toBe(401);
      expect(errorType(result.body)).toBe('signature_mismatch');
    });

    it('wrong secret → 401 signature_mismatch, with nothing secret in the answer', async () => {
      const delivery = await signedDelivery(envelopeBody(), { secret: 'whsec_not_this_one' });
      const answer = await post(url(), delivery);
      expect(answer.status).toBe(401);
      expectErrorBody(answer, 'signature_mismatch', delivery.headers);
    });

    it('stale delivery (envelope timestamp 4000 s old) → 401 timestamp_out_of_tolerance', async () => {
      const answer = await post(url(), await signedDelivery(envelopeBody('request.success', { timestampSeconds: nowSeconds() - 4000 })));
      expect(answer.status).toBe(401);
      expectErrorBody(answer, 'timestamp_out_of_tolerance');
    });

    it('future-dated delivery (400 s ahead) → 401 timestamp_out_of_tolerance', async () => {
      const answer = await post(url(), await signedDelivery(envelopeBody('request.success', { timestampSeconds: nowSeconds() + 400 })));
      expect(answer.status).toBe(401);
      expectErrorBody(answer, 'timestamp_out_of_tolerance');
    });

    it('missing signature header → 400 missing_header', async () => {
      const answer = await post(url(), { body: envelopeBody(), headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(400);
      expectErrorBody(answer, 'missing_header');
    });

    it('oversize body (Content-Length over maxBodyBytes) → 413 payload_too_large', async () => {
      const big = envelopeBody('request.success', { data: { filler: 'x'.repeat(8192) } });
      const answer = await post(url(), await signedDelivery(big));
      expect(answer.status).toBe(413);
      expectErrorBody(answer, 'payload_too_large');
    });

    const chunkedSkip = adapter.skip?.['chunked-oversize'];
    (chunkedSkip ? it.skip : it)(
      `oversize body sent chunked (no Content-Length) → 413 while reading${chunkedSkip ? ` (skipped: ${chunkedSkip})` : ''}`,
      async () => {
        const big = new TextEncoder().encode(envelopeBody('request.success', { data: { filler: 'x'.repeat(64 * 1024) } }));
        const delivery = await signedDelivery(big);
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < big.length; i += 1024) controller.enqueue(big.slice(i, i + 1024));
            controller.close();
          },
        });
        const answer = await post(url(), { body: stream, headers: delivery.headers }, { duplex: 'half' } as RequestInit);
        expect(answer.status).toBe(413);
        expectErrorBody(answer, 'payload_too_large');
      },
    );

    it('wrong content type → 415 unsupported_media_type', async () => {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
        const answer = await post(url(), await signedDelivery(envelopeBody(), { contentType }));
        expect(answer.status, contentType).toBe(415);
        expectErrorBody(answer, 'unsupported_media_type');
      }
    });

    it('correctly signed empty body → 400 invalid_payload; unsigned empty body → 400 missing_header', async () => {
      const signed = await post(url(), await signedDelivery(''));
      expect(signed.status).toBe(400);
      expectErrorBody(signed, 'invalid_payload');
      const unsigned = await post(url(), { body: '', headers: { 'content-type': 'application/json' } });
      expect(unsigned.status).toBe(400);
      expectErrorBody(unsigned, 'missing_header');
    });

    it('correctly signed body that is not a JSON object → 400 invalid_payload', async () => {
      for (const body of ['[1,2]', 'not json']) {
        const answer = await post(url(), await signedDelivery(body));
        expect(answer.status, body).toBe(400);
        expectErrorBody(answer, 'invalid_payload');
      }
    });

    it('duplicate signature headers (a valid one plus another) → 401 signature_mismatch', async () => {
      const delivery = await signedDelivery(envelopeBody());
      const valid = delivery.headers['X-Webhook-Signature']!;
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.append('X-Webhook-Signature', valid);
      headers.append('X-Webhook-Signature', `sha256=${'0'.repeat(64)}`);
      const answer = await post(url(), { body: delivery.body, headers });
      expect(answer.status).toBe(401);
      expectErrorBody(answer, 'signature_mismatch', delivery.headers);
    });

    it('ran no handler for any rejected delivery', () => {
      expect(ran).toEqual([]);
    });
  });

  describe('rejected deliveries with signed header timestamps (stripe, slack)', () => {
    const ran: string[] = [];
    const stripe = useApp(adapter, () => ({ webhook: { secret: SECRET, format: 'stripe', on: { '*': (e) => void ran.push(e.event) } } }));
    const slack = useApp(adapter, () => ({ webhook: { secret: SECRET, format: 'slack', on: { '*': (e) => void ran.push(e.event) } } }));

    it('stale and future-dated stripe t= → 401 timestamp_out_of_tolerance', async () => {
      for (const offset of [-4000, 400]) {
        const answer = await post(
          stripe.url + CONTRACT_PATHS.webhook,
          await signedDelivery(envelopeBody(), { format: 'stripe', timestamp: nowSeconds() + offset }),
        );
        expect(answer.status, String(offset)).toBe(401);
        expectErrorBody(answer, 'timestamp_out_of_tolerance');
      }
    });

    it('a malformed Stripe-Signature → 400 malformed_header', async () => {
      const answer = await post(stripe.url + CONTRACT_PATHS.webhook, {
        body: envelopeBody(),
        headers: { 'content-type': 'application/json', 'Stripe-Signature': 'nonsense' },
      });
      expect(answer.status).toBe(400);
      expectErrorBody(answer, 'malformed_header');
    });

    it('slack without X-Slack-Request-Timestamp → 400 missing_header; stale → 401', async () => {
      const delivery = await signedDelivery(envelopeBody(), { format: 'slack' });
      const { 'X-Slack-Request-Timestamp': _dropped, ...withoutTimestamp } = delivery.headers;
      const missing = await post(slack.url + CONTRACT_PATHS.webhook, { body: delivery.body, headers: withoutTimestamp });
      expect(missing.status).toBe(400);
      expectErrorBody(missing, 'missing_header');
      const stale = await post(slack.url + CONTRACT_PATHS.webhook, await signedDelivery(envelopeBody(), { format: 'slack', timestamp: nowSeconds() - 4000 }));
      expect(stale.status).toBe(401);
      expectErrorBody(stale, 'timestamp_out_of_tolerance');
    });

    it('ran no handler', () => {
      expect(ran).toEqual([]);
    });
  });

  describe('accepted content types', () => {
    const app = useApp(adapter, () => ({ webhook: { secret: SECRET, on: { '*': () => {} } } }));
    it('application/json with any charset, application/*+json and a missing Content-Type → 200', async () => {
      for (const contentType of ['application/json; charset=utf-8', 'Application/JSON;charset=ISO-8859-1', 'application/cloudevents+json', null]) {
        const delivery = await signedDelivery(new TextEncoder().encode(envelopeBody()), { contentType });
        const answer = await post(app.url + CONTRACT_PATHS.webhook, delivery);
        expect(answer.status, String(contentType)).toBe(200);
        expect(answer.body).toEqual({ received: true });
      }
    });
  });

  describe('secret rotation (an array of secrets)', () => {
    const app = useApp(adapter, () => ({ webhook: { secret: ['whsec_old_one', SECRET], format: 'stripe', on: { '*': () => {} } } }));
    it('accepts deliveries signed with any listed secret and rejects others', async () => {
      for (const secret of ['whsec_old_one', SECRET]) {
        const answer = await post(app.url + CONTRACT_PATHS.webhook, await signedDelivery(envelopeBody(), { secret, format: 'stripe' }));
        expect(answer.status, secret).toBe(200);
      }
      const rejected = await post(app.url + CONTRACT_PATHS.webhook, await signedDelivery(envelopeBody(), { secret: 'whsec_retired', format: 'stripe' }));
      expect(rejected.status).toBe(401);
      expect(errorType(rejected.body)).toBe('signature_mismatch');
    });
  });

  describe('a per-request secret (a function of the request, async)', () => {
    const tenants: Record<string, string> = { acme: 'whsec_acme_tenant', globex: 'whsec_globex_tenant' };
    const app = useApp(adapter, () => ({
      webhook: {
        secret: async (header) => {
          const secret = tenants[header('x-tenant') ?? ''];
          if (secret === undefined) throw new Error('unknown tenant');
          return secret;
        },
        on: { '*': () => {} },
      },
    }));
    const send = async (tenant: string, secret: string) => {
      const delivery = await signedDelivery(envelopeBody(), { secret });
      return post(app.url + CONTRACT_PATHS.webhook, { body: delivery.body, headers: { ...delivery.headers, 'X-Tenant': tenant } });
    };
    it("verifies with the request's secret, rejects another tenant's, and answers 500 when resolving fails", async () => {
      expect((await send('acme', 'whsec_acme_tenant')).status).toBe(200);
      expect((await send('globex', 'whsec_globex_tenant')).status).toBe(200);
      const crossed = await send('globex', 'whsec_acme_tenant');
      expect(crossed.status).toBe(401);
      expectErrorBody(crossed, 'signature_mismatch');
      const unknown = await send('initech', 'whsec_acme_tenant');
      expect(unknown.status).toBe(500);
      expectErrorBody(unknown, 'invalid_configuration');
      expect(unknown.text).not.toContain('unknown tenant');
    });
  });

  describe('replay protection (replayStore)', () => {
    const store = new RecordingReplayStore();
    const handled: string[] = [];
    const app = useApp(adapter, () => ({
      webhook: { secret: SECRET, replayStore: store, on: { 'request.success': (event) => void handled.push(event.timestamp) } },
    }));
    it('answers the replayed delivery 200 { received: true, duplicate: true } without running handlers again', async () => {
      const delivery = await signedDelivery(envelopeBody());
      const first = await post(app.url + CONTRACT_PATHS.webhook, delivery);
      const second = await post(app.url + CONTRACT_PATHS.webhook, delivery);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ received: true });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ received: true, duplicate: true });
      expect(handled).toHaveLength(1);
    });
    it('claims only verified deliveries', async () => {
      const callsBefore = store.calls.length;
      await post(app.url + CONTRACT_PATHS.webhook, await signedDelivery(envelopeBody(), { secret: 'whsec_wrong' }));
      expect(store.calls.length).toBe(callsBefore);
    });
  });

  describe('a handler that throws', () => {
    const store = new RecordingReplayStore();
    let failuresLeft = 1;
    let runs = 0;
    const app = useApp(adapter, () => ({
      webhook: {
        secret: SECRET,
        replayStore: store,
        on: {
          'request.success': () => {
            runs++;
            if (failuresLeft-- > 0) throw new Error('database is down (password=hunter2)');
          },
        },
      },
    }));
    it('→ 500 handler_failed without the error text, and the retry of the same delivery succeeds', async () => {
      const delivery = await signedDelivery(envelopeBody());
      const first = await post(app.url + CONTRACT_PATHS.webhook, delivery);
      expect(first.status).toBe(500);
      expect(errorType(first.body)).toBe('handler_failed');
      expect(first.text).not.toContain('hunter2');
      const retry = await post(app.url + CONTRACT_PATHS.webhook, delivery);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ received: true });
      expect(runs).toBe(2);
      expect(store.calls).toContain('release');
    });
  });

  describe('without `on` handlers the route handler answers', () => {
    const app = useApp(adapter, () => ({ webhook: { secret: SECRET } }));
    it('passes the request on with the verified event attached', async () => {
      const result = await deliverWebhook(app.url + CONTRACT_PATHS.webhook, {
        event: { event: 'audit.event', data: { id: 'a1' } },
        secret: SECRET,
        format: 'legacy',
      });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ received: true, handledBy: 'route', event: 'audit.event' });
    });
    it('still rejects a bad delivery before the route handler', async () => {
      const answer = await post(app.url + CONTRACT_PATHS.webhook, await signedDelivery(envelopeBody(), { secret: 'whsec_wrong' }));
      expect(answer.status).toBe(401);
    });
  });

  describe('with a globally mounted JSON parser', () => {
    const reason = adapter.skip?.['global-json-parser'];
    if (reason) {
      it.skip(`global JSON parser case (skipped: ${reason})`, () => {});
      return;
    }
    const seen: string[] = [];
    const app = useApp(adapter, () => ({
      globalJsonParser: true,
      webhook: { secret: SECRET, on: { '*': (event) => void seen.push(event.event) } },
    }));
    it('verifies a pretty-printed delivery over the exact bytes, and other routes still get parsed JSON', async () => {
      const result = await deliverWebhook(app.url + CONTRACT_PATHS.webhook, {
        event: { event: 'request.completed', data: { nested: { a: [1, 2] } } },
        secret: SECRET,
        format: 'legacy',
      });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ received: true });
      expect(seen).toEqual(['request.completed']);
      const echo = await post(app.url + CONTRACT_PATHS.jsonEcho, { body: '{ "hello": "world" }', headers: { 'content-type': 'application/json' } });
      expect(echo.body).toEqual({ body: { hello: 'world' } });
    });
  });
}
