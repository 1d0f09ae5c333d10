/**
 * `@knoxcall/core/adapter` — what every framework adapter shares, so that adapters only
 * translate between their framework and these functions. Edge-safe: no `node:` imports,
 * no Buffer, no process (Hono on Workers loads it).
 */
export { KNOX_ADAPTER_BRAND, brandAttached, isBrandedAttachment } from './brand.js';
export { type CachedClient, ClientCache, type ClientCacheOptions, clientCacheKey } from '../client/client-cache.js';
export { type ClientSourceOptions, assertClientOptions, assertOneClientSource } from './client-options.js';
export { isAcceptedWebhookContentType } from './content-type.js';
export { type ClosableResponse, disconnectSignal } from './disconnect-signal.js';
export { type KnoxErrorResponse, type KnoxErrorResponseBody, knoxErrorToResponse } from './error-response.js';
// Adapters forward request headers with the first value as is (not the webhook rules).
export { type HeaderSource, readForwardedHeader as readHeader } from '../http/headers.js';
export {
  type BodySource,
  type NodeReadableLike,
  DEFAULT_MAX_BODY_BYTES,
  assertContentLengthWithin,
  readBodyWithLimit,
  readWebStreamWithLimit,
  resolveMaxBodyBytes,
} from './read-body.js';
export { type NodeRequestStream, keptBodyWithin, readUnconsumedBody } from './raw-body.js';
export {
  FORWARDED_REQUEST_HEADERS,
  type KnoxRequestOptions,
  type RequestViewSource,
  type ScopableClient,
  type ScopedClientOptions,
  callRequestOptions,
  lazyRequestView,
  scopedClientOptions,
} from './request-scope.js';
export {
  type KnoxWebhookError,
  type WebhookErrorBody,
  WebhookHandlerError,
  WebhookRetryLaterError,
  type WebhookRetryLaterCode,
  payloadTooLargeError,
  unsupportedContentEncodingError,
  rawBodyUnavailableError,
  unsupportedMediaTypeError,
  webhookErrorResponse,
} from './webhook-errors.js';
export {
  type KnoxWebhookCoreOptions,
  type KnoxWebhookSecret,
  type WebhookProcessor,
  type WebhookProcessorSetup,
  createWebhookProcessor,
} from './webhook-processor.js';
export type { RouteEnd, RouteWatch, WebhookActions, WebhookReceivedBody, WebhookReply } from './webhook-actions.js';
export { type EndingResponse, reportWhenResponseEnds } from './response-end.js';
export type { KnoxEventHandler, KnoxEventHandlers } from './webhook-handlers.js';
export {
  DEFAULT_REPLAY_LEASE_SECONDS,
  DEFAULT_REPLAY_STORE_TIMEOUT_MS,
  type ResolvedWebhookOptions,
  type StaticWebhookOptions,
  resolveWebhookOptions,
} from './webhook-options.js';
export type { ReceivedHeaders, ReplayClaimState, ReplayStore, ReplayStoreCallOptions, WebhookHmacFormat } from './verify-delivery.js';
export type { KnoxWebhookEvent, KnownEventMap, KnownEventType } from './verify-delivery.js';
export { WEBHOOK_ERROR_CODES } from './webhook-error-codes.js';
export { type WebhookPathOption, pathnameOf, webhookRequestMatcher } from './webhook-path.js';
