import { WebhookSignatureVerificationError } from '@knoxcall/core';
import { type KnoxWebhookError, payloadTooLargeError, readHeader, unsupportedMediaTypeError } from '@knoxcall/core/adapter';
import type { FastifyRequest } from 'fastify';

/** A webhook failure as Fastify throws it: core's error, plus the `statusCode` Fastify answers with. */
export type KnoxWebhookFastifyError = KnoxWebhookError & { statusCode: number };

/**
 * Gives core's webhook error the contract's status as `statusCode`, so Fastify's default
 * error handler answers `{ statusCode, code, error, message }` with `code` = the contract's
 * code, and an app's own error handler (or `knoxErrorHandler()`) sees the typed error.
 */
export function asFastifyError(error: KnoxWebhookError, status: number): KnoxWebhookFastifyError {
  Object.defineProperty(error, 'statusCode', { value: status, writable: true, configurable: true, enumerable: false });
  return error as KnoxWebhookFastifyError;
}

/**
 * Fastify rejects some deliveries itself, before the webhook route runs (a body over the
 * route's bodyLimit, a malformed Content-Type, a body shorter than its Content-Length):
 * the contract's error for each, or undefined for anything else.
 */
export function translateFastifyBodyError(error: { code?: unknown }, request: FastifyRequest, maxBodyBytes: number): KnoxWebhookFastifyError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return asFastifyError(payloadTooLargeError(maxBodyBytes), 413);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return asFastifyError(unsupportedMediaTypeError(readHeader(request.headers, 'content-type') ?? ''), 415);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return asFastifyError(new WebhookSignatureVerificationError('the webhook request body does not match its Content-Length', 'invalid_payload'), 400);
    default:
      return undefined;
  }
}
