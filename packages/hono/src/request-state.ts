import { KnoxCallError } from '@knoxcall/core';
import { type KnoxWebhookEvent, isBrandedAttachment } from '@knoxcall/core/adapter';
import type { Context } from 'hono';

/**
 * The event `knoxWebhook()` verified for this request (also `c.var.knoxEvent`). Throws a
 * KnoxCallError naming the fix when the middleware did not run on this route.
 */
export function getKnoxEvent(c: Context): KnoxWebhookEvent {
  const event: unknown = c.get('knoxEvent');
  if (!isBrandedAttachment(event)) {
    throw new KnoxCallError(
      "getKnoxEvent(c): no verified KnoxCall event on this request — put knoxWebhook({ secret }) before this handler: app.post('/webhooks/knoxcall', knoxWebhook({ secret }), handler)",
      { code: 'knox_middleware_missing' },
    );
  }
  return event as KnoxWebhookEvent;
}
