import {
  type KnoxEventHandlers,
  type KnoxWebhookCoreOptions,
  type KnoxWebhookError,
  type WebhookOutcome,
  createWebhookProcessor,
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
export type KnoxWebhookOptions<E extends Env = any> = KnoxWebhookCoreOptions<Context<E>, [c: Context<E>]>;

/** Where a handler's or `onError`'s returned `Response` is kept for the one request. */
interface AnswerSlot {
  response: Response | undefined;
}
type InternalArgs = [c: Context, slot: AnswerSlot];

/**
 * Verifies KnoxCall deliveries on one route:
 * `app.post('/webhooks/knoxcall', knoxWebhook({ secret }), (c) => … c.var.knoxEvent …)`.
 *
 * With `on` handlers it answers 200 `{ received: true }` itself once they resolved (unless
 * one returned a `Response`); without them it sets `c.var.knoxEvent` and calls `next()`.
 * Failures throw an `HTTPException` whose response is the contract's status with
 * `{ error: { type, message } }` (its `cause` is the typed webhook error), so Hono's
 * default error handler, `knoxOnError()` or your own `app.onError` answers it.
 */
// biome-ignore lint/suspicious/noExplicitAny: see KnoxWebhookOptions
export function knoxWebhook<E extends Env = any>(options: KnoxWebhookOptions<E>): MiddlewareHandler<{ Variables: KnoxWebhookVariables }> {
  const processor = createWebhookProcessor<Context, InternalArgs>(withAnswerCapture(options as KnoxWebhookOptions), 'knoxWebhook');
  return createMiddleware<{ Variables: KnoxWebhookVariables }>(async (c, next) => {
    const slot: AnswerSlot = { response: undefined };
    const outcome = await processor.process({
      ctx: c,
      headers: c.req.raw.headers,
      readBody: (limit) => readHonoBody(c, limit),
      args: [c, slot],
      isAnswered: () => slot.response !== undefined,
    });
    return applyOutcome(outcome, c, next, slot);
  });
}

async function applyOutcome(
  outcome: WebhookOutcome,
  c: Context<{ Variables: KnoxWebhookVariables }>,
  next: () => Promise<void>,
  slot: AnswerSlot,
): Promise<Response | undefined> {
  if (outcome.event !== undefined) c.set('knoxEvent', outcome.event);
  if (outcome.kind === 'answered') return slot.response;
  if (outcome.kind === 'next') {
    await next();
    // The route's own handler answers; if it failed (threw, or answered 5xx), forget the
    // replay claim so that KnoxCall's retry of this delivery is processed, not "duplicate".
    if (c.error !== undefined || c.res.status >= 500) await outcome.releaseReplay();
    return undefined;
  }
  if (outcome.error === undefined) return c.json(outcome.body, outcome.status as ContentfulStatusCode);
  throw webhookHttpException(outcome.status, outcome.body, outcome.error);
}

function webhookHttpException(status: number, body: unknown, error: KnoxWebhookError): HTTPException {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // The rest of an oversize body is still on the wire, unread: close the connection after
  // the answer rather than leave a half-read request on a keep-alive socket.
  if (error.code === 'payload_too_large') headers.connection = 'close';
  const res = new Response(JSON.stringify(body), { status, headers });
  return new HTTPException(status as ContentfulStatusCode, { res, message: error.message, cause: error });
}

/**
 * Hono handlers answer by returning a `Response`: the user's `on` handlers and `onError`
 * are wrapped so that a returned `Response` is kept for this request (and becomes the
 * answer) instead of being dropped by the framework-neutral processor.
 */
function withAnswerCapture(options: KnoxWebhookOptions): KnoxWebhookCoreOptions<Context, InternalArgs> {
  if (options === null || typeof options !== 'object') return options as never; // the processor names the mistake
  const { on, onError, ...rest } = options;
  const wrapped: KnoxWebhookCoreOptions<Context, InternalArgs> = rest;
  if (on !== undefined) wrapped.on = wrapHandlers(on);
  if (typeof onError === 'function') {
    wrapped.onError = async (error, c, slot) => keep(await onError(error, c), slot);
  } else if (onError !== undefined) {
    wrapped.onError = onError as never; // the processor names the mistake
  }
  return wrapped;
}

function wrapHandlers(on: KnoxEventHandlers<[c: Context]>): KnoxEventHandlers<InternalArgs> {
  if (on === null || typeof on !== 'object' || Array.isArray(on)) return on as never; // the processor names the mistake
  const wrapped: Record<string, unknown> = {};
  for (const [type, handler] of Object.entries(on)) {
    wrapped[type] =
      typeof handler === 'function'
        ? async (event: never, c: Context, slot: AnswerSlot) => keep(await (handler as (e: never, c: Context) => unknown)(event, c), slot)
        : handler;
  }
  return wrapped as KnoxEventHandlers<InternalArgs>;
}

function keep(result: unknown, slot: AnswerSlot): unknown {
  if (result instanceof Response) slot.response = result;
  return result;
}
