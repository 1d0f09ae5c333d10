/**
 * The asynchronous verifier on Web Crypto: runs on every runtime with `crypto.subtle`
 * (browsers, workers, Deno, Bun, Node). Failures are always promise rejections, never
 * synchronous throws (the functions are `async`); the boolean check never rejects.
 */
import type { KnoxWebhookEvent } from './event-types.js';
import { toVerifiedWebhook, type VerifiedWebhook } from './replay-protection.js';
import { beginSignatureCheck, completeSignatureCheck, type VerifyWebhookSignatureParams } from './signature-check.js';
import { beginVerification, completeVerification, needsDigests, type VerifiedEvent } from './verification-algorithm.js';
import type { ConstructEventOptions, WebhookHeaders, WebhookRawBody, WebhookSecret } from './verify-options.js';
import { constantTimeEqual, signedBytes, unshared, webCryptoDigests } from './web-crypto-hmac.js';

async function verifyWithWebCrypto(rawBody: unknown, headers: unknown, secret: unknown, options: unknown): Promise<VerifiedEvent> {
  const pending = beginVerification(rawBody, headers, secret, options);
  const digests = needsDigests(pending) ? await webCryptoDigests(pending.secrets, signedBytes(pending.prefix, pending.body)) : [];
  return completeVerification(pending, digests, constantTimeEqual);
}

/**
 * Verifies a webhook delivery over the exact bytes received and returns its event.
 * Rejects with `WebhookSignatureVerificationError` (see its `code`).
 */
export async function constructWebhookEventAsync(
  rawBody: WebhookRawBody,
  headers: WebhookHeaders,
  secret: WebhookSecret,
  options?: ConstructEventOptions,
): Promise<KnoxWebhookEvent> {
  return (await verifyWithWebCrypto(rawBody, headers, secret, options)).event;
}

/**
 * Like `constructWebhookEventAsync`, plus what replay protection needs: a key derived from
 * the verified signature and the TTL that covers the tolerance window. Framework adapters
 * use this.
 */
export async function verifyWebhook(
  rawBody: WebhookRawBody,
  headers: WebhookHeaders,
  secret: WebhookSecret,
  options?: ConstructEventOptions,
): Promise<VerifiedWebhook> {
  return toVerifiedWebhook(await verifyWithWebCrypto(rawBody, headers, secret, options));
}

/** The yes/no check of contract §6 on Web Crypto; resolves false for any bad input, never rejects. */
export async function verifyWebhookSignatureAsync(params: VerifyWebhookSignatureParams): Promise<boolean> {
  try {
    const pending = beginSignatureCheck(params);
    if (pending === undefined) return false;
    const digests = await webCryptoDigests(pending.secrets, unshared(pending.body.bytes()));
    return completeSignatureCheck(pending, digests, constantTimeEqual);
  } catch {
    return false;
  }
}
