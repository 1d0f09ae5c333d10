/**
 * The Web build of @knoxcall/core exports these in place of the node:crypto verifier: same
 * names and signatures, failing with a typed error that names the async replacement.
 */
import { describe, expect, it } from 'vitest';
import { WebhookSignatureVerificationError } from '../src/errors.js';
import { constructWebhookEvent, verifyWebhookSignature, verifyWebhookSync } from '../src/webhooks/web-sync-unavailable.js';

describe('web-sync-unavailable', () => {
  const body = '{"event":"webhook.test","timestamp":"2026-01-01T00:00:00Z","data":{}}';
  const cases: Array<[string, () => unknown, string]> = [
    ['constructWebhookEvent', () => constructWebhookEvent(body, {}, 'whsec_x'), 'constructWebhookEventAsync'],
    ['verifyWebhookSync', () => verifyWebhookSync(body, {}, 'whsec_x'), 'verifyWebhook'],
    ['verifyWebhookSignature', () => verifyWebhookSignature({ rawBody: body, signature: 'x', secret: 'whsec_x' }), 'verifyWebhookSignatureAsync'],
  ];
  for (const [name, call, replacement] of cases) {
    it(`${name} explains to use ${replacement}`, () => {
      let error: unknown;
      try {
        call();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(WebhookSignatureVerificationError);
      expect((error as Error).message).toBe(`${name} needs node:crypto; use ${replacement} on this runtime`);
      expect((error as WebhookSignatureVerificationError).code).toBe('invalid_configuration');
    });
  }
});
