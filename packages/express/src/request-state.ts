import { KnoxCallError } from '@knoxcall/core';
import { type KnoxWebhookEvent, isBrandedAttachment } from '@knoxcall/core/adapter';
import type { Request } from 'express';

/**
 * Sets `req.knoxEvent`: the event core's processor verified and branded (a non-enumerable
 * `Symbol.for` key, invisible to JSON), so `getKnoxEvent` can tell it from a `knoxEvent`
 * something else put on the request.
 */
export function setKnoxEvent(req: Request, event: KnoxWebhookEvent): void {
  (req as Request & { knoxEvent?: KnoxWebhookEvent }).knoxEvent = event;
}

/**
 * The event `knoxWebhook()` verified for this request (also on `req.knoxEvent`, typed when
 * you `import '@knoxcall/express/augment'`). Throws when the middleware did not run.
 */
export function getKnoxEvent(req: Request): KnoxWebhookEvent {
  const event = (req as Request & { knoxEvent?: unknown }).knoxEvent;
  if (!isBrandedAttachment(event)) {
    throw new KnoxCallError('getKnoxEvent(req): no verified KnoxCall event on this request — put knoxWebhook({ secret }) before this handler on the route', {
      code: 'knox_middleware_missing',
    });
  }
  return event as KnoxWebhookEvent;
}
