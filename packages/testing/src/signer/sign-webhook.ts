import { type WebhookBody, bodyToBytes, describeValue } from './body-bytes.js';
import { toBase64, toLowerHex } from './encoding.js';
import { WEBHOOK_HMAC_FORMATS, type WebhookHmacFormat, isWebhookHmacFormat } from './formats.js';
import { hmacSha256 } from './hmac-sha256.js';

export interface SignWebhookOptions {
  /** The exact body that will be sent: a string (signed as UTF-8) or its bytes. */
  body: WebhookBody;
  /** The webhook's secret; its UTF-8 bytes are the HMAC key, as-is (`whsec_` included). */
  secret: string;
  format: WebhookHmacFormat;
  /** The header that carries the signature for `custom` (the webhook's `hmac_header_name`). Ignored otherwise. */
  headerName?: string;
  /**
   * Unix seconds for the signed timestamp of `stripe` (`t=`) and `slack`
   * (`X-Slack-Request-Timestamp`); defaults to now. A string is written verbatim, which
   * lets a test produce a delivery with a malformed timestamp (e.g. `t=abc`). The other
   * formats sign no timestamp: their replay check reads the body's `timestamp` member.
   */
  timestamp?: number | string;
}

/** Header names exactly as KnoxCall sends them (contract/webhooks.md §3). */
export const WEBHOOK_SIGNATURE_HEADERS = {
  legacy: 'X-Webhook-Signature',
  github: 'X-Hub-Signature-256',
  stripe: 'Stripe-Signature',
  slack: 'X-Slack-Signature',
  slackTimestamp: 'X-Slack-Request-Timestamp',
  'aws-sns': 'x-amz-sns-signature',
} as const;

// RFC 9110 token characters: anything else cannot be sent as a header name.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A timestamp string goes into a header value (and, for stripe, a comma-separated list).
const TIMESTAMP_TEXT = /^[\x21-\x2b\x2d-\x7e]+$/;
const ascii = new TextEncoder();

/**
 * Signs a webhook body the way the KnoxCall server does and returns the delivery's
 * signature header(s), e.g. `{ 'X-Webhook-Signature': 'sha256=…' }` for `legacy` or both
 * `X-Slack-Signature` and `X-Slack-Request-Timestamp` for `slack`.
 *
 * Independent of `@knoxcall/core`'s verifier on purpose: tests that sign here and verify
 * there cannot share one bug. Runs on any runtime with Web Crypto.
 */
export async function signWebhook(options: SignWebhookOptions): Promise<Record<string, string>> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`signWebhook expects an options object { body, secret, format }, got ${describeValue(options)}`);
  }
  const { format, secret, headerName } = options;
  if (!isWebhookHmacFormat(format)) {
    throw new TypeError(
      `signWebhook: unknown webhook signature format ${typeof format === 'string' ? JSON.stringify(format) : describeValue(format)}; ` +
        `use one of ${WEBHOOK_HMAC_FORMATS.join(', ')}`,
    );
  }
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError('signWebhook: `secret` must be a non-empty string (the webhook secret_key)');
  }
  if (format === 'custom') {
    if (typeof headerName !== 'string' || headerName.length === 0) {
      throw new TypeError('signWebhook: `headerName` is required when format is "custom" (the webhook\'s hmac_header_name, e.g. "X-Acme-Signature")');
    }
    if (!HEADER_NAME.test(headerName)) {
      throw new TypeError(`signWebhook: headerName ${JSON.stringify(headerName)} is not a valid HTTP header name`);
    }
  }
  const timestamp = timestampText(options.timestamp);
  const body = bodyToBytes(options.body, 'signWebhook: `body`');

  switch (format) {
    case 'legacy':
      return { [WEBHOOK_SIGNATURE_HEADERS.legacy]: `sha256=${toLowerHex(await hmacSha256(secret, body))}` };
    case 'github':
      return { [WEBHOOK_SIGNATURE_HEADERS.github]: `sha256=${toLowerHex(await hmacSha256(secret, body))}` };
    case 'custom':
      return { [headerName as string]: `sha256=${toLowerHex(await hmacSha256(secret, body))}` };
    case 'aws-sns':
      return { [WEBHOOK_SIGNATURE_HEADERS['aws-sns']]: toBase64(await hmacSha256(secret, body)) };
    case 'stripe': {
      const digest = await hmacSha256(secret, ascii.encode(`${timestamp}.`), body);
      return { [WEBHOOK_SIGNATURE_HEADERS.stripe]: `t=${timestamp},v1=${toLowerHex(digest)}` };
    }
    case 'slack': {
      const digest = await hmacSha256(secret, ascii.encode(`v0:${timestamp}:`), body);
      return {
        [WEBHOOK_SIGNATURE_HEADERS.slack]: `v0=${toLowerHex(digest)}`,
        [WEBHOOK_SIGNATURE_HEADERS.slackTimestamp]: timestamp,
      };
    }
  }
}

function timestampText(timestamp: number | string | undefined): string {
  if (timestamp === undefined) return String(Math.floor(Date.now() / 1000));
  if (typeof timestamp === 'number') {
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new TypeError(
        `signWebhook: \`timestamp\` must be whole Unix seconds (a non-negative integer), got ${timestamp}; ` + 'use Math.floor(Date.now() / 1000)',
      );
    }
    return String(timestamp);
  }
  if (typeof timestamp === 'string' && TIMESTAMP_TEXT.test(timestamp)) return timestamp;
  throw new TypeError(
    `signWebhook: \`timestamp\` must be Unix seconds (number) or a non-empty printable ASCII string without commas, got ${describeValue(timestamp)}`,
  );
}
