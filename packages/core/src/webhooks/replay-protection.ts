/**
 * Replay protection for webhook receivers. A delivery is identified by the signature that
 * VERIFIED (the HMAC that matched), never by an unsigned header such as X-Webhook-ID that
 * anyone could change; a replayed request carries the same signed bytes and so the same key.
 *
 * Adapters: verify → `claim(replayKey, replayTtlSeconds)` → false: answer 200 duplicate
 * without running handlers; true: run handlers, and `release(replayKey)` if one fails so
 * that the sender's retry is processed.
 */
import type { KnoxWebhookEvent } from './event-types.js';
import { encodeHex } from './signature-encoding.js';
import type { VerifiedEvent } from './verification-algorithm.js';
import type { WebhookHmacFormat } from './verify-options.js';

export interface ReplayStore {
  /** Records `key` for `ttlSeconds`; resolves false when it was already recorded (a replay). */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets `key` (a handler failed, so a retry of the same delivery must be accepted). */
  release(key: string): Promise<void>;
}

/** A verified delivery with what replay protection needs. */
export interface VerifiedWebhook<E extends KnoxWebhookEvent = KnoxWebhookEvent> {
  readonly event: E;
  /** Derived from the verified signature (`sha256:<hex of the matching HMAC>`). */
  readonly replayKey: string;
  /** How long the key must be kept: covers the whole tolerance window (see `replayTtlSeconds`). */
  readonly replayTtlSeconds: number;
  readonly format: WebhookHmacFormat;
}

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

/** @internal What `verifyWebhook` / `verifyWebhookSync` return for a verified event. */
export function toVerifiedWebhook(verified: VerifiedEvent): VerifiedWebhook {
  return {
    event: verified.event,
    replayKey: `sha256:${encodeHex(verified.matchedDigest)}`,
    replayTtlSeconds: replayTtlSeconds(verified.options.toleranceSeconds),
    format: verified.options.format,
  };
}
