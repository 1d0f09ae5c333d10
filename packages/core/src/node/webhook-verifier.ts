/**
 * The synchronous verifier for Node (node:crypto). It shares every step but the HMAC and
 * the byte comparison with the Web Crypto verifier, so both give identical results.
 * Exported from the Node build of `@knoxcall/core` only; the Web build exports stand-ins
 * that explain to use the async variants (web-sync-unavailable.ts). Loading this module
 * also gives the async verifier node:crypto as its HMAC (hmac-provider.ts).
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { KnoxWebhookEvent } from '../webhooks/event-types.js';
import { installSyncHmacProvider } from '../webhooks/hmac-provider.js';
import type { RawBody } from '../webhooks/raw-body.js';
import { SecretKeyCache } from '../webhooks/secret-key-cache.js';
import { toVerifiedWebhook, type VerifiedWebhook, withReplayDigest } from '../webhooks/replay-protection.js';
import { beginSignatureCheck, completeSignatureCheck, type VerifyWebhookSignatureParams } from '../webhooks/signature-check.js';
import { beginVerification, type ConstantTimeEqual, completeVerification, needsDigests, type VerifiedEvent } from '../webhooks/verification-algorithm.js';
import type { ConstructEventOptions, WebhookHeaders, WebhookRawBody, WebhookSecret } from '../webhooks/verify-options.js';

// Preparing the key from a string on every call costs ~20% of a small verification.
const keys = new SecretKeyCache<KeyObject>();
const prepareKey = (secret: string) => createSecretKey(secret, 'utf8');

function nodeDigest(secret: string, prefix: string, body: RawBody): Uint8Array {
  const hmac = createHmac('sha256', keys.get(secret, prepareKey));
  // Two updates rather than one of `prefix + text`: concatenating would copy the body.
  if (prefix !== '') hmac.update(prefix, 'latin1');
  // Strings are hashed as UTF-8, exactly like TextEncoder on the Web Crypto path.
  if (body.text !== undefined) hmac.update(body.text, 'utf8');
  else hmac.update(body.bytes());
  return hmac.digest();
}

function nodeDigests(secrets: readonly string[], prefix: string, body: RawBody): Uint8Array[] {
  if (secrets.length === 1) return [nodeDigest(secrets[0]!, prefix, body)];
  const digests: Uint8Array[] = [];
  for (const secret of secrets) digests.push(nodeDigest(secret, prefix, body));
  return digests;
}

const nodeEqual: ConstantTimeEqual = (expected, received) => expected.length === received.length && timingSafeEqual(expected, received);

// The async verifier computes the same HMAC faster this way on Node (hmac-provider.ts).
installSyncHmacProvider({ digests: nodeDigests, equal: nodeEqual });

function verifyWithNodeCrypto(rawBody: unknown, headers: unknown, secret: unknown, options: unknown): VerifiedEvent {
  const pending = beginVerification(rawBody, headers, secret, options);
  const digests = needsDigests(pending) ? nodeDigests(pending.secrets, pending.prefix, pending.body) : [];
  return completeVerification(pending, digests, nodeEqual);
}

/**
 * Verifies a webhook delivery over the exact bytes received and returns its event,
 * synchronously. Throws `WebhookSignatureVerificationError` (see its `code`).
 */
export function constructWebhookEvent(
  rawBody: WebhookRawBody,
  headers: WebhookHeaders,
  secret: WebhookSecret,
  options?: ConstructEventOptions,
): KnoxWebhookEvent {
  return verifyWithNodeCrypto(rawBody, headers, secret, options).event;
}

/** Synchronous twin of `verifyWebhook`: the event plus its replay key and TTL. */
export function verifyWebhookSync(rawBody: WebhookRawBody, headers: WebhookHeaders, secret: WebhookSecret, options?: ConstructEventOptions): VerifiedWebhook {
  const pending = beginVerification(rawBody, headers, secret, options);
  // One more HMAC, under the replay namespace: the content digest the replay key is made of.
  const digests = needsDigests(pending) ? nodeDigests(withReplayDigest(pending.secrets), pending.prefix, pending.body) : [];
  const contentDigest = digests.pop();
  return toVerifiedWebhook(completeVerification(pending, digests, nodeEqual), contentDigest as Uint8Array);
}

/** The yes/no check of contract §6; returns false for any bad input, never throws. */
export function verifyWebhookSignature(params: VerifyWebhookSignatureParams): boolean {
  try {
    const pending = beginSignatureCheck(params);
    if (pending === undefined) return false;
    return completeSignatureCheck(pending, nodeDigests(pending.secrets, '', pending.body), nodeEqual);
  } catch {
    return false;
  }
}
