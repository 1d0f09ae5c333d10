/**
 * The six `hmac_format` values of contract/webhooks.md §3. Every one is HMAC-SHA256 keyed
 * with the UTF-8 bytes of the secret; they differ only in header names, signed prefix and
 * output encoding.
 */
export const WEBHOOK_HMAC_FORMATS = ['legacy', 'stripe', 'github', 'slack', 'aws-sns', 'custom'] as const;

export type WebhookHmacFormat = (typeof WEBHOOK_HMAC_FORMATS)[number];

export function isWebhookHmacFormat(value: unknown): value is WebhookHmacFormat {
  return typeof value === 'string' && (WEBHOOK_HMAC_FORMATS as readonly string[]).includes(value);
}
