/**
 * `@knoxcall/core/webhooks` — the universal webhook verifier (Web Crypto only: no `node:`
 * import, no Buffer, no process), plus typed events and replay protection. The synchronous
 * Node verifier (`constructWebhookEvent`, `verifyWebhookSignature`, `verifyWebhookSync`)
 * is exported from the Node build of `@knoxcall/core`.
 */
export {
  type WebhookErrorCode,
  WebhookSignatureVerificationError,
  webhookErrorStatus,
} from '../errors.js';
export {
  type AuditEventData,
  type AuditWebhookEvent,
  isKnoxEvent,
  KNOWN_EVENT_TYPES,
  type KnownEventMap,
  type KnownEventType,
  type KnoxWebhookEvent,
  type RequestEventData,
  type RequestWebhookEvent,
  type RequestWebhookEventType,
  type UnknownWebhookEvent,
  type VaultTokenExpiringEvent,
  type WebhookEvent,
  type WebhookEventEnvelope,
  type WebhookTestEvent,
} from './event-types.js';
export { MemoryReplayStore, type MemoryReplayStoreOptions } from './memory-replay-store.js';
export { DEFAULT_REPLAY_KEY_PREFIX, type RedisClient, RedisReplayStore, type RedisReplayStoreOptions } from './redis-replay-store.js';
export {
  REPLAY_TTL_WITHOUT_TOLERANCE_SECONDS,
  type ReplayClaimState,
  type ReplayStore,
  type ReplayStoreCallOptions,
  replayKeyFor,
  replayTtlSeconds,
  type VerifiedWebhook,
} from './replay-protection.js';
export type { VerifyWebhookSignatureParams } from './signature-check.js';
export {
  type ConstructEventOptions,
  DEFAULT_TOLERANCE_SECONDS,
  WEBHOOK_HMAC_FORMATS,
  type WebhookHeaders,
  type WebhookHmacFormat,
  type WebhookRawBody,
  type WebhookSecret,
} from './verify-options.js';
export { constructWebhookEventAsync, verifyWebhook, verifyWebhookSignatureAsync } from './verify-async.js';
