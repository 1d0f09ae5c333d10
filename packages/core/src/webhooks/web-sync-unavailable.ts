/**
 * What the Web build of `@knoxcall/core` exports in place of the synchronous Node verifier
 * (src/node/webhook-verifier.ts): the same names and signatures, failing with a message that names the fix.
 * There is no synchronous HMAC in Web Crypto.
 */
import { WebhookSignatureVerificationError } from '../errors.js';
import type { KnoxWebhookEvent } from './event-types.js';
import type { VerifiedWebhook } from './replay-protection.js';
import type { VerifyWebhookSignatureParams } from './signature-check.js';
import type { ConstructEventOptions, WebhookHeaders, WebhookRawBody, WebhookSecret } from './verify-options.js';

function unavailable(name: string, replacement: string): never {
  throw new WebhookSignatureVerificationError(`${name} needs node:crypto; use ${replacement} on this runtime`, 'invalid_configuration');
}

export function constructWebhookEvent(
  _rawBody: WebhookRawBody,
  _headers: WebhookHeaders,
  _secret: WebhookSecret,
  _options?: ConstructEventOptions,
): KnoxWebhookEvent {
  return unavailable('constructWebhookEvent', 'constructWebhookEventAsync');
}

export function verifyWebhookSync(
  _rawBody: WebhookRawBody,
  _headers: WebhookHeaders,
  _secret: WebhookSecret,
  _options?: ConstructEventOptions,
): VerifiedWebhook {
  return unavailable('verifyWebhookSync', 'verifyWebhook');
}

/** Throws (rather than answering false) because a silent `false` would hide the misuse. */
export function verifyWebhookSignature(_params: VerifyWebhookSignatureParams): boolean {
  return unavailable('verifyWebhookSignature', 'verifyWebhookSignatureAsync');
}
