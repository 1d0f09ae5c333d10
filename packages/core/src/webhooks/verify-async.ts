/**
 * The asynchronous verifier: runs on every runtime with `crypto.subtle` (browsers, workers,
 * Deno, Bun, Node). The public functions' failures are always promise rejections, never
 * synchronous throws (each returns the promise of one async function); the boolean check
 * never rejects. (The adapter kit's `verifyWebhookBytes*` are the exception, see there.) Its HMAC is Web Crypto unless
 * node:crypto was installed (hmac-provider.ts) — the results are the same either way.
 */
import type { KnoxWebhookEvent } from './event-types.js';
import { type SyncHmacProvider, syncHmacProvider } from './hmac-provider.js';
import { toVerifiedWebhook, type VerifiedWebhook, withReplayDigest } from './replay-protection.js';
import { CALLER_INPUT } from './caller-input.js';
import { type ReceivedHeaders, receivedHeaders } from '../http/headers.js';
import { bytesBody } from './raw-body.js';
import { beginSignatureCheck, completeSignatureCheck, type VerifyWebhookSignatureParams } from './signature-check.js';
import { beginVerificationWith, completeVerification, needsDigests, type VerifiedEvent, type VerifierInput } from './verification-algorithm.js';
import type { ConstructEventOptions, WebhookHeaders, WebhookRawBody, WebhookSecret } from './verify-options.js';
import { constantTimeEqual, signedBytes, unshared, webCryptoDigests } from './web-crypto-hmac.js';

/** An adapter's input: the bytes it read and its framework's headers. */
const RECEIVED_INPUT: VerifierInput<Uint8Array, ReceivedHeaders> = { body: bytesBody, headers: receivedHeaders };

/**
 * The whole verification. With a synchronous HMAC (`provider`: node:crypto installed) it
 * returns or throws — no promise; with Web Crypto (`provider` undefined) it returns Web
 * Crypto's promise. `finish` shapes the result; with `replayKey`, one more HMAC is computed:
 * the content digest the replay key is made of (replay-protection.ts), passed to `finish`
 * beside the verified event. The public functions wrap it in an `async` function, so their
 * failures are always rejections.
 */
function verifyWith<B, H, R>(
  provider: SyncHmacProvider | undefined,
  input: VerifierInput<B, H>,
  finish: (verified: VerifiedEvent, contentDigest: Uint8Array) => R,
  replayKey: boolean,
  rawBody: B,
  headers: H,
  secret: unknown,
  options: unknown,
): R | Promise<R> {
  const pending = beginVerificationWith(input, rawBody, headers, secret, options);
  const keys = replayKey ? withReplayDigest(pending.secrets) : pending.secrets;
  const complete = (digests: Uint8Array[]): R => {
    const contentDigest = replayKey ? digests.pop() : undefined;
    return finish(completeVerification(pending, digests, provider?.equal ?? constantTimeEqual), contentDigest as Uint8Array);
  };
  // No decodable candidate: a mismatch whatever the HMAC, so none is computed.
  if (!needsDigests(pending)) return complete([]);
  if (provider !== undefined) return complete(provider.digests(keys, pending.prefix, pending.body));
  return webCryptoDigests(keys, signedBytes(pending.prefix, pending.body)).then(complete);
}

const eventOf = (verified: VerifiedEvent): KnoxWebhookEvent => verified.event;
const asIs = (verified: VerifiedEvent): VerifiedEvent => verified;

/** @internal The Web Crypto path alone, whatever is installed (tests prove it agrees). */
export async function verifyWithWebCrypto(rawBody: unknown, headers: unknown, secret: unknown, options: unknown): Promise<VerifiedEvent> {
  return verifyWith(undefined, CALLER_INPUT, asIs, false, rawBody, headers, secret, options);
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
  return verifyWith(syncHmacProvider, CALLER_INPUT, eventOf, false, rawBody, headers, secret, options);
}

/**
 * Like `constructWebhookEventAsync`, plus what replay protection needs: a key derived from
 * what the sender signed (the same for every copy of a delivery, whichever signature
 * matched) and the TTL that covers the tolerance window. Framework adapters
 * use this.
 */
export async function verifyWebhook(
  rawBody: WebhookRawBody,
  headers: WebhookHeaders,
  secret: WebhookSecret,
  options?: ConstructEventOptions,
): Promise<VerifiedWebhook> {
  return verifyWith(syncHmacProvider, CALLER_INPUT, toVerifiedWebhook, true, rawBody, headers, secret, options);
}

/**
 * @internal The adapter kit's verifier (adapter/verify-delivery.ts), whose body is always the
 * received bytes and whose headers are the framework's: same results as `verifyWebhook`,
 * without the input conversions the public functions need for arbitrary input. Unlike the
 * public functions it answers synchronously — a value, or a throw — where node:crypto is
 * installed (the webhook processor awaits it inside a try either way), so a Node delivery
 * makes no promise here; elsewhere it returns Web Crypto's promise.
 */
export function verifyWebhookBytes(
  body: Uint8Array,
  headers: ReceivedHeaders,
  secret: WebhookSecret,
  options?: ConstructEventOptions,
): VerifiedWebhook | Promise<VerifiedWebhook> {
  return verifyWith(syncHmacProvider, RECEIVED_INPUT, toVerifiedWebhook, true, body, headers, secret, options);
}

/** Verified, with no replay key: the caller keeps no replay store, so nothing reads one. */
const withoutReplayKey = (verified: VerifiedEvent): VerifiedWebhook => ({
  event: verified.event,
  replayKey: '',
  replayTtlSeconds: 0,
  format: verified.options.format,
});

/**
 * @internal `verifyWebhookBytes` for an adapter without a replay store: the same checks, one
 * HMAC fewer per delivery (the content digest only a replay key needs).
 */
export function verifyWebhookBytesWithoutReplayKey(
  body: Uint8Array,
  headers: ReceivedHeaders,
  secret: WebhookSecret,
  options?: ConstructEventOptions,
): VerifiedWebhook | Promise<VerifiedWebhook> {
  return verifyWith(syncHmacProvider, RECEIVED_INPUT, withoutReplayKey, false, body, headers, secret, options);
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
