import { KnoxCallError, type WebhookErrorCode, WebhookSignatureVerificationError, isKnoxCallError, webhookErrorStatus } from '../errors.js';
import type { WebhookReply } from './webhook-actions.js';

/** The JSON body every adapter answers a failed delivery with (ARCHITECTURE, adapter contract). */
export interface WebhookErrorBody {
  error: { type: string; message: string };
}

/** Thrown when the raw bytes were consumed before verification; `fix` says how to fix it in that framework. */
export function rawBodyUnavailableError(fix: string): WebhookSignatureVerificationError {
  return new WebhookSignatureVerificationError(
    `the raw request body is not available: a body parser read it first, and a re-serialized body cannot be verified. ${fix}`,
    'raw_body_unavailable',
  );
}

export function payloadTooLargeError(maxBodyBytes: number): WebhookSignatureVerificationError {
  return new WebhookSignatureVerificationError(
    `webhook body is larger than maxBodyBytes (${maxBodyBytes} bytes); raise maxBodyBytes for larger deliveries`,
    'payload_too_large',
  );
}

export function unsupportedMediaTypeError(contentType: string, header = 'Type'): WebhookSignatureVerificationError {
  // The received value is echoed only after trimming to a short, printable form: it is
  // attacker-controlled text going into a log line and a response body.
  const shown = contentType.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
  return new WebhookSignatureVerificationError(
    `unsupported webhook Content-${header} '${shown}': KnoxCall sends unencoded application/json`,
    'unsupported_media_type',
  );
}

/** Any `Content-Encoding` but identity: the signature covers the bytes as sent, which are not JSON. */
export function unsupportedContentEncodingError(encoding: string): WebhookSignatureVerificationError {
  return unsupportedMediaTypeError(encoding, 'Encoding');
}

/** Why a delivery is answered "retry later": another attempt holds it, or the replay store did not answer. */
export type WebhookRetryLaterCode = 'delivery_in_progress' | 'replay_store_unavailable';

/**
 * A delivery that cannot be decided now and must be retried: `delivery_in_progress` (409 —
 * another attempt of the same delivery is still being processed, and may yet fail) or
 * `replay_store_unavailable` (503 — the replay store failed or did not answer within
 * `replayStoreTimeoutMs`). Either is answered with `Retry-After: retryAfterSeconds`; never a 2xx,
 * so the sender keeps the delivery.
 */
export class WebhookRetryLaterError extends KnoxCallError {
  declare readonly code: WebhookRetryLaterCode;
  readonly retryAfterSeconds: number;
  constructor(code: WebhookRetryLaterCode, message: string, retryAfterSeconds: number, cause?: unknown) {
    super(message, { code, cause });
    this.retryAfterSeconds = retryAfterSeconds;
  }
  get httpStatus(): number {
    return this.code === 'delivery_in_progress' ? 409 : 503;
  }
}

/**
 * A typed `on` handler (or the code that resolves the secret from the request) threw. The
 * delivery is answered 500 so that KnoxCall retries it; the original error is the `cause`
 * and never reaches the response body.
 */
export class WebhookHandlerError extends KnoxCallError {
  declare readonly code: 'handler_failed';
  declare readonly eventType: string | undefined;
  constructor(cause: unknown, eventType: string | undefined, what?: string) {
    super(`${what ?? `the webhook handler for '${eventType ?? '?'}' failed`}; answering 500 so KnoxCall retries`, { code: 'handler_failed', cause });
    this.eventType = eventType;
  }
  get httpStatus(): number {
    return 500;
  }
}

/** Every error the webhook core reports: a verification/adapter failure, a handler failure, or "retry later". */
export type KnoxWebhookError = WebhookSignatureVerificationError | WebhookHandlerError | WebhookRetryLaterError;

/**
 * The answer to a failed delivery: the error's status, the contract's JSON body, and the
 * extra headers — `Retry-After` for "retry later"; for an oversize body, which was not read to
 * its end (or not at all), `Connection: close` with the rest discarded, instead of leaving it
 * on a keep-alive socket where it would be parsed as the next request.
 */
export function webhookErrorResponse(error: KnoxWebhookError): WebhookReply & { body: WebhookErrorBody; error: KnoxWebhookError } {
  // The error's own httpStatus, not instanceof: the ESM and CJS builds each carry their own classes.
  const retryAfter = (error as Partial<WebhookRetryLaterError>).retryAfterSeconds;
  const oversize = error.code === 'payload_too_large';
  return {
    status: error.httpStatus,
    body: { error: { type: error.code, message: error.message } },
    headers: typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : oversize ? { connection: 'close' } : undefined,
    discardBody: oversize,
    error,
  };
}

/**
 * `error` when it is already a webhook failure (from any copy of core: codes, not
 * instanceof), else a new one with the fallback message and code. The membership test reads
 * core's status table, so the list of codes is not repeated in bundles that reach this.
 */
export function asWebhookError(
  error: unknown,
  fallbackMessage = 'webhook verification failed unexpectedly',
  fallbackCode: WebhookErrorCode = 'invalid_configuration',
): WebhookSignatureVerificationError {
  if (isKnoxCallError(error) && typeof webhookErrorStatus(error.code as WebhookErrorCode) === 'number') {
    return error as WebhookSignatureVerificationError;
  }
  return new WebhookSignatureVerificationError(fallbackMessage, fallbackCode);
}
