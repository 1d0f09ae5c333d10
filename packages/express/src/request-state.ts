import { KnoxCallError } from '@knoxcall/core';
import type { KnoxWebhookEvent } from '@knoxcall/core/adapter';
import type { Request } from 'express';

/** Where knoxWebhook() keeps the verified event (process-wide symbol: works across builds). */
export const KNOX_EVENT = Symbol.for('knoxcall.express.event');

/**
 * The event `knoxWebhook()` verified for this request (also on `req.knoxEvent`, typed when
 * you `import '@knoxcall/express/augment'`). Throws when the middleware did not run.
 */
export function getKnoxEvent(req: Request): KnoxWebhookEvent {
  const event = (req as unknown as Record<symbol, unknown>)[KNOX_EVENT];
  if (event === undefined) {
    throw new KnoxCallError(
      'getKnoxEvent(req): no verified KnoxCall event on this request — put knoxWebhook({ secret }) before this handler on the route',
      { code: 'knox_middleware_missing' },
    );
  }
  return event as KnoxWebhookEvent;
}
