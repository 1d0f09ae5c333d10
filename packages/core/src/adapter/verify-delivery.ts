// The one place the adapter kit touches the verifier, so adapters never verify on their own.
// The bytes-only variant: an adapter's body is always a Uint8Array (see verifyWebhookBytes).
export type {
  KnoxWebhookEvent,
  KnownEventMap,
  KnownEventType,
  ReplayClaimState,
  ReplayStore,
  ReplayStoreCallOptions,
  WebhookHmacFormat,
} from '../webhooks/index.js';
export {
  verifyWebhookBytes as verifyDelivery,
  verifyWebhookBytesWithoutReplayKey as verifyDeliveryWithoutReplayKey,
} from '../webhooks/verify-async.js';
export type { ReceivedHeaders } from '../http/headers.js';
