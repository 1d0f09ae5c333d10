import {
  type KnoxWebhookCoreOptions,
  type WebhookActions,
  type WebhookPathOption,
  createWebhookProcessor,
  webhookRequestMatcher,
} from '@knoxcall/core/adapter';
import type { Context, Env, MiddlewareHandler, Next } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { readHonoBody } from './raw-body.js';
import type { KnoxWebhookVariables } from './variables.js';

/**
 * Options of `knoxWebhook()`: `secret` (string, array during a rotation, or a function of
 * the context — e.g. `(c) => c.env.KNOXCALL_WEBHOOK_SECRET` on Workers), `format`,
 * `headerName`, `toleranceSeconds`, `on` (typed `(event, c)` handlers; one that returns a
 * `Response` answers with it), `replayStore`, `maxBodyBytes` (default 1 MiB) and
 * `onError(error, c)` (return a `Response` to answer differently).
 *
 * `E` types `c` in those functions; like Hono's own middleware it defaults to `any`, so
 * `c.env.X` needs no declaration — pass your app's `Env` (`knoxWebhook<AppEnv>(…)`) to type it.
 */
// biome-ignore lint/suspicious/noExplicitAny: Hono's own default for an unspecified Env (c.env untyped unless the app says otherwise)
export interface KnoxWebhookOptions<E extends Env = any> extends KnoxWebhookCoreOptions<Context<E>, [c: Context<E>]> {
  /**
   * For `app.use(knoxWebhook({ path, … }))` mounted globally: only a POST whose path
   * (`c.req.path`) is exactly this path, or one of these, is verified; every other request
   * passes through untouched. Without it, every request the middleware is mounted on is
   * verified.
   */
  path?: WebhookPathOption;
}

/**
 * Verifies KnoxCall deliveries on one route:
 * `app.post('/webhooks/knoxcall', knoxWebhook({ secret }), (c) => … c.var.knoxEvent …)`,
 * `app.use('/webhooks/knoxcall', knoxWebhook({ secret, on }))`, or mounted globally with
 * `app.use(knoxWebhook({ path: '/webhooks/knoxcall', secret, on }))`.
 *
 * With `on` handlers it answers 200 `{ received: true }` itself once they resolved (unless
 * one returned a `Response`); without them it sets `c.var.knoxEvent` and calls `next()`.
 * Failures throw an `HTTPException` whose response is the contract's status with
 * `{ error: { type, message } }` (its `cause` is the typed webhook error), so Hono's
 * default error handler, `knoxOnError()` or your own `app.onError` answers it.
 */
// biome-ignore lint/suspicious/noExplicitAny: see KnoxWebhookOptions
export function knoxWebhook<E extends Env = any>(options: KnoxWebhookOptions<E>): MiddlewareHandler<{ Variables: KnoxWebhookVariables }> {
  const processor = createWebhookProcessor(options as KnoxWebhookOptions, honoActions);
  const isDelivery = webhookRequestMatcher(options.path, 'knoxWebhook');
  return createMiddleware<{ Variables: KnoxWebhookVariables }>(async (c, next) => {
    if (isDelivery !== undefined && !isDelivery(c.req.method, c.req.path)) return next();
    const delivery: HonoDelivery = { c, next, answer: undefined };
    return (await processor.handle(delivery)) ?? delivery.answer;
  });
}

/** One delivery as Hono hands it to a middleware, plus the `Response` a handler answered with. */
interface HonoDelivery {
  readonly c: Context;
  readonly next: Next;
  answer: Response | undefined;
}

/** What Hono calls each action of core's webhook processor. */
const honoActions: WebhookActions<HonoDelivery, Context, [c: Context], Response | undefined> = {
  headers: ({ c }) => c.req.raw.headers,
  readBody: ({ c }, maxBodyBytes) => readHonoBody(c, maxBodyBytes),
  secretContext: ({ c }) => c,
  callHandler: ({ c }, handler, first) => handler(first, c),
  attachEvent: ({ c }, event) => c.set('knoxEvent', event),
  // Hono handlers answer by returning a Response: the one an `on` handler or `onError` returned is the answer.
  answeredBy(delivery, returned) {
    if (returned instanceof Response) delivery.answer = returned;
    return delivery.answer !== undefined;
  },
  answer({ c }, reply) {
    if (reply.error === undefined) return c.json(reply.body, reply.status as ContentfulStatusCode);
    // A failure goes to Hono's error handling (`app.onError`, `knoxOnError()`) as an
    // HTTPException whose response is the contract's answer and whose cause is the typed error.
    const res = Response.json(reply.body, { status: reply.status, headers: reply.headers });
    throw new HTTPException(reply.status as ContentfulStatusCode, { res, message: reply.error.message, cause: reply.error });
  },
  async passOn({ c, next }, route) {
    await next();
    // Hono's compose catches what the route threw and keeps it as `c.error`.
    await route.ended(c.error !== undefined ? 'threw' : c.res.status);
    return undefined;
  },
};
