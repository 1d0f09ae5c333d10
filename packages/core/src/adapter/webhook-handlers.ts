import type { KnownEventMap, KnownEventType, KnoxWebhookEvent } from './verify-delivery.js';

/** A typed handler for one event; `Args` are the framework's extras, e.g. `(req, res)` in Express. */
export type KnoxEventHandler<E, Args extends unknown[]> = (event: E, ...args: Args) => unknown;

// Method syntax makes the parameter bivariant, so the typed handlers of known events still
// fit the open `${string}.${string}` index signature below.
type LooseEventHandler<Args extends unknown[]> = { handle(event: KnoxWebhookEvent, ...args: Args): unknown }['handle'];

/**
 * The `on` option: a handler per event type, typed for known events (`'request.success'`
 * gets a `RequestWebhookEvent<'request.success'>`), open for event types this SDK does not
 * know yet (typed `KnoxWebhookEvent`), and `'*'` for every event. For one delivery the
 * event's own handler runs first, then `'*'`; each is awaited.
 */
export type KnoxEventHandlers<Args extends unknown[]> = {
  [K in KnownEventType]?: KnoxEventHandler<KnownEventMap[K], Args>;
} & {
  [eventType: `${string}.${string}`]: LooseEventHandler<Args> | undefined;
} & {
  '*'?: KnoxEventHandler<KnoxWebhookEvent, Args>;
};

/**
 * The handler `on` holds for `type`, if any: the event's own (`event.event`) runs first,
 * then `'*'`. Own properties only: an event named `constructor` or `__proto__` must not
 * find Object's. One lookup each, no list built: this runs for every delivery.
 */
export function handlerFor<Args extends unknown[]>(on: KnoxEventHandlers<Args>, type: string): KnoxEventHandler<KnoxWebhookEvent, Args> | undefined {
  const handler = Object.hasOwn(on, type) ? (on as Record<string, unknown>)[type] : undefined;
  return typeof handler === 'function' ? (handler as KnoxEventHandler<KnoxWebhookEvent, Args>) : undefined;
}

/** Fails at setup when `on` holds something other than functions, naming the key. */
export function assertEventHandlers(on: unknown): void {
  if (on === undefined) return;
  if (typeof on !== 'object' || on === null || Array.isArray(on)) {
    throw new TypeError('knoxWebhook: `on` must be an object of handlers by event type');
  }
  for (const [key, value] of Object.entries(on)) {
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`knoxWebhook: on['${key}'] must be a function`);
    }
  }
}
