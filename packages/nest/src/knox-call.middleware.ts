import type { MiddlewareConsumer } from '@nestjs/common';
import type { KnoxCallClientHolder } from './client-holder.js';
import type { KnoxHttpRequest } from './module-options.js';
import { runHandlerInRequestScope, runInRequestScope } from './request-scope.js';

interface ExpressLikeApp {
  use(handler: (req: KnoxHttpRequest, res: unknown, next: () => void) => void): unknown;
}
type FastifyRouteHandler = (this: unknown, request: KnoxHttpRequest, reply: unknown) => unknown;
/** The part of Fastify's route options an `onRoute` hook may rewrite. */
interface FastifyLikeRoute {
  handler: FastifyRouteHandler;
}
interface FastifyLikeInstance {
  addHook(name: 'onRoute', hook: (this: unknown, route: FastifyLikeRoute) => void): unknown;
}

/**
 * Runs every request inside its KnoxCall scope, so that `getKnox()` works in services and
 * `@Knox()` finds the request's state. Installed straight on the platform, because Nest's
 * own middleware pipeline costs every route several times more (bench/nest-knox.bench.mjs):
 * - Express: a middleware ahead of the routes (Nest middleware applied by `configure()`
 *   comes after it, so it runs inside the scope too);
 * - Fastify: each route's handler is wrapped as Nest registers it (an `onRoute` hook), so
 *   the scope holds from the end of body parsing through Nest's guards, interceptors,
 *   pipes, handler and filters. A `preHandler` hook did the same but sent every request
 *   through Fastify's hook runner (~a third of what the scope cost on Fastify, in the
 *   server's CPU profile); a wrapped handler costs the `AsyncLocalStorage` `run()` alone.
 * Called from the module's `configure()`, which Nest runs before it registers the routes.
 */
export function installRequestScope(consumer: MiddlewareConsumer, holder: KnoxCallClientHolder, server: unknown, platform: string | undefined): void {
  if (platform === 'express' && typeof (server as ExpressLikeApp | undefined)?.use === 'function') {
    (server as ExpressLikeApp).use(function knoxCallScope(req, res, next) {
      runInRequestScope(req, holder, res, next);
    });
    return;
  }
  if (platform === 'fastify' && typeof (server as FastifyLikeInstance | undefined)?.addHook === 'function') {
    (server as FastifyLikeInstance).addHook('onRoute', function knoxCallScopedRoute(route) {
      // Fastify calls a handler with its instance as `this`: bound here, once per route,
      // since the scope calls the handler without one.
      const handler = route.handler.bind(this);
      route.handler = function knoxCallScope(request, reply) {
        return runHandlerInRequestScope(request, holder, reply, handler);
      };
    });
    return;
  }
  // Another platform: Nest's own middleware, whatever it costs.
  consumer
    .apply((req: KnoxHttpRequest, res: unknown, next: () => void) => runInRequestScope(req, holder, res, next))
    .forRoutes('*');
}
