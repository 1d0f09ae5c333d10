/**
 * The asynchronous verifier: runs on every runtime with `crypto.subtle` (browsers, workers,
 * Deno, Bun, Node). The public functions' failures are always promise rejections, never
 * synchronous throws (each returns the promise of one async function); the boolean check
 * never rejects. (The adapter kit's `verifyReceivedDelivery` is the exception, see there.) Its
 * HMAC is Web Crypto unless node:crypto was installed (hmac-provider.ts) — the results are the same either way.
 */
import type { KnoxWebhookEvent } from './event-types.js';
import { type SyncHmacProvider, syncHmacProvider } from './hmac-provider.js';
import { toVerifiedWebhook, type VerifiedWebhook, withReplayDigest } from './replay-protection.js';
import { CALLER_INPUT } from './caller-input.js';
import type { HeaderMap } from '../http/headers.js';
import { bytesBody } from './raw-body.js';
import { beginSignatureCheck, completeSignatureCheck, type VerifyWebhookSignatureParams } from './signature-check.js';
import {
  beginResolvedVerification,
  beginVerificationWith,
  completeVerification,
  needsDigests,
  type PendingVerification,
  type VerifiedEvent,
} from './verification-algorithm.js';
import type { ConstructEventOptions, ResolvedOptions, WebhookHeaders, WebhookRawBody, WebhookSecret } from './verify-options.js';
import { constantTimeEqual, signedBytes, unshared, webCryptoDigests } from './web-crypto-hmac.js';

/**
 * The verification after its start (`beginVerificationWith` or, for adapters,
 * `beginResolvedVerification`). With a synchronous HMAC (`provider`: node:crypto installed)
 * it returns or throws — no promise; with Web Crypto (`provider` undefined) it returns Web
 * Crypto's promise. `finish` shapes the result; with `replayKey`, one more HMAC is computed:
 * the content digest the replay key is made of (replay-protection.ts), passed to `finish`
 * beside the verified event. The public functions call it inside an `async` function, so
 * their failures are always rejections.
 */
function verifyPending<R>(
  provider: SyncHmacProvider | undefined,
  pending: PendingVerification,
  finish: (verified: VerifiedEvent, contentDigest: Uint8Array) => R,
  replayKey: boolean,
): R | Promise<R> {
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
  return verifyPending(undefined, beginVerificationWith(CALLER_INPUT, rawBody, headers, secret, options), asIs, false);
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
  return verifyPending(syncHmacProvider, beginVerificationWith(CALLER_INPUT, rawBody, headers, secret, options), eventOf, false);
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
  return verifyPending(syncHmacProvider, beginVerificationWith(CALLER_INPUT, rawBody, headers, secret, options), toVerifiedWebhook, true);
}

/** What the webhook processor reads of a verification (the format it knows from its options). */
export type VerifiedDelivery = Pick<VerifiedWebhook, 'event' | 'replayKey' | 'replayTtlSeconds'>;

/** Verified, with no replay key: the caller keeps no replay store, so nothing reads one. */
const withoutReplayKey = (verified: VerifiedEvent): VerifiedDelivery => ({ event: verified.event, replayKey: '', replayTtlSeconds: 0 });

/**
 * @internal The adapter kit's verifier (adapter/verify-delivery.ts): same results as
 * `verifyWebhook` for the received bytes, the framework's headers (wrapped once by the
 * processor, `receivedHeaders`), the options resolved at setup and secrets already checked
 * (`resolveSecrets`) — so a delivery converts and checks nothing twice. Without `replayKey`
 * (no replay store) it skips the HMAC only the replay key needs. Unlike the public functions
 * it answers synchronously — a value, or a throw — where node:crypto is installed, so a Node
 * delivery makes no promise here; elsewhere it returns Web Crypto's promise.
 */
export function verifyReceivedDelivery(
  body: Uint8Array,
  headers: HeaderMap,
  secrets: readonly string[],
  options: ResolvedOptions,
  replayKey: boolean,
): VerifiedDelivery | Promise<VerifiedDelivery> {
  const pending = beginResolvedVerification(options, secrets, bytesBody(body), headers);
  return verifyPending<VerifiedDelivery>(syncHmacProvider, pending, replayKey ? toVerifiedWebhook : withoutReplayKey, replayKey);
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
