// The one place the adapter kit touches the verifier, so adapters never verify on their own.
export {
  type KnoxWebhookEvent,
  type KnownEventMap,
  type KnownEventType,
  type ReplayStore,
  type WebhookHeaders,
  type WebhookHmacFormat,
  verifyWebhook as verifyDelivery,
} from '../webhooks/index.js';
