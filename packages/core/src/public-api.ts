/**
 * What both entry points export besides their runtime-bound `KnoxCall` and `Session`.
 * Node-only modules are NOT re-exported here (index.ts adds them).
 */
export * from './auth/index.js';
export { isKnoxCall } from './client/call-machinery.js';
export type { VerifySignatureParams } from './config/create-shared-state.js';
export type { KnoxCallOptions, RetryOptions, TimeoutOptions, WithOptions } from './config/options.js';
export { BoundRoute, type BoundCallOptions, type BoundRouteDefaults } from './data-plane/bound-route.js';
export type { CallOptions } from './data-plane/call.js';
export type { EphemeralOptions } from './data-plane/ephemeral.js';
export { isRouteRefusal, isRouteRefusalResponse } from './data-plane/route-refusal.js';
export * from './errors.js';
export * from './resources/index.js';
// A deliberate addition (the official Node SDK keeps `Redacted` internal, contract transport
// §1.5): `CachedToken.accessToken` is a `Redacted`, whose #private field rules out
// structural look-alikes, so an author of a persistent `TokenStore` needs the class to
// rebuild the tokens they read back.
export { Redacted } from './redacted.js';
// Standalone, credential-less functions (contract resources §20, auth §8.2): no client needed.
export { claimSignup, signup } from './signup/index.js';
export type * from './signup/types.js';
export type { ManagementRequestOptions } from './management-plane/management-request.js';
export type {
  CursorMeta,
  CursorPage,
  CursorParams,
  Envelope,
  Page,
  PageMeta,
  PageParams,
  ResponseMeta,
} from './transport/pagination.js';
export type {
  Plane,
  TelemetryHooks,
  TelemetryRequestInfo,
  TelemetryResponseInfo,
  TelemetryRetryInfo,
} from './transport/telemetry.js';
export {
  ADVISORY_REFRESH_MS,
  ID_TOKEN_TYPE,
  KNOXCALL_AUDIENCE,
  MANDATORY_REFRESH_MS,
  TOKEN_EXCHANGE_GRANT,
  WorkloadCredentialProvider,
  type WorkloadCredentialProviderOptions,
  exchangeToken,
  type ExchangeTokenInput,
  type ExchangeTokenOptions,
  type ExchangeTokenResponse,
} from './token-exchange/index.js';
export { VERSION } from './version.js';
export * from './wrap/index.js';
export * from './webhooks/index.js';
// Both the resources and the webhooks modules export this name; the webhooks one is canonical.
export type { WebhookHmacFormat } from './webhooks/index.js';
// Apps map KnoxCall errors to their own HTTP answers with this even without an adapter.
export {
  type KnoxErrorResponse,
  type KnoxErrorResponseBody,
  knoxErrorToResponse,
} from './adapter/error-response.js';
