/**
 * The public types: the event union narrows with `isKnoxEvent` despite the open fallback,
 * `KnownEventMap` maps names to shapes, and the verifier signatures accept every documented
 * input shape. Checked by the type checker (expectTypeOf) and at runtime where it matters.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { WebhookSignatureVerificationError } from '../src/errors.js';
import {
  type AuditWebhookEvent,
  type ConstructEventOptions,
  constructWebhookEventAsync,
  isKnoxEvent,
  KNOWN_EVENT_TYPES,
  type KnownEventMap,
  type KnownEventType,
  type KnoxWebhookEvent,
  type RequestEventData,
  type RequestWebhookEvent,
  type UnknownWebhookEvent,
  type VaultTokenExpiringEvent,
  type VerifiedWebhook,
  verifyWebhook,
  type WebhookHmacFormat,
  type WebhookTestEvent,
} from '../src/webhooks/index.js';
import { constructWebhookEvent, verifyWebhookSignature, verifyWebhookSync } from '../src/node/webhook-verifier.js';

describe('event types', () => {
  it('KnownEventMap maps every known name to its shape', () => {
    expectTypeOf<KnownEventMap['request.server_error']>().toEqualTypeOf<RequestWebhookEvent<'request.server_error'>>();
    expectTypeOf<KnownEventMap['request.server_error']['event']>().toEqualTypeOf<'request.server_error'>();
    expectTypeOf<KnownEventMap['request.server_error']['data']>().toEqualTypeOf<RequestEventData>();
    expectTypeOf<KnownEventMap['audit.event']>().toEqualTypeOf<AuditWebhookEvent>();
    expectTypeOf<KnownEventMap['webhook.test']>().toEqualTypeOf<WebhookTestEvent>();
    expectTypeOf<KnownEventMap['vault.token.expiring']>().toEqualTypeOf<VaultTokenExpiringEvent>();
    expectTypeOf<KnownEventType>().toEqualTypeOf<(typeof KNOWN_EVENT_TYPES)[number]>();
    expect(new Set(KNOWN_EVENT_TYPES).size).toBe(11);
  });

  it('isKnoxEvent narrows even with the open fallback', () => {
    const event = JSON.parse('{"event":"request.server_error","timestamp":"t","data":{"response":{"status":502}}}') as KnoxWebhookEvent;
    // a plain comparison cannot exclude the fallback, whose event is `string`
    if (event.event === 'request.server_error') {
      expectTypeOf(event).not.toEqualTypeOf<RequestWebhookEvent<'request.server_error'>>();
    }
    if (isKnoxEvent(event, 'request.server_error')) {
      expectTypeOf(event).toEqualTypeOf<RequestWebhookEvent<'request.server_error'>>();
      expectTypeOf(event.data.response.status).toEqualTypeOf<number | null>();
      expect(event.data.response.status).toBe(502);
    } else {
      throw new Error('should have narrowed');
    }
    const other = event as KnoxWebhookEvent;
    if (isKnoxEvent(other, 'audit.event')) {
      expectTypeOf(other.data.resource_id).toEqualTypeOf<string | null>();
      throw new Error('not an audit event');
    }
    expect(isKnoxEvent(undefined, 'audit.event')).toBe(false);
    expect(isKnoxEvent(null, 'audit.event')).toBe(false);
  });

  it('unknown event types are part of the union', () => {
    expectTypeOf<UnknownWebhookEvent>().toExtend<KnoxWebhookEvent>();
    expectTypeOf<UnknownWebhookEvent['data']>().toBeUnknown();
    expectTypeOf<KnoxWebhookEvent['timestamp']>().toEqualTypeOf<string>();
  });
});

describe('verifier signatures', () => {
  it('return the event union (sync), a promise of it (async), and the replay-aware result', () => {
    expectTypeOf(constructWebhookEvent).returns.toEqualTypeOf<KnoxWebhookEvent>();
    expectTypeOf(constructWebhookEventAsync).returns.toEqualTypeOf<Promise<KnoxWebhookEvent>>();
    expectTypeOf(verifyWebhook).returns.toEqualTypeOf<Promise<VerifiedWebhook>>();
    expectTypeOf(verifyWebhookSync).returns.toEqualTypeOf<VerifiedWebhook>();
    expectTypeOf(verifyWebhookSignature).returns.toEqualTypeOf<boolean>();
    expectTypeOf<ConstructEventOptions['format']>().toEqualTypeOf<WebhookHmacFormat | undefined>();
    expectTypeOf<WebhookSignatureVerificationError['code']>().toExtend<string>();
  });

  it('accept every documented body and header shape', () => {
    const body = '{"event":"webhook.test","timestamp":"2026-01-01T00:00:00Z","data":{}}';
    const sig = `sha256=${createHmac('sha256', 's').update(body).digest('hex')}`;
    const options: ConstructEventOptions = { toleranceSeconds: null };
    const bodies = [
      body,
      Buffer.from(body),
      new TextEncoder().encode(body),
      new TextEncoder().encode(body).buffer,
      new DataView(new TextEncoder().encode(body).buffer),
    ];
    const headerShapes = [
      { 'x-webhook-signature': sig },
      { 'X-Webhook-Signature': [sig], other: undefined },
      new Headers({ 'x-webhook-signature': sig }),
      new Map([['x-webhook-signature', sig]]),
      [['x-webhook-signature', sig]] as const,
      ['x-webhook-signature', sig],
    ];
    for (const b of bodies) {
      for (const h of headerShapes) {
        const event = constructWebhookEvent(b, h, 's', options);
        expect(isKnoxEvent(event, 'webhook.test')).toBe(true);
        expect(constructWebhookEvent(b, h, ['old', 's'], options)).toStrictEqual(event);
      }
    }
  });
});
