import { WEBHOOK_ERROR_CODES } from './webhook-error-codes.js';
import { errorKindOf } from '../error-kind.js';
import { type KnoxCallError, type WebhookErrorCode, isKnoxCallError, webhookErrorStatus } from '../errors.js';

/** What an app answers when a KnoxCall call inside one of its handlers failed. */
export interface KnoxErrorResponse {
  status: number;
  /** Extra response headers (e.g. `Retry-After`); the adapter adds the JSON Content-Type. */
  headers: Record<string, string>;
  body: KnoxErrorResponseBody;
}

export interface KnoxErrorResponseBody {
  error: {
    type: string;
    message: string;
    /** KnoxCall's request id, for support and log correlation; absent when none was received. */
    request_id?: string;
    /** Per-field messages of a 422, as KnoxCall returned them. */
    fields?: Record<string, string[]>;
  };
}

/**
 * Maps an error thrown by the KnoxCall client to the HTTP answer the app should give its
 * own caller (ARCHITECTURE, "KnoxCall errors in the app's own handlers"). KnoxCall is a
 * dependency of the app, so its credential and availability problems are the app's
 * upstream failures (502/503/504), while "not found", "conflict" and "invalid" pass
 * through. Messages for credential and server failures are fixed texts, so nothing
 * KnoxCall said about our credential reaches the end user; none carries a secret.
 *
 * Returns undefined for anything that is not a KnoxCall error, so the framework's own
 * error handling deals with it.
 */
export function knoxErrorToResponse(err: unknown): KnoxErrorResponse | undefined {
  if (!isKnoxCallError(err)) return undefined;
  const requestId = err.requestId;
  const answer = (status: number, type: string, message: string, headers: Record<string, string> = {}): KnoxErrorResponse => ({
    status,
    headers,
    body: { error: { type, message, ...(requestId !== undefined ? { request_id: requestId } : {}) } },
  });

  if (isWebhookError(err)) {
    return answer(webhookErrorStatus(err.code), err.code, err.message);
  }
  const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if ((err.code === 'delivery_in_progress' || err.code === 'replay_store_unavailable') && typeof retryAfter === 'number') {
    // A webhook delivery to retry later (WebhookRetryLaterError): 409 or 503, never a 2xx.
    const status = err.code === 'delivery_in_progress' ? 409 : 503;
    return answer(status, err.code, err.message, { 'retry-after': String(retryAfter) });
  }
  if (err.code === 'handler_failed' && err.status === undefined) {
    // A webhook handler failed (WebhookHandlerError): 500 so that KnoxCall retries.
    return answer(500, 'handler_failed', err.message);
  }
  // A Symbol.for brand set by the constructors, neither instanceof (the ESM and CJS builds
  // each define their own classes) nor class names (a minifying bundler renames them).
  const kind = errorKindOf(err);
  if (kind === 'abort') {
    // The app's own caller went away (or the app aborted); nobody reads this answer, but
    // logs should not show it as a KnoxCall outage. 499 is the de-facto "client closed".
    return answer(499, 'request_aborted', 'the request to KnoxCall was aborted');
  }
  if (kind === 'timeout') {
    return answer(504, 'knoxcall_timeout', 'KnoxCall did not answer in time');
  }
  if (kind === 'connection') {
    return answer(502, 'knoxcall_unreachable', 'KnoxCall could not be reached');
  }

  const status = err.status;
  if (status === undefined) {
    // Client-side misuse or missing credentials: the app is misconfigured.
    return answer(500, 'knoxcall_configuration_error', 'the KnoxCall client is misconfigured; see the server logs');
  }
  if (status === 401 || status === 403) {
    return answer(502, 'knoxcall_credentials_rejected', "KnoxCall rejected this service's credentials");
  }
  if (status === 404 || status === 409) {
    return answer(status, err.code ?? (status === 404 ? 'not_found' : 'conflict'), err.message);
  }
  if (status === 422) {
    const fields = (err as { fields?: unknown }).fields;
    const response = answer(422, err.code ?? 'validation_error', err.message);
    if (isFieldMap(fields) && Object.keys(fields).length > 0) response.body.error.fields = fields;
    return response;
  }
  if (status === 429) {
    const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
    const headers: Record<string, string> =
      typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0 ? { 'Retry-After': String(Math.ceil(retryAfter)) } : {};
    return answer(503, 'knoxcall_rate_limited', 'KnoxCall is rate limiting this service; retry later', headers);
  }
  if (status >= 500) {
    return answer(502, 'knoxcall_unavailable', 'KnoxCall failed to process the request');
  }
  // Any other status (400, 402, 405, …) describes a request this app built, not one its
  // caller can fix. A 2xx or 3xx lands here too (the SDK's `invalid_response` and
  // `unexpected_redirect`): KnoxCall did not refuse anything then, so say what happened.
  return answer(502, 'knoxcall_request_failed', requestFailedMessage(status, err.code));
}

function requestFailedMessage(status: number, code: string | undefined): string {
  if (code === 'unexpected_redirect' || (status >= 300 && status < 400)) {
    return `KnoxCall answered with a redirect, which the SDK does not follow (HTTP ${status})`;
  }
  if (code === 'invalid_response' || (status >= 200 && status < 300)) {
    return `KnoxCall answered with an unreadable response (HTTP ${status})`;
  }
  return `KnoxCall refused the request (HTTP ${status})`;
}

/** A webhook failure describes no HTTP response we received: no status, a webhook code. */
function isWebhookError(err: KnoxCallError): err is KnoxCallError & { code: WebhookErrorCode } {
  return err.status === undefined && typeof err.code === 'string' && WEBHOOK_ERROR_CODES.has(err.code);
}

function isFieldMap(value: unknown): value is Record<string, string[]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'));
}
