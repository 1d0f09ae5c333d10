import type { KnownEventMap, KnownEventType, KnoxWebhookEvent } from '@knoxcall/core/adapter';

/**
 * Where a handler method lists the event types it handles: a property on the method under a
 * process-wide symbol (it works across the ESM and CJS builds and needs no reflect-metadata).
 */
export const KNOX_EVENT_HANDLER_METADATA = Symbol.for('knoxcall.nest.onKnoxEvent');

/** What `@OnKnoxEvent(type)` accepts: a known event, any `resource.action` type, or `'*'` for every event. */
export type KnoxEventSelector = KnownEventType | `${string}.${string}` | '*';

/** The event a handler for `K` receives: typed for known events, `KnoxWebhookEvent` otherwise. */
export type KnoxEventFor<K extends KnoxEventSelector> = K extends KnownEventType ? KnownEventMap[K] : KnoxWebhookEvent;

/** The event types `@OnKnoxEvent` put on a method, or undefined. */
export function knoxEventTypesOf(method: unknown): readonly string[] | undefined {
  if (typeof method !== 'function') return undefined;
  const types = (method as unknown as Record<symbol, unknown>)[KNOX_EVENT_HANDLER_METADATA];
  return Array.isArray(types) ? (types as string[]) : undefined;
}

/**
 * Marks a provider method as a handler of one KnoxCall event type; the module discovers it
 * and its webhook controller (at `webhookPath`) runs it for each verified delivery:
 *
 * ```ts
 * @OnKnoxEvent('request.server_error')
 * async alert(event: RequestWebhookEvent<'request.server_error'>) { … }
 * ```
 *
 * A type's handlers run first (in discovery order), then the `'*'` handlers; each is awaited.
 * One that throws answers the delivery 500, so KnoxCall retries it. Stack several on one
 * method to handle several types.
 */
export function OnKnoxEvent<K extends KnoxEventSelector>(
  type: K,
): <H extends (event: KnoxEventFor<K>) => unknown>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>) => void {
  if (typeof type !== 'string' || (type !== '*' && !/^[^.\s]+\.[^\s]+$/.test(type))) {
    throw new TypeError(`@OnKnoxEvent(type): expected an event type like 'request.server_error' (or '*'), got ${JSON.stringify(type)}`);
  }
  return (_target, key, descriptor) => {
    const method = descriptor.value;
    if (typeof method !== 'function') {
      throw new TypeError(`@OnKnoxEvent('${type}') must decorate a method (got ${String(key)})`);
    }
    const holder = method as unknown as Record<symbol, string[] | undefined>;
    Object.defineProperty(holder, KNOX_EVENT_HANDLER_METADATA, {
      value: [...(holder[KNOX_EVENT_HANDLER_METADATA] ?? []), type],
      configurable: true,
      enumerable: false,
    });
  };
}
