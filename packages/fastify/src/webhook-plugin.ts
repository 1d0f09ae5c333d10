import { KnoxCallError, verifyWebhookSync } from '@knoxcall/core';
import {
  type KnoxEventHandler,
  type KnoxWebhookCoreOptions,
  type KnoxWebhookError,
  type KnoxWebhookEvent,
  type WebhookOutcome,
  createWebhookProcessor,
} from '@knoxcall/core/adapter';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { installRawBodyParsers, webhookBodyBytes } from './raw-body-parsers.js';
import { asFastifyError, translateFastifyBodyError } from './webhook-errors.js';
import './fastify-types.js';

/** What `on` handlers and `onError` receive after the event or error. */
export type KnoxWebhookHandlerArgs = [request: FastifyRequest, reply: FastifyReply];

/** The request a webhook route's `handler` receives: the verified event is set. */
export type KnoxWebhookRequest = FastifyRequest & { knoxEvent: KnoxWebhookEvent };

/** The route's own handler: runs after the `on` handlers and answers like any Fastify handler. */
export type KnoxWebhookRouteHandler = (this: FastifyInstance, request: KnoxWebhookRequest, reply: FastifyReply) => unknown;

/**
 * Options of the `knoxWebhook` plugin: the route (`path`, `method`, default POST), the
 * contract's webhook options — `secret` (string, array during a rotation, or a function of
 * the request), `format`, `headerName`, `toleranceSeconds`, `on` (typed
 * `(event, request, reply)` handlers), `replayStore`, `maxBodyBytes` (default 1 MiB),
 * `onError(error, request, reply)` — and `handler(request, reply)`, the route's own handler.
 */
export interface KnoxWebhookOptions extends KnoxWebhookCoreOptions<FastifyRequest, KnoxWebhookHandlerArgs> {
  /** The route's URL, e.g. `/webhooks/knoxcall` (a `prefix` given to `register` applies). */
  path: string;
  /** Default `POST`. */
  method?: HTTPMethods | HTTPMethods[];
  /**
   * Runs after the `on` handlers with `request.knoxEvent` set, and answers (return a value or
   * use `reply`); when it answers nothing, `{ received: true }` is sent. Its errors reach
   * your error handler unchanged, and a failure (a throw or a 5xx) releases the replay claim
   * so that KnoxCall's retry is processed.
   */
  handler?: KnoxWebhookRouteHandler;
}

type Handler = KnoxEventHandler<KnoxWebhookEvent, KnoxWebhookHandlerArgs>;

/** What the route handler did, kept on its request for the reply rule. */
interface RouteHandlerRun {
  value: unknown;
  /** It threw, or answered a 5xx: the delivery failed and KnoxCall should retry. */
  failed: boolean;
  threw: boolean;
  error: unknown;
}

const HANDLER_RUN = Symbol.for('knoxcall.fastify.webhookHandlerRun');
type RequestWithRun = FastifyRequest & { [HANDLER_RUN]: RouteHandlerRun | null };

/** Thrown to the core (never to Fastify) when the route handler answered 5xx without throwing. */
class HandlerAnswered5xx extends Error {}

/**
 * `await app.register(knoxWebhook, { path: '/webhooks/knoxcall', secret, on: { … } })`:
 * one route that verifies KnoxCall deliveries over the exact bytes received.
 *
 * A plain encapsulated plugin (not fastify-plugin): the raw-body parsers and the error
 * translation it installs stay inside its own context, so the app's JSON parsing elsewhere
 * is untouched. Failures are thrown as Fastify errors with `statusCode` and the contract's
 * `code`, so the app's error handler applies; with Fastify's default one the answer is
 * `{ statusCode, code, error, message }`. With `on` handlers (and no `handler`) it answers
 * 200 `{ received: true }` itself.
 */
