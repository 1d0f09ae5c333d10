/**
 * Opt-in global typing: `import '@knoxcall/express/augment'` once, and `req.knox` and
 * `req.knoxEvent` are typed on every Express `Request`. Without it, use the accessors
 * `getKnox(req)` and `getKnoxEvent(req)`, which need no augmentation.
 */
import type { KnoxCall } from '@knoxcall/core';
import type { KnoxWebhookEvent } from '@knoxcall/core/webhooks';

declare global {
  namespace Express {
    interface Request {
      /** The request-scoped KnoxCall view (set by `knoxCall()`; built on first access). */
      knox: KnoxCall;
      /** The verified webhook event (set by `knoxWebhook()`). */
      knoxEvent?: KnoxWebhookEvent;
    }
  }
}
