/**
 * Public option types of the verifier and their validation (contract webhooks.md §4 step 1:
 * options are validated before any header is read).
 */
import { headerNameRequiredError, invalidOptionsError, invalidToleranceError, secretRequiredError, unknownFormatError } from './verification-errors.js';

export type WebhookHmacFormat = 'legacy' | 'stripe' | 'github' | 'slack' | 'aws-sns' | 'custom';

/** One secret, or several during a rotation (any one may match; all are always tried). */
export type WebhookSecret = string | readonly string[];

/** The exact bytes received: a string (UTF-8 encoded), Buffer/Uint8Array, ArrayBuffer or DataView. */
export type WebhookRawBody = string | Uint8Array | ArrayBuffer | DataView;

/**
 * Request headers: a WHATWG `Headers`, a plain object with names in any case, an iterable
 * of `[name, value]` pairs (e.g. a `Map`), or Node's flat `rawHeaders` array.
 */
export type WebhookHeaders =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string | readonly string[] | undefined]>
  | readonly string[];

export interface ConstructEventOptions {
  /** Signature format of the webhook (`hmac_format`); default `"legacy"`. */
  format?: WebhookHmacFormat | undefined;
  /** The signature header for `format: "custom"` (the webhook's `hmac_header_name`); ignored otherwise. */
  headerName?: string | undefined;
  /**
   * Replay window in seconds, applied to stale and future timestamps alike. Default 300;
   * `null` or `0` turns every timestamp check off; negative or non-finite values are a
   * configuration error.
   */
  toleranceSeconds?: number | null | undefined;
  /**
   * The clock, in epoch MILLISECONDS (the shape of `Date.now`, which is the default).
   * Only whole seconds are used.
   */
  now?: (() => number) | undefined;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface ResolvedOptions {
  readonly format: WebhookHmacFormat;
  /** Lower-case name of the header that carries the signature. */
  readonly signatureHeader: string;
  /** null = timestamp checks off. */
  readonly toleranceSeconds: number | null;
  readonly nowMs: () => number;
}

/** The signature header of every format but `custom` (whose header is `headerName`). */
export const SIGNATURE_HEADERS: Readonly<Record<Exclude<WebhookHmacFormat, 'custom'>, string>> = {
  legacy: 'x-webhook-signature',
  stripe: 'stripe-signature',
  github: 'x-hub-signature-256',
  slack: 'x-slack-signature',
  'aws-sns': 'x-amz-sns-signature',
};

/** Every format, derived from the table above so the two cannot disagree. */
export const WEBHOOK_HMAC_FORMATS: readonly WebhookHmacFormat[] = Object.freeze([...(Object.keys(SIGNATURE_HEADERS) as WebhookHmacFormat[]), 'custom']);

export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';

function isFormat(value: unknown): value is WebhookHmacFormat {
  return value === 'custom' || (typeof value === 'string' && Object.hasOwn(SIGNATURE_HEADERS, value));
}

/** `undefined` → default; `null`/0 → off; finite > 0 → window; anything else throws. */
export function resolveTolerance(value: unknown): number | null {
  if (value === undefined) return DEFAULT_TOLERANCE_SECONDS;
  if (value === null || value === 0) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidToleranceError();
  return value;
}

/** What a broken `now` option is told: not a function, throwing, or returning something else. */
const BAD_CLOCK = '`now` must be a function returning epoch milliseconds, like Date.now';

/**
 * The one resolution of the verifier's options, used by every public verifier and by the
 * adapters' setup (so a misconfiguration fails there, with the same error); adapters then
 * hand the resolved options to the verifier per delivery (`verifyReceivedDelivery`).
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options !== undefined && options !== null && typeof options !== 'object') {
    throw invalidOptionsError(`expected an options object, got ${typeof options}`);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  const format = given.format === undefined ? 'legacy' : given.format;
  if (!isFormat(format)) throw unknownFormatError(format, WEBHOOK_HMAC_FORMATS);

  let signatureHeader: string;
  if (format === 'custom') {
    const headerName = given.headerName;
    if (typeof headerName !== 'string' || headerName.trim() === '') throw headerNameRequiredError();
    signatureHeader = headerName.trim().toLowerCase();
  } else {
    signatureHeader = SIGNATURE_HEADERS[format];
  }

  const toleranceSeconds = resolveTolerance(given.toleranceSeconds);

  const now = given.now;
  if (now !== undefined && typeof now !== 'function') {
    throw invalidOptionsError(BAD_CLOCK);
  }
  return { format, signatureHeader, toleranceSeconds, nowMs: (now as (() => number) | undefined) ?? Date.now };
}

/**
 * What is wrong with a secret option (undefined when it is usable): it must be a non-empty
 * string, or a non-empty array of them during a rotation.
 */
export function secretProblem(secret: unknown): string | undefined {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (Array.isArray(secrets) && secrets.length > 0 && secrets.every((s) => typeof s === 'string' && s !== '')) return undefined;
  let got: string;
  if (secret === '') got = 'an empty string';
  else if (Array.isArray(secret)) got = secret.length === 0 ? 'an empty array' : 'an array with an empty or non-string entry';
  else got = secret === null ? 'null' : typeof secret;
  return `got ${got}; pass the webhook's signing secret (a non-empty string, an array of them while rotating)`;
}

/** The candidate secrets, or a configuration error (never an HMAC with an empty key). */
export function resolveSecrets(secret: unknown): readonly string[] {
  const problem = secretProblem(secret);
  if (problem !== undefined) throw secretRequiredError(problem);
  return typeof secret === 'string' ? [secret] : (secret as readonly string[]);
}

/** Whole Unix seconds from the injected clock; a broken clock is a configuration error. */
export function nowSeconds(nowMs: () => number): number {
  let value: unknown;
  try {
    value = nowMs();
  } catch {}
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidOptionsError(BAD_CLOCK);
  return Math.floor(value / 1000);
}
