/**
 * The older yes/no check (contract webhooks.md §6), shared by `verifyWebhookSignature`
 * (Node, sync) and `verifyWebhookSignatureAsync` (Web Crypto): legacy hex HMAC over the
 * body, an optional `sha256=` prefix, and a replay check only when BOTH `timestamp` and
 * `toleranceSeconds` are given (`0` then means "this very second"). It never throws:
 * malformed input of any kind is simply `false`.
 */
import { toRawBody } from './caller-input.js';
import type { RawBody } from './raw-body.js';
import { decodeHex } from './signature-encoding.js';
import { parseDigitsTimestamp, withinTolerance } from './timestamps.js';
import type { ConstantTimeEqual } from './verification-algorithm.js';
import { resolveSecrets, type WebhookRawBody, type WebhookSecret } from './verify-options.js';

export interface VerifyWebhookSignatureParams {
  rawBody: WebhookRawBody;
  /** The hex signature (`sha256=` prefix, upper case and surrounding spaces accepted). */
  signature: string;
  secret: WebhookSecret;
  /** Unix seconds of the delivery; checked only together with `toleranceSeconds`. */
  timestamp?: number | string | null | undefined;
  /** Seconds; checked only together with `timestamp`; `0` = the current second. */
  toleranceSeconds?: number | null | undefined;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: (() => number) | undefined;
}

export interface PendingSignatureCheck {
  readonly secrets: readonly string[];
  readonly body: RawBody;
  readonly candidate: Uint8Array;
}

function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function timestampSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return parseDigitsTimestamp(value.trim());
  return undefined;
}

function replayCheckPasses(params: Record<string, unknown>): boolean {
  const tolerance = params.toleranceSeconds;
  if (given(tolerance) && (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0)) return false;
  if (given(params.timestamp) && timestampSeconds(params.timestamp) === undefined) return false;
  if (!given(tolerance) || !given(params.timestamp)) return true;
  const clock = params.now === undefined ? Date.now : params.now;
  if (typeof clock !== 'function') return false;
  const nowMs: unknown = clock();
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) return false;
  return withinTolerance(timestampSeconds(params.timestamp)!, Math.floor(nowMs / 1000), tolerance as number);
}

/** The inputs of the HMAC step, or undefined when the answer is already `false`. */
export function beginSignatureCheck(params: unknown): PendingSignatureCheck | undefined {
  try {
    if (typeof params !== 'object' || params === null) return undefined;
    const record = params as Record<string, unknown>;
    if (!replayCheckPasses(record)) return undefined;
    if (typeof record.signature !== 'string') return undefined;
    let signature = record.signature.trim();
    if (signature.slice(0, 7).toLowerCase() === 'sha256=') signature = signature.slice(7);
    const candidate = decodeHex(signature, 32);
    if (candidate === undefined) return undefined;
    return { secrets: resolveSecrets(record.secret), body: toRawBody(record.rawBody), candidate };
  } catch {
    return undefined;
  }
}

/** True when any secret's HMAC equals the candidate (all secrets are always compared). */
export function completeSignatureCheck(pending: PendingSignatureCheck, digests: readonly Uint8Array[], equal: ConstantTimeEqual): boolean {
  let matched = false;
  for (const digest of digests) {
    if (equal(digest, pending.candidate)) matched = true;
  }
  return matched;
}