export const knoxWebhook: FastifyPluginAsync<KnoxWebhookOptions> = async (fastify, options) => {
  const { path, method = 'POST', handler, on, onError, ...rest } = checkRouteOptions(options);
  const processor = createWebhookProcessor<FastifyRequest, KnoxWebhookHandlerArgs>(
    {
      ...rest,
      on: dispatchTable(on, handler, fastify) as KnoxWebhookOptions['on'],
      ...(onError !== undefined ? { onError: skipRouteHandlerFailures(onError) } : {}),
    },
    { where: 'knoxWebhook', verify: verifyWebhookSync, log: (message, error) => fastify.log.error({ err: error }, message) },
  );
  const maxBodyBytes = processor.maxBodyBytes;

  installRawBodyParsers(fastify, maxBodyBytes);
  if (!fastify.hasRequestDecorator('knoxEvent')) fastify.decorateRequest('knoxEvent', undefined);
  fastify.decorateRequest(HANDLER_RUN as unknown as string, null);
  fastify.setErrorHandler(function knoxWebhookBodyErrors(error, request, reply) {
    const translated = translateFastifyBodyError(error as { code?: unknown }, request, maxBodyBytes);
    // Re-throwing hands the error to the next error handler up the chain (the app's).
    if (translated === undefined) throw error;
    if (onError === undefined) throw translated;
    return Promise.resolve()
      .then(() => onError(translated, request, reply))
      .catch(() => undefined)
      .then(() => {
        if (reply.sent) return reply;
        throw translated;
      });
  });

  fastify.route({
    method,
    url: path,
    bodyLimit: maxBodyBytes,
    onRequest: dropEmptyContentType,
    handler: async function knoxWebhookRoute(request, reply) {
      const outcome = await processor.process({
        ctx: request,
        headers: request.headers,
        readBody: (limit) => webhookBodyBytes(request, limit),
        args: [request, reply],
        isAnswered: () => reply.sent,
      });
      return settle(outcome, request as RequestWithRun, reply);
    },
  });
};

/**
 * An empty Content-Type is a missing one (as in every adapter); Fastify would answer it 415
 * before the route runs, so the header is dropped and Fastify treats the body as untyped.
 */
function dropEmptyContentType(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  const value = request.headers['content-type'];
  if (typeof value === 'string' && value.trim() === '') delete request.headers['content-type'];
  done();
}

function settle(outcome: WebhookOutcome, request: RequestWithRun, reply: FastifyReply): unknown {
  if (outcome.kind === 'next') {
    // Only without any handler, which setup refuses; answer like the handlers' rule.
    request.knoxEvent = outcome.event;
    return { received: true };
  }
  if (outcome.event !== undefined) request.knoxEvent = outcome.event;
  if (outcome.kind === 'answered') return reply;
  if (outcome.headers !== undefined) reply.headers(outcome.headers);
  const run = request[HANDLER_RUN];
  if (outcome.error === undefined) {
    // Received (or a duplicate): the route handler's own answer wins when it gave one.
    if (run !== null && run.value !== undefined) return run.value;
    if (outcome.status !== 200) reply.code(outcome.status);
    return outcome.body;
  }
  if (run?.failed) {
    if (run.threw) throw run.error;
    return run.value; // it answered a 5xx with a return value
  }
  if (outcome.error.code === 'payload_too_large' && !request.raw.readableEnded) {
    // The rest of an oversize body is still on the wire: close the connection after the
    // answer instead of reading it, and drop what arrives meanwhile.
    reply.header('connection', 'close');
    request.raw.resume();
  }
  throw asFastifyError(outcome.error, outcome.status);
}

/**
 * The core runs the `on` handlers; the route's `handler` joins them as the last step (after
 * the `'*'` handler), so a failure of either releases the replay claim the same way. Each
 * step sets `request.knoxEvent` first.
 */
