import { KnoxCallError } from '@knoxcall/core';
import { type KnoxWebhookCoreOptions, type KnoxWebhookEvent, type WebhookActions, createWebhookProcessor, isBrandedAttachment } from '@knoxcall/core/adapter';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { deferBody, installRawBodyParsers, webhookBodyBytes } from './raw-body-parsers.js';
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
  const { path, method = 'POST', handler } = checkRouteOptions(options);
  const processor = createWebhookProcessor(options, fastifyActions(handler, fastify), {
    where: 'knoxWebhook',
    // No `verify`: the processor's own verifier is synchronous on Node (node:crypto, from
    // core's Node build) and skips the replay-key HMAC when there is no replay store. With
    // the body Fastify's buffer parser already read (installRawBodyParsers), a static secret
    // and synchronous handlers, a delivery is answered without making a promise.
    log: (message, error) => fastify.log.error({ err: error }, message),
    // The route's own `handler` runs after the `on` handlers, and its end decides the replay lease.
    routeAfterHandlers: handler !== undefined,
  });
  if (handler === undefined && !Object.values(options.on ?? {}).some((fn) => fn !== undefined)) {
    throw new TypeError(
      "knoxWebhook: give `on` handlers (e.g. { 'request.success': (event) => … }), a `handler(request, reply)`, or both — otherwise verified events would be dropped",
    );
  }
  const maxBodyBytes = processor.maxBodyBytes;

  installRawBodyParsers(fastify, maxBodyBytes);
  if (!fastify.hasRequestDecorator('knoxEvent')) fastify.decorateRequest('knoxEvent', undefined);
  fastify.setErrorHandler(function knoxWebhookBodyErrors(error, request, reply) {
    if (isBlankContentType(error as { code?: unknown }, request)) {
      // An empty Content-Type is a missing one (as in every adapter). Fastify refused it 415
      // before the route ran, with the body still unread: the delivery is served here, so the
      // route needs no hook of its own that every delivery would pass through.
      delete request.headers['content-type'];
      deferBody(request);
      reply.code(200);
      return processor.handle(reply);
    }
    const translated = translateFastifyBodyError(error as { code?: unknown }, request, maxBodyBytes);
    // Re-throwing hands the error to the next error handler up the chain (the app's).
    if (translated === undefined) throw error;
    return processor.answerFailure(reply, translated);
  });

  fastify.route({
    method,
    url: path,
    bodyLimit: maxBodyBytes,
    handler: function knoxWebhookRoute(_request, reply) {
      // A value when every step answered at once (Fastify sends it without a promise turn),
      // a throw for a failure (Fastify hands it to the error handler), else a promise.
      return processor.handle(reply);
    },
  });
};

/**
 * What Fastify calls each action of core's webhook processor. The per-request state is the
 * reply (its `request` is one property away); the table is built once per plugin instance.
 */
function fastifyActions(
  handler: KnoxWebhookRouteHandler | undefined,
  instance: FastifyInstance,
): WebhookActions<FastifyReply, FastifyRequest, KnoxWebhookHandlerArgs, unknown> {
  return {
    headers: (reply) => reply.request.headers,
    readBody: (reply, maxBodyBytes) => webhookBodyBytes(reply.request, maxBodyBytes),
    secretContext: (reply) => reply.request,
    callHandler: (reply, fn, first) => fn(first, reply.request, reply),
    attachEvent(reply, event) {
      reply.request.knoxEvent = event;
    },
    answeredBy: (reply) => reply.sent,
    answer(reply, answer) {
      if (answer.headers !== undefined) reply.headers(answer.headers);
      if (answer.discardBody) reply.request.raw.resume();
      // Failures reach the app's error handler as Fastify errors (`statusCode`, `code`).
      if (answer.error !== undefined) throw asFastifyError(answer.error, answer.status);
      return answer.body;
    },
    async passOn(reply, route) {
      const value = await handler!.call(instance, reply.request as KnoxWebhookRequest, reply);
      await route.ended(reply.statusCode);
      if (reply.sent) return reply;
      // A Fastify handler answers by returning; one that returns nothing acknowledges the delivery.
      return value === undefined || value === reply ? { received: true } : value;
    },
  };
}

function isBlankContentType(error: { code?: unknown }, request: FastifyRequest): boolean {
  const value = request.headers['content-type'];
  return error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' && typeof value === 'string' && value.trim() === '';
}

/** The route's own options; `secret`, `on` and the other webhook options are checked by core's processor. */
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
  return options;
}

/**
 * The event `knoxWebhook` verified for this request (also `request.knoxEvent`). Throws a
 * KnoxCallError naming the fix when the request did not come through a knoxWebhook route.
 */
export function getKnoxEvent(request: FastifyRequest): KnoxWebhookEvent {
  const event = request.knoxEvent;
  if (!isBrandedAttachment(event)) {
    throw new KnoxCallError(
      'getKnoxEvent(request): no verified KnoxCall event on this request — serve the route with ' +
        "await app.register(knoxWebhook, { path, secret, handler }) (from '@knoxcall/fastify')",
      { code: 'knox_middleware_missing' },
    );
  }
  return event as KnoxWebhookEvent;
}
