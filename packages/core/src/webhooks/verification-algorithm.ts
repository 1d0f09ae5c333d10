/**
 * The one verification algorithm (contract webhooks.md §4) shared by the synchronous Node
 * verifier and the asynchronous Web Crypto verifier. Only the HMAC and the constant-time
 * byte comparison differ between them, so the work is split around those two steps:
 *
 *   beginVerification   options → secret → body → headers → the signed message and the
 *                       received candidate signatures           (pure, may throw)
 *   <provider>          one HMAC-SHA256 per secret over prefix + body   (sync or async)
 *   completeVerification  constant-time match of every (secret, candidate) pair → header
 *                       timestamp → JSON → envelope timestamp  (pure, may throw)
 *
 * Both verifiers therefore return the same event or throw the same error (class, message
 * and code) for the same input; every error is a `WebhookSignatureVerificationError`.
 */
import type { KnoxWebhookEvent } from './event-types.js';
import { CALLER_INPUT } from './caller-input.js';
import { type HeaderMap, readWebhookHeader } from '../http/headers.js';
import { diagnoseMissingHeader } from './mismatch-diagnosis.js';
import { bodyText, type RawBody } from './raw-body.js';
import { asciiBytes, decodeHex, encodeBase64 } from './signature-encoding.js';
import { parseDigitsTimestamp, parseEnvelopeTimestamp, withinTolerance } from './timestamps.js';
import {
  envelopeTimestampInvalidError,
  malformedError,
  missingHeaderError,
  notJsonError,
  notJsonObjectError,
  outsideToleranceError,
  signatureMismatchError,
} from './verification-errors.js';
import { nowSeconds, type ResolvedOptions, resolveOptions, resolveSecrets, SLACK_TIMESTAMP_HEADER } from './verify-options.js';

const DIGEST_BYTES = 32;

/** Everything needed to finish a verification once the HMACs are known. */
export interface PendingVerification {
  readonly options: ResolvedOptions;
  readonly secrets: readonly string[];
  readonly body: RawBody;
  /** ASCII text signed before the body (`<t>.` for stripe, `v0:<ts>:` for slack, else ''). */
  readonly prefix: string;
  /**
   * The received signatures as the bytes to compare: 32 decoded bytes for hex formats, the
   * ASCII of the base64 text for aws-sns. Undecodable values are left out ("no match").
   */
  readonly candidates: readonly Uint8Array[];
  /** stripe `t` / slack timestamp exactly as written, checked only after the signature. */
  readonly headerTimestamp: string | undefined;
}

/** Constant-time equality of two byte strings (a length difference is just "not equal"). */
export type ConstantTimeEqual = (expected: Uint8Array, received: Uint8Array) => boolean;

export interface VerifiedEvent {
  readonly event: KnoxWebhookEvent;
  /** The HMAC that matched a received signature. */
  readonly matchedDigest: Uint8Array;
  readonly options: ResolvedOptions;
}

/**
 * The decodable ones of `values`, each after the optional `prefix` (any case). Decoded in
 * place: read through a substring, the 64 hex digits cost V8 about as much again.
 */
function hexCandidates(values: readonly string[], prefix: string): Uint8Array[] {
  const decoded: Uint8Array[] = [];
  for (const value of values) {
    const bytes = decodeHex(value, DIGEST_BYTES, value.slice(0, prefix.length).toLowerCase() === prefix ? prefix.length : 0);
    if (bytes !== undefined) decoded.push(bytes);
  }
  return decoded;
}

interface StripeHeader {
  timestamp: string | undefined;
  signatures: string[];
}

function parseStripeHeader(value: string): StripeHeader {
  const parsed: StripeHeader = { timestamp: undefined, signatures: [] };
  for (const rawPart of value.split(',')) {
    const part = rawPart.trim();
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    const partValue = part.slice(eq + 1);
    if (partValue === '') continue;
    if (key === 't') parsed.timestamp = partValue;
    else if (key === 'v1') parsed.signatures.push(partValue);
  }
  return parsed;
}

function missingHeader(headers: HeaderMap, name: string): never {
  throw missingHeaderError(name, diagnoseMissingHeader(headers, name));
}

/**
 * How a public verifier takes its body and headers: any shape (CALLER_INPUT,
 * caller-input.ts). Adapters pass the bytes they read and their framework's headers to
 * `beginResolvedVerification` (verify-async.ts), so their bundles skip the conversions.
 */
export interface VerifierInput<B, H> {
  body(rawBody: B): RawBody;
  headers(headers: H): HeaderMap;
}

/** Validates the inputs and reads the signature material; throws on any failure before crypto. */
export function beginVerification(rawBody: unknown, headers: unknown, secret: unknown, options: unknown): PendingVerification {
  return beginVerificationWith(CALLER_INPUT, rawBody, headers, secret, options);
}

/** `beginVerification` for input of a known kind (see VerifierInput). */
export function beginVerificationWith<B, H>(input: VerifierInput<B, H>, rawBody: B, headers: H, secret: unknown, options: unknown): PendingVerification {
  // In this order: a bad option is reported before a bad secret, a bad secret before a bad body.
  return beginResolvedVerification(resolveOptions(options), resolveSecrets(secret), input.body(rawBody), input.headers(headers));
}

