// The one place the adapter kit touches the verifier, so adapters never verify on their own.
// The adapters' variant: the received bytes, options and secrets checked at setup (see verifyReceivedDelivery).
export type {
  KnoxWebhookEvent,
  KnownEventMap,
  KnownEventType,
  ReplayClaimState,
  ReplayStore,
  ReplayStoreCallOptions,
  WebhookHmacFormat,
} from '../webhooks/index.js';
export { type VerifiedDelivery, verifyReceivedDelivery as verifyDelivery } from '../webhooks/verify-async.js';
export { resolveSecrets } from '../webhooks/verify-options.js';
export type { HeaderMap, ReceivedHeaders } from '../http/headers.js';
