/**
 * The asynchronous verifier: runs on every runtime with `crypto.subtle` (browsers, workers,
 * Deno, Bun, Node). Failures are always promise rejections, never synchronous throws (the
 * functions are `async`); the boolean check never rejects. Its HMAC is Web Crypto unless
 * node:crypto was installed (hmac-provider.ts) — the results are the same either way.
 */
import type { KnoxWebhookEvent } from './event-types.js';
import { type SyncHmacProvider, syncHmacProvider } from './hmac-provider.js';
import { toVerifiedWebhook, type VerifiedWebhook } from './replay-protection.js';
import { CALLER_INPUT } from './caller-input.js';
import { type ReceivedHeaders, receivedHeaders } from './header-lookup.js';
import { bytesBody } from './raw-body.js';
import { beginSignatureCheck, completeSignatureCheck, type VerifyWebhookSignatureParams } from './signature-check.js';
import { beginVerificationWith, completeVerification, needsDigests, type VerifiedEvent, type VerifierInput } from './verification-algorithm.js';
import type { ConstructEventOptions, WebhookHeaders, WebhookRawBody, WebhookSecret } from './verify-options.js';
import { constantTimeEqual, signedBytes, unshared, webCryptoDigests } from './web-crypto-hmac.js';

/** An adapter's input: the bytes it read and its framework's headers. */
const RECEIVED_INPUT: VerifierInput<Uint8Array, ReceivedHeaders> = { body: bytesBody, headers: receivedHeaders };

/** `provider` undefined = Web Crypto. */
async function verifyWith<B, H>(
  provider: SyncHmacProvider | undefined,
  input: VerifierInput<B, H>,
  rawBody: B,
  headers: H,
  secret: unknown,
  options: unknown,
): Promise<VerifiedEvent> {
  const pending = beginVerificationWith(input, rawBody, headers, secret, options);
  if (!needsDigests(pending)) return completeVerification(pending, [], constantTimeEqual);
  if (provider !== undefined) {
    return completeVerification(pending, provider.digests(pending.secrets, pending.prefix, pending.body), provider.equal);
  }
  const digests = await webCryptoDigests(pending.secrets, signedBytes(pending.prefix, pending.body));
  return completeVerification(pending, digests, constantTimeEqual);
}

/** @internal The Web Crypto path alone, whatever is installed (tests prove it agrees). */
export function verifyWithWebCrypto(rawBody: unknown, headers: unknown, secret: unknown, options: unknown): Promise<VerifiedEvent> {
  return verifyWith(undefined, CALLER_INPUT, rawBody, headers, secret, options);
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
  return (await verifyWith(syncHmacProvider, CALLER_INPUT, rawBody, headers, secret, options)).event;
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
  return toVerifiedWebhook(await verifyWith(syncHmacProvider, CALLER_INPUT, rawBody, headers, secret, options));
}

/**
 * @internal `verifyWebhook` for the adapter kit (adapter/verify-delivery.ts), whose body is
 * always the received bytes and whose headers are the framework's: same results, without
 * the input conversions the public functions need for arbitrary input.
 */
export async function verifyWebhookBytes(
  body: Uint8Array,
  headers: ReceivedHeaders,
  secret: WebhookSecret,
  options?: ConstructEventOptions,
): Promise<VerifiedWebhook> {
  return toVerifiedWebhook(await verifyWith(syncHmacProvider, RECEIVED_INPUT, body, headers, secret, options));
}

/** @internal `verifyWebhookSignatureAsync` on the Web Crypto path alone. */
export async function checkSignatureWith(provider: SyncHmacProvider | undefined, params: unknown): Promise<boolean> {
  try {
    const pending = beginSignatureCheck(params);
    if (pending === undefined) return false;
    if (provider !== undefined) {
      return completeSignatureCheck(pending, provider.digests(pending.secrets, '', pending.body), provider.equal);
    }
    const digests = await webCryptoDigests(pending.secrets, unshared(pending.body.bytes()));
    return completeSignatureCheck(pending, digests, constantTimeEqual);
  } catch {
    return false;
  }
}

/** The yes/no check of contract §6, asynchronously; resolves false for any bad input, never rejects. */
export function verifyWebhookSignatureAsync(params: VerifyWebhookSignatureParams): Promise<boolean> {
  return checkSignatureWith(syncHmacProvider, params);
}