/**
 * The verification's start once its input is checked: options resolved, secrets checked,
 * body and headers in the verifier's form. Adapters come here directly (verify-async.ts):
 * they resolve their options and a static secret at setup, and wrap the headers once.
 */
export function beginResolvedVerification(resolved: ResolvedOptions, secrets: readonly string[], body: RawBody, headerMap: HeaderMap): PendingVerification {
  const signature = readWebhookHeader(headerMap, resolved.signatureHeader);
  if (signature === undefined) {
    // A custom header name that is one of the secrets (arguments mixed up) is not echoed.
    const shown = secrets.some((s) => s.toLowerCase() === resolved.signatureHeader) ? '<not shown>' : resolved.signatureHeader;
    missingHeader(headerMap, shown);
  }

  // null (present but unusable) counts as no candidate: a mismatch, never an exception.
  const value = signature ?? undefined;
  // Defaults: nothing signed before the body, no candidate (a mismatch), no header timestamp.
  let prefix = '';
  let candidates: Uint8Array[] = [];
  let headerTimestamp: string | undefined;
  switch (resolved.format) {
    case 'aws-sns':
      if (value !== undefined) candidates = [asciiBytes(value)];
      break;
    case 'stripe': {
      if (value === undefined) break;
      const stripe = parseStripeHeader(value);
      if (stripe.timestamp === undefined || stripe.signatures.length === 0) throw malformedError('Stripe-Signature header');
      prefix = `${stripe.timestamp}.`;
      candidates = hexCandidates(stripe.signatures, '');
      headerTimestamp = stripe.timestamp;
      break;
    }
    case 'slack': {
      const timestamp = readWebhookHeader(headerMap, SLACK_TIMESTAMP_HEADER);
      if (timestamp === undefined) missingHeader(headerMap, SLACK_TIMESTAMP_HEADER);
      if (timestamp === null || value === undefined) break;
      prefix = `v0:${timestamp}:`;
      candidates = hexCandidates([value], 'v0=');
      headerTimestamp = timestamp;
      break;
    }
    default: // legacy, github, custom
      if (value !== undefined) candidates = hexCandidates([value], 'sha256=');
  }
  // One object shape for every format.
  return { options: resolved, secrets, body, prefix, candidates, headerTimestamp };
}

/** Whether any HMAC must be computed (no decodable candidate means a mismatch regardless). */
export function needsDigests(pending: PendingVerification): boolean {
  return pending.candidates.length > 0;
}

/**
 * Compares every digest with every candidate — no early exit, so the time taken does not
 * reveal which secret or which `v1` matched — and returns the digest that matched.
 */
function findMatch(pending: PendingVerification, digests: readonly Uint8Array[], equal: ConstantTimeEqual): Uint8Array | undefined {
  let matched: Uint8Array | undefined;
  const base64 = pending.options.format === 'aws-sns';
  for (const digest of digests) {
    const expected = base64 ? asciiBytes(encodeBase64(digest)) : digest;
    for (const candidate of pending.candidates) {
      if (equal(expected, candidate)) matched = digest;
    }
  }
  return matched;
}

/** Throws `invalid()` when the timestamp (Unix seconds) is unreadable, and when it is outside the window. */
function checkFresh(pending: PendingVerification, timestamp: number | undefined, tolerance: number, invalid: () => Error): void {
  if (timestamp === undefined) throw invalid();
  if (!withinTolerance(timestamp, nowSeconds(pending.options.nowMs), tolerance)) throw outsideToleranceError();
}

function parseEvent(body: RawBody): Record<string, unknown> {
  const text = bodyText(body);
  if (text === undefined) throw notJsonError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw notJsonError();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw notJsonObjectError(`got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}

/** Finishes a verification with one digest per secret (in `pending.secrets` order). */
export function completeVerification(pending: PendingVerification, digests: readonly Uint8Array[], equal: ConstantTimeEqual): VerifiedEvent {
  const matchedDigest = findMatch(pending, digests, equal);
  if (matchedDigest === undefined) throw signatureMismatchError(pending.body.mismatchHint?.());

  const { format, toleranceSeconds } = pending.options;
  const headerTimestamped = format === 'stripe' || format === 'slack';
  if (toleranceSeconds !== null && headerTimestamped) {
    const what = format === 'stripe' ? 'Stripe-Signature timestamp' : 'X-Slack-Request-Timestamp header';
    checkFresh(pending, parseDigitsTimestamp(pending.headerTimestamp), toleranceSeconds, () => malformedError(what));
  }
  const event = parseEvent(pending.body);
  if (toleranceSeconds !== null && !headerTimestamped) {
    checkFresh(pending, parseEnvelopeTimestamp(event.timestamp), toleranceSeconds, envelopeTimestampInvalidError);
  }
  return { event: event as unknown as KnoxWebhookEvent, matchedDigest, options: pending.options };
}
