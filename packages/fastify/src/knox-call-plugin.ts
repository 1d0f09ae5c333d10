import { KnoxCall, KnoxCallError, type KnoxCallOptions } from '@knoxcall/core';
import {
  type KnoxRequestOptions,
  assertClientOptions,
  brandAttached,
  callRequestOptions,
  disconnectSignal,
  isBrandedAttachment,
  scopedClientOptions,
} from '@knoxcall/core/adapter';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import './fastify-types.js';

export interface KnoxCallPluginOptions {
  /** A client the app built; shared by every request and never closed by the plugin. */
  client?: KnoxCall;
  /** Options for a client the plugin builds; it is closed when the Fastify instance closes. */
  clientOptions?: KnoxCallOptions;
  /**
   * Per-request defaults for the request's KnoxCall calls (synchronous). Merged over the
   * forwarded `traceparent` / `x-request-id`; its headers win.
   */
  requestOptions?: (request: FastifyRequest) => KnoxRequestOptions | undefined;
}

// Per-request slots, declared with decorateRequest so every request keeps one shape.
// Symbol.for: the ESM and CJS builds loaded in one process see the same slots.
const REPLY = Symbol.for('knoxcall.fastify.reply');
const VIEW = Symbol.for('knoxcall.fastify.view');

interface RequestSlots {
  [REPLY]: FastifyReply | null;
  [VIEW]: KnoxCall | null;
}

/**
 * `await app.register(knoxCall, { client })`: `app.knox` is the client and `request.knox`
 * (or `getKnox(request)`) a view of it scoped to the request — it forwards the incoming
 * `traceparent` / `x-request-id` plus what `requestOptions(request)` returns, and its calls
 * are aborted when the caller disconnects before the answer was sent.
 *
 * `request.knox` is a getter: the view is built on first access, so a request that never
 * touches it builds nothing (bench/fastify-knox-scope.bench.mjs measured this against an
 * onRequest hook that builds the view for every request). The one hook kept only remembers
 * the request's reply, which the view needs to notice a disconnect.
 */
const knoxCallPlugin: FastifyPluginAsync<KnoxCallPluginOptions> = async (fastify, options) => {
  assertClientOptions(options, 'knoxCall', 'request');
  const requestOptions = options.requestOptions;
  const owned = options.client === undefined;
  const client = options.client ?? new KnoxCall(options.clientOptions);

  fastify.decorate('knox', client);
  fastify.decorateRequest(REPLY as unknown as string, null);
  fastify.decorateRequest(VIEW as unknown as string, null);
  fastify.decorateRequest('knox', {
    getter(this: FastifyRequest): KnoxCall {
      return viewOf(this, client, requestOptions);
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    (request as FastifyRequest & RequestSlots)[REPLY] = reply;
    done();
  });
  if (owned) {
    fastify.addHook('onClose', async () => {
      await client.close();
    });
  }
};

/** The `knoxCall` plugin (wrapped with fastify-plugin, so its decorators reach the whole app). */
export const knoxCall = fp(knoxCallPlugin, { name: '@knoxcall/fastify/knoxCall', fastify: '5.x' });

/**
 * The request's KnoxCall view (the same object as `request.knox`). Throws a KnoxCallError
 * naming the fix when the `knoxCall` plugin is not registered for this request's context.
 */
export function getKnox(request: FastifyRequest): KnoxCall {
  const view: unknown = (request as { knox?: unknown }).knox;
  if (!isBrandedAttachment(view)) {
    throw new KnoxCallError(
      'getKnox(request): no KnoxCall client on this request — register the plugin first: ' +
        "await app.register(knoxCall, { client }) (from '@knoxcall/fastify'), on the app or a parent of this route's context",
      { code: 'knox_middleware_missing' },
    );
  }
  return view as KnoxCall;
}

function viewOf(request: FastifyRequest, client: KnoxCall, requestOptions: KnoxCallPluginOptions['requestOptions']): KnoxCall {
  const slots = request as FastifyRequest & RequestSlots;
  const built = slots[VIEW];
  if (built !== null) return built;
  const custom = callRequestOptions(requestOptions, request);
  const reply = slots[REPLY];
  // The disconnect signal is a factory the view calls on its first KnoxCall call: a request
  // whose view sends nothing creates no AbortController and adds no 'close' listener.
  const signal = reply === null ? undefined : () => disconnectSignal(reply.raw);
  const view = brandAttached(client.withOptions(scopedClientOptions(request.headers, custom, signal)));
  slots[VIEW] = view;
  return view;
}
