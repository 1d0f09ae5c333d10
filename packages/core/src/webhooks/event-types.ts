/**
 * The event envelope a verified delivery parses to (contract webhooks.md §7–§8).
 *
 * The set of event names is OPEN: an unknown `event` still verifies and is typed
 * `UnknownWebhookEvent`. Because that fallback has `event: string`, comparing
 * `event.event === 'audit.event'` cannot rule it out; `isKnoxEvent(event, 'audit.event')`
 * narrows to exactly the known shape.
 */

/** Members every delivery carries. */
export interface WebhookEventEnvelope<TEvent extends string = string, TData = unknown> {
  /** The event type. */
  event: TEvent;
  /** ISO-8601 date-time of the delivery (the replay window is checked against it). */
  timestamp: string;
  data: TData;
  /** Present on `request.*` events, absent on `audit.event`. */
  webhook_id?: string;
  webhook_name?: string;
}

/** Any verified event, without the per-type data shapes (the official `WebhookEvent`). */
export type WebhookEvent = WebhookEventEnvelope<string, unknown>;

export type RequestWebhookEventType =
  | 'request.received'
  | 'request.success'
  | 'request.redirect'
  | 'request.client_error'
  | 'request.server_error'
  | 'request.timeout'
  | 'request.error'
  | 'request.completed';

export interface RequestEventData {
  route_id: string;
  route_name: string;
  environment: string | null;
  request: { method: string; path: string; ip: string | null };
  response: { status: number | null; latency_ms: number | null };
}

export interface AuditEventData {
  id: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  details: Record<string, unknown>;
  ip_address: string | null;
}

/** A `request.*` event; `T` narrows `event` to one request event type. */
export type RequestWebhookEvent<T extends RequestWebhookEventType = RequestWebhookEventType> = {
  [K in T]: WebhookEventEnvelope<K, RequestEventData>;
}[T];

export type AuditWebhookEvent = WebhookEventEnvelope<'audit.event', AuditEventData>;

/**
 * The synthetic delivery of `POST /v1/webhooks/{id}/test`. The contract does not fix its
 * data shape, so it is an open object.
 */
export type WebhookTestEvent = WebhookEventEnvelope<'webhook.test', Record<string, unknown>>;

/**
 * Sent 60 and 30 days before a card token's card expiry. The contract does not fix its
 * data shape, so it is an open object.
 */
export type VaultTokenExpiringEvent = WebhookEventEnvelope<'vault.token.expiring', Record<string, unknown>>;

/** Event name → its typed shape. */
export interface KnownEventMap {
  'request.received': RequestWebhookEvent<'request.received'>;
  'request.success': RequestWebhookEvent<'request.success'>;
  'request.redirect': RequestWebhookEvent<'request.redirect'>;
  'request.client_error': RequestWebhookEvent<'request.client_error'>;
  'request.server_error': RequestWebhookEvent<'request.server_error'>;
  'request.timeout': RequestWebhookEvent<'request.timeout'>;
  'request.error': RequestWebhookEvent<'request.error'>;
  'request.completed': RequestWebhookEvent<'request.completed'>;
  'audit.event': AuditWebhookEvent;
  'webhook.test': WebhookTestEvent;
  'vault.token.expiring': VaultTokenExpiringEvent;
}

export type KnownEventType = keyof KnownEventMap;

/** An event whose type this version of the SDK does not know (the set is open). */
export type UnknownWebhookEvent = WebhookEventEnvelope<string, unknown>;

/** What `constructWebhookEvent` returns: discriminated on `event`, with an open fallback. */
export type KnoxWebhookEvent = RequestWebhookEvent | AuditWebhookEvent | WebhookTestEvent | VaultTokenExpiringEvent | UnknownWebhookEvent;

/** Every known event name, at runtime (e.g. to validate handler maps). */
export const KNOWN_EVENT_TYPES: readonly KnownEventType[] = Object.freeze([
  'request.received',
  'request.success',
  'request.redirect',
  'request.client_error',
  'request.server_error',
  'request.timeout',
  'request.error',
  'request.completed',
  'audit.event',
  'webhook.test',
  'vault.token.expiring',
] as const);

/**
 * True when `event` is the known event `type`; narrows to its typed shape (which a plain
 * `event.event === type` comparison cannot do, because of the open fallback).
 * Only the `event` member is checked — verification already proved who sent the body.
 */
export function isKnoxEvent<T extends KnownEventType>(event: KnoxWebhookEvent | WebhookEvent | null | undefined, type: T): event is KnownEventMap[T] {
  return typeof event === 'object' && event !== null && event.event === type;
}