function dispatchTable(
  on: KnoxWebhookOptions['on'],
  handler: KnoxWebhookRouteHandler | undefined,
  instance: FastifyInstance,
): Record<string, Handler> {
  const entries: Array<[string, Handler]> = [];
  for (const [type, fn] of Object.entries(on ?? {})) {
    if (fn === undefined || (type === '*' && handler !== undefined)) continue;
    const typed = fn as Handler;
    entries.push([type, (event, request, reply) => {
      request.knoxEvent = event;
      return typed(event, request, reply);
    }]);
  }
  if (handler !== undefined) {
    const every = on?.['*'] as Handler | undefined;
    entries.push(['*', async (event, request, reply) => {
      request.knoxEvent = event;
      if (typeof every === 'function') await every(event, request, reply);
      await runRouteHandler(handler, instance, request as RequestWithRun, reply);
    }]);
  }
  // fromEntries defines own data properties: an event type named `__proto__` stays an ordinary key.
  return Object.fromEntries(entries);
}

async function runRouteHandler(
  handler: KnoxWebhookRouteHandler,
  instance: FastifyInstance,
  request: RequestWithRun,
  reply: FastifyReply,
): Promise<void> {
  const run: RouteHandlerRun = { value: undefined, failed: false, threw: false, error: undefined };
  request[HANDLER_RUN] = run;
  try {
    const value = await handler.call(instance, request as unknown as KnoxWebhookRequest, reply);
    run.value = value === reply ? undefined : value;
  } catch (error) {
    run.failed = true;
    run.threw = true;
    run.error = error;
    throw error;
  }
  if (reply.statusCode >= 500) {
    run.failed = true;
    throw new HandlerAnswered5xx(`the webhook handler answered ${reply.statusCode}`);
  }
}

/** `onError` is for webhook failures; the route handler's own failures go to Fastify's error handling as they are. */
function skipRouteHandlerFailures(
  onError: NonNullable<KnoxWebhookOptions['onError']>,
): NonNullable<KnoxWebhookOptions['onError']> {
  return (error: KnoxWebhookError, request, reply) => {
    if ((request as RequestWithRun)[HANDLER_RUN]?.failed) return undefined;
    return onError(error, request, reply);
  };
}

function checkRouteOptions(options: KnoxWebhookOptions): KnoxWebhookOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('knoxWebhook: options must be an object: { path, secret, on?, handler? }');
  }
  if (typeof options.path !== 'string' || options.path.length === 0) {
    throw new TypeError("knoxWebhook: `path` is required — the route's URL, e.g. '/webhooks/knoxcall'");
  }
  if (options.handler !== undefined && typeof options.handler !== 'function') {
    throw new TypeError('knoxWebhook: `handler` must be a function (request, reply) => …');
  }
  const on: unknown = options.on;
  if (on !== undefined && (typeof on !== 'object' || on === null || Array.isArray(on))) {
    throw new TypeError("knoxWebhook: `on` must be an object of handlers, e.g. { 'request.success': (event, request, reply) => … }");
  }
  for (const [type, fn] of Object.entries(on ?? {})) {
    if (fn !== undefined && typeof fn !== 'function') throw new TypeError(`knoxWebhook: on['${type}'] must be a function`);
  }
  const hasOn = Object.values(on ?? {}).some((fn) => fn !== undefined);
  if (!hasOn && options.handler === undefined) {
    throw new TypeError(
      "knoxWebhook: give `on` handlers (e.g. { 'request.success': (event) => … }), a `handler(request, reply)`, or both — otherwise verified events would be dropped",
    );
  }
  return options;
}

/**
 * The event `knoxWebhook` verified for this request (also `request.knoxEvent`). Throws a
 * KnoxCallError naming the fix when the request did not come through a knoxWebhook route.
 */
export function getKnoxEvent(request: FastifyRequest): KnoxWebhookEvent {
  const event = request.knoxEvent;
  if (event === undefined || event === null) {
    throw new KnoxCallError(
      'getKnoxEvent(request): no verified KnoxCall event on this request — serve the route with ' +
        "await app.register(knoxWebhook, { path, secret, handler }) (from '@knoxcall/fastify')",
      { code: 'knox_middleware_missing' },
    );
  }
  return event;
}
