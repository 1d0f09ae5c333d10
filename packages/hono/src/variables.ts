import type { KnoxCall } from '@knoxcall/core';
import type { KnoxWebhookEvent } from '@knoxcall/core/adapter';

/** What `knoxWebhook()` sets on the context: `c.var.knoxEvent`. */
export interface KnoxWebhookVariables {
  /** The verified webhook event. */
  knoxEvent: KnoxWebhookEvent;
}

/** What `knoxCall()` sets on the context: `c.var.knox`. */
export interface KnoxCallVariables {
  /** The request-scoped KnoxCall view (forwarded tracing headers, `requestOptions(c)`, the request's abort signal). */
  knox: KnoxCall;
}

/**
 * Both variables, for typing an app without global augmentation:
 * `new Hono<{ Variables: KnoxVariables }>()` (or intersect with your own `Variables`).
 * Routes that put `knoxWebhook()` / `knoxCall()` in their own handler chain get the
 * variables inferred from the middleware, with no declaration at all.
 */
export interface KnoxVariables extends KnoxCallVariables, KnoxWebhookVariables {}
