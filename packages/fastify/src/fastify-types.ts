/**
 * Module augmentation: registering the plugins types `fastify.knox`, `request.knox` and
 * `request.knoxEvent` everywhere (importing `@knoxcall/fastify` is enough).
 */
import type { KnoxCall } from '@knoxcall/core';
import type { KnoxWebhookEvent } from '@knoxcall/core/adapter';

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared KnoxCall client (set by the `knoxCall` plugin). Prefer `request.knox` in handlers. */
    knox: KnoxCall;
  }
  interface FastifyRequest {
    /**
     * The request-scoped KnoxCall view (set by the `knoxCall` plugin; built on first access,
     * its calls are aborted when the caller disconnects). `getKnox(request)` is the checked accessor.
     */
    knox: KnoxCall;
    /** The verified webhook event, on requests of a `knoxWebhook` route. */
    knoxEvent?: KnoxWebhookEvent;
  }
}
