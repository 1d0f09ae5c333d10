/**
 * Replay protection for webhook receivers. A delivery is identified by what the sender
 * SIGNED — the signed bytes with their timestamp — never by an unsigned header such as
 * X-Webhook-ID that anyone could change, and never by which of several secrets matched: a
 * rotation delivery carries one signature per secret, and a copy with one of them removed is
 * still the same delivery, with the same key.
 *
 * A key goes through two states. "In progress" is a lease taken before the handlers run; it
 * expires on its own (`leaseSeconds`), so a process that dies mid-handler does not swallow
 * the delivery. "Done" is recorded only once the handlers succeeded, and lasts the replay
 * window. Adapters (through core's webhook processor): verify → `begin(key, leaseSeconds)`:
 * - `'claimed'`: run the handlers, then `complete(key, ttlSeconds)` on success or
 *   `release(key)` on failure (so that the sender's retry is processed);
 * - `'in_progress'`: answer a retryable 409 (another attempt is still running — it may yet fail);
 * - `'done'`: answer 200 duplicate without running handlers.
 */
import type { KnoxWebhookEvent } from './event-types.js';
import { encodeHex } from './signature-encoding.js';
import type { VerifiedEvent } from './verification-algorithm.js';
import type { WebhookHmacFormat } from './verify-options.js';

/** What `ReplayStore.begin` found: the key is now ours, someone else's live lease, or processed. */
export type ReplayClaimState = 'claimed' | 'in_progress' | 'done';

/** What every store operation receives: aborted when the operation's deadline passed. */
export interface ReplayStoreCallOptions {
  signal?: AbortSignal | undefined;
}

/**
 * Where replay keys live: `MemoryReplayStore` (one process), `RedisReplayStore` (shared), or
 * your own. A custom store must make `begin` atomic (two concurrent calls for one key: at
 * most one gets `'claimed'`), let a lease lapse after `leaseSeconds` (an expired lease counts
 * as absent), keep a done marker for `ttlSeconds`, and never let `release` remove a done
 * marker. Each call runs under a deadline (`replayStoreTimeoutMs`); `options.signal` aborts
 * when it passed.
 */
export interface ReplayStore {
  /**
   * Atomically: nothing live under `key` → record an in-progress lease for `leaseSeconds`
   * and resolve `'claimed'`; a live lease → `'in_progress'`; a done marker → `'done'`.
   */
  begin(key: string, leaseSeconds: number, options?: ReplayStoreCallOptions): Promise<ReplayClaimState>;
  /** The handlers succeeded: replace the lease with a done marker kept for `ttlSeconds`. */
  complete(key: string, ttlSeconds: number, options?: ReplayStoreCallOptions): Promise<void>;
  /** The handlers failed: drop the lease (never a done marker) so that a retry is processed. */
  release(key: string, options?: ReplayStoreCallOptions): Promise<void>;
}

/** A verified delivery with what replay protection needs. */
export interface VerifiedWebhook<E extends KnoxWebhookEvent = KnoxWebhookEvent> {
  readonly event: E;
  /** Derived from what the sender signed (`sha256:<hex>`), whichever secret or signature matched. */
  readonly replayKey: string;
  /** How long the done marker must be kept: covers the whole tolerance window (see `replayTtlSeconds`). */
  readonly replayTtlSeconds: number;
  readonly format: WebhookHmacFormat;
}

/**
 * The key under which the content digest of a delivery is computed: an HMAC keyed with this
 * fixed, public string is a plain (domain-separated) hash of the signed bytes — the same for
 * every receiver and every secret, and computed by the same HMAC code as the signatures.
 */
export const REPLAY_KEY_NAMESPACE = 'knoxcall/webhook-replay-key/v1';

/**
 * When the timestamp check is off nothing bounds how long a captured delivery stays valid;
 * keys are then kept for a day (best effort, stated in the docs).
 */
export const REPLAY_TTL_WITHOUT_TOLERANCE_SECONDS = 86_400;

/**
 * A delivery signed at `t` is accepted while `|now − t| ≤ tolerance`, i.e. for up to
 * 2 × tolerance after the earliest moment it can first arrive; one extra second absorbs
 * whole-second rounding.
 */
export function replayTtlSeconds(toleranceSeconds: number | null | undefined): number {
  const tolerance = toleranceSeconds === undefined ? 300 : toleranceSeconds;
  if (tolerance === null || !(tolerance > 0) || !Number.isFinite(tolerance)) return REPLAY_TTL_WITHOUT_TOLERANCE_SECONDS;
  return Math.ceil(2 * tolerance) + 1;
}

/** The replay key of a verified delivery. */
export function replayKeyFor(verified: Pick<VerifiedWebhook, 'replayKey'>): string {
  return verified.replayKey;
}

/** The secrets to compute HMACs with when a replay key is wanted: the content digest comes last. */
export function withReplayDigest(secrets: readonly string[]): readonly string[] {
  return [...secrets, REPLAY_KEY_NAMESPACE];
}

/**
 * @internal What `verifyWebhook` / `verifyWebhookSync` return for a verified event;
 * `contentDigest` is the HMAC under REPLAY_KEY_NAMESPACE of the signed prefix and body.
 */
export function toVerifiedWebhook(verified: VerifiedEvent, contentDigest: Uint8Array): VerifiedWebhook {
  return {
    event: verified.event,
    replayKey: `sha256:${encodeHex(contentDigest)}`,
    replayTtlSeconds: replayTtlSeconds(verified.options.toleranceSeconds),
    format: verified.options.format,
  };
}
