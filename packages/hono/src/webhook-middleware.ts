import {
  type KnoxWebhookCoreOptions,
  type KnoxWebhookError,
  type WebhookOutcome,
  type WebhookPathOption,
  createWebhookProcessor,
  webhookRequestMatcher,
} from '@knoxcall/core/adapter';
import type { Context, Env, MiddlewareHandler } from 'hono';
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
  const processor = createWebhookProcessor<Context, [c: Context]>(options as KnoxWebhookOptions);
  const isDelivery = webhookRequestMatcher(options.path, 'knoxWebhook');
  return createMiddleware<{ Variables: KnoxWebhookVariables }>(async (c, next) => {
    if (isDelivery !== undefined && !isDelivery(c.req.method, c.req.path)) return next();
    // Hono handlers answer by returning a Response: the one an `on` handler or `onError`
    // returned becomes the answer.
    let answer: Response | undefined;
    const outcome = await processor.process({
      ctx: c,
      headers: c.req.raw.headers,
      readBody: (limit) => readHonoBody(c, limit),
      args: [c],
      isAnswered: () => answer !== undefined,
      answerWith: (result) => {
        if (result instanceof Response) answer = result;
      },
    });
    return applyOutcome(outcome, c, next, answer);
  });
}

async function applyOutcome(
  outcome: WebhookOutcome,
  c: Context<{ Variables: KnoxWebhookVariables }>,
  next: () => Promise<void>,
  answer: Response | undefined,
): Promise<Response | undefined> {
  if (outcome.event !== undefined) c.set('knoxEvent', outcome.event);
  if (outcome.kind === 'answered') return answer;
  if (outcome.kind === 'next') {
    try {
      await next();
    } catch (error) {
      await outcome.finishReplay(false);
      throw error;
    }
    // The route's own handler answered: below 500 the delivery is processed (done); if it
    // failed (threw, or answered 5xx), the lease is released so KnoxCall's retry is run.
    await outcome.finishReplay(c.error === undefined && c.res.status < 500);
    return undefined;
  }
  if (outcome.error === undefined) return c.json(outcome.body, outcome.status as ContentfulStatusCode);
  throw webhookHttpException(outcome.status, outcome.body, outcome.error, outcome.headers);
}

function webhookHttpException(status: number, body: unknown, error: KnoxWebhookError, extra?: Record<string, string>): HTTPException {
  const headers: Record<string, string> = { ...extra, 'content-type': 'application/json' };
  // The rest of an oversize body is still on the wire, unread: close the connection after
  // the answer rather than leave a half-read request on a keep-alive socket.
  if (error.code === 'payload_too_large') headers.connection = 'close';
  const res = new Response(JSON.stringify(body), { status, headers });
  return new HTTPException(status as ContentfulStatusCode, { res, message: error.message, cause: error });
}
