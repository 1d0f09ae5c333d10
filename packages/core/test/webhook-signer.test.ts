/**
 * Deliveries signed by @knoxcall/testing's independent signer (written separately, so one
 * misreading of the contract cannot hide in both) verify in every format, through both
 * verifiers — and fail once anything signed changes.
 */
import { signWebhook } from '@knoxcall/testing/signer';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, type WebhookHmacFormat } from '../src/webhooks/index.js';
import { verifyWebhookSync } from '../src/node/webhook-verifier.js';
import { expectEvent, expectFailure, FROZEN, frozenAt, verifyBoth } from './webhook-harness.js';

const FORMATS: WebhookHmacFormat[] = ['legacy', 'github', 'custom', 'stripe', 'slack', 'aws-sns'];
const SECRETS = ['whsec_construct_test', 'sécret-ключ-🔑', 'x'];
const BODIES = [
  '{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","data":{}}',
  '{\n  "event": "audit.event",\n  "timestamp": "2026-01-01T00:00:00.123456Z",\n  "data": {"id": "a_1", "note": "ünïcödé ✓"}\n}\n',
  `{"event":"webhook.test","timestamp":"2026-01-01T00:00:00+00:00","data":{"pad":"${'x'.repeat(3000)}"}}`,
];
const optionsFor = (format: WebhookHmacFormat) => ({
  format,
  now: frozenAt(FROZEN),
  ...(format === 'custom' ? { headerName: 'X-Acme-Signature' } : {}),
});

describe('signatures from @knoxcall/testing/signer', () => {
  for (const format of FORMATS) {
    it(`${format}: every body and secret verifies, as a string and as bytes`, async () => {
      for (const secret of SECRETS) {
        for (const body of BODIES) {
          const headers = await signWebhook({ body, secret, format, headerName: 'X-Acme-Signature', timestamp: FROZEN });
          expectEvent(await verifyBoth(body, headers, secret, optionsFor(format)), body);
          const bytes = new TextEncoder().encode(body);
          const byteHeaders = await signWebhook({ body: bytes, secret, format, headerName: 'X-Acme-Signature', timestamp: FROZEN });
          expect(byteHeaders).toStrictEqual(headers);
          expectEvent(await verifyBoth(bytes, new Headers(byteHeaders), secret, optionsFor(format)), body);
          // during a rotation, either secret may be the one that signed
          expectEvent(await verifyBoth(body, headers, ['whsec_rotated_in', secret], optionsFor(format)), body);
        }
      }
    });

    it(`${format}: a different secret or one changed body byte fails`, async () => {
      const body = BODIES[0]!;
      const headers = await signWebhook({ body, secret: SECRETS[0]!, format, headerName: 'X-Acme-Signature', timestamp: FROZEN });
      expectFailure(await verifyBoth(body, headers, 'whsec_other', optionsFor(format)), 'webhook signature verification failed', 'signature_mismatch', {
        body,
        headers,
        secret: 'whsec_other',
      });
      const tampered = body.replace('request.success', 'request.sUccess');
      expectFailure(await verifyBoth(tampered, headers, SECRETS[0], optionsFor(format)), 'webhook signature verification failed', 'signature_mismatch');
    });
  }

  it('stripe and slack: a signed timestamp outside the window fails, inside passes', async () => {
    const body = BODIES[0]!;
    for (const format of ['stripe', 'slack'] as const) {
      const stale = await signWebhook({ body, secret: 'k', format, timestamp: FROZEN - 301 });
      expectFailure(await verifyBoth(body, stale, 'k', optionsFor(format)), 'webhook timestamp outside the tolerance window', 'timestamp_out_of_tolerance');
      const edge = await signWebhook({ body, secret: 'k', format, timestamp: FROZEN + 300 });
      expectEvent(await verifyBoth(body, edge, 'k', optionsFor(format)), body);
      const malformed = await signWebhook({ body, secret: 'k', format, timestamp: 'abc' });
      expectEvent(await verifyBoth(body, malformed, 'k', { ...optionsFor(format), toleranceSeconds: null }), body);
    }
  });

  it('the replay key comes from the verified signature: same delivery → same key, new signature → new key', async () => {
    const body = BODIES[0]!;
    const first = await signWebhook({ body, secret: 'k', format: 'stripe', timestamp: FROZEN });
    const again = await signWebhook({ body, secret: 'k', format: 'stripe', timestamp: FROZEN });
    const later = await signWebhook({ body, secret: 'k', format: 'stripe', timestamp: FROZEN + 1 });
    const options = optionsFor('stripe');
    const a = await verifyWebhook(body, first, 'k', options);
    expect(verifyWebhookSync(body, first, 'k', options)).toStrictEqual(a);
    expect((await verifyWebhook(body, again, ['other', 'k'], options)).replayKey).toBe(a.replayKey);
    expect((await verifyWebhook(body, later, 'k', options)).replayKey).not.toBe(a.replayKey);
    expect(a.replayKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.replayTtlSeconds).toBe(601);
    expect(a.format).toBe('stripe');
    // an unsigned header does not change the key
    const withId = { ...first, 'X-Webhook-ID': 'whd_anything' };
    expect((await verifyWebhook(body, withId, 'k', options)).replayKey).toBe(a.replayKey);
  });
});
