import type { WebhookErrorCode } from '../errors.js';

/** Every `WebhookErrorCode`, for recognising webhook failures by code across builds. */
export const WEBHOOK_ERROR_CODES: ReadonlySet<string> = new Set<WebhookErrorCode>([
  'missing_header',
  'malformed_header',
  'invalid_payload',
  'signature_mismatch',
  'timestamp_out_of_tolerance',
  'invalid_configuration',
  'payload_too_large',
  'unsupported_media_type',
  'raw_body_unavailable',
]);
