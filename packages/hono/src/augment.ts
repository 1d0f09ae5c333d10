/**
 * Opt-in global typing: `import '@knoxcall/hono/augment'` once, and `c.var.knox`,
 * `c.var.knoxEvent`, `c.get('knox')` are typed in every Hono context. Without it, type your
 * app with `new Hono<{ Variables: KnoxVariables }>()`, rely on the types the middleware
 * gives its own route, or use the accessors `getKnox(c)` and `getKnoxEvent(c)`.
 */
import type { KnoxCall } from '@knoxcall/core';
import type { KnoxWebhookEvent } from '@knoxcall/core/webhooks';
// Resolves 'hono' for the augmentation below even where this file is compiled on its own.
import type {} from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** The request-scoped KnoxCall view (set by `knoxCall()`). */
    knox: KnoxCall;
    /** The verified webhook event (set by `knoxWebhook()`). */
    knoxEvent: KnoxWebhookEvent;
  }
}
