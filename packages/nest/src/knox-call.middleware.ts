import type { MiddlewareConsumer } from '@nestjs/common';
import type { KnoxCallClientHolder } from './client-holder.js';
import type { KnoxHttpRequest } from './module-options.js';
import { runInRequestScope } from './request-scope.js';

interface ExpressLikeApp {
  use(handler: (req: KnoxHttpRequest, res: unknown, next: () => void) => void): unknown;
}
interface FastifyLikeInstance {
  addHook(name: 'preHandler', hook: (request: KnoxHttpRequest, reply: unknown, done: () => void) => void): unknown;
}

/**
 * Runs every request inside its KnoxCall scope, so that `getKnox()` works in services and
 * `@Knox()` finds the request's state. Installed straight on the platform — an Express
 * middleware ahead of the routes, a Fastify `preHandler` hook (after body parsing, so the
 * handler runs inside the scope) — because Nest's own middleware pipeline costs every route
 * several times more (bench/nest-knox.bench.mjs). Called from the module's `configure()`,
 * which Nest runs before it registers the routes.
 */
export function installRequestScope(consumer: MiddlewareConsumer, holder: KnoxCallClientHolder, server: unknown, platform: string | undefined): void {
  if (platform === 'express' && typeof (server as ExpressLikeApp | undefined)?.use === 'function') {
    (server as ExpressLikeApp).use(function knoxCallScope(req, res, next) {
      runInRequestScope(req, holder, res, next);
    });
    return;
  }
  if (platform === 'fastify' && typeof (server as FastifyLikeInstance | undefined)?.addHook === 'function') {
    (server as FastifyLikeInstance).addHook('preHandler', function knoxCallScope(request, reply, done) {
      runInRequestScope(request, holder, reply, done);
    });
    return;
  }
  // Another platform: Nest's own middleware, whatever it costs.
  consumer.apply((req: KnoxHttpRequest, res: unknown, next: () => void) => runInRequestScope(req, holder, res, next)).forRoutes('*');
}
