// Edge-safe entry (`@knoxcall/testing/signer`): Web Crypto, TextEncoder and Uint8Array
// only — no node: imports, Buffer or process — so Workers/Deno test suites can use it.
export type { WebhookBody } from './body-bytes.js';
export { WEBHOOK_HMAC_FORMATS, type WebhookHmacFormat, isWebhookHmacFormat } from './formats.js';
export { type SignWebhookOptions, WEBHOOK_SIGNATURE_HEADERS, signWebhook } from './sign-webhook.js';
